import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, sendFromPage, type ExtensionSession } from '../../scripts/lib/chromium';
import { CHROME_REDIRECT_URL } from '../../scripts/lib/local-platforms';
import { datevLookalike } from '../../scripts/lib/lookalike-platforms';
import { startLookalikes, type LookalikeServer } from '../../scripts/lib/lookalike-server';

/**
 * A platform added by its address whose metadata has moved its token, userinfo and revocation
 * endpoints to another host since: the DATEV look-alike, whose metadata names `api.datev.de`,
 * added as the settings page stored it when every endpoint was on its login host.
 */
const ISSUER = 'https://login.datev.de/openid';
const DAY_MS = 86_400_000;
const ALLOW_HOSTS = 'Token Watch may not reach all of this platform’s addresses any more, so it cannot renew the connection: press “Sign in” to allow them.';

let server: LookalikeServer;
let session: ExtensionSession | undefined;

beforeAll(async () => {
  server = await startLookalikes([datevLookalike], { redirectUris: [CHROME_REDIRECT_URL] });
});
afterAll(async () => {
  await session?.close();
  await server.close();
});

async function ask<T>(page: Page, message: object): Promise<T> {
  const reply = (await sendFromPage(page, message)) as { ok: boolean; value?: T; error?: string };
  if (!reply.ok) throw new Error(`The extension refused ${JSON.stringify(message).slice(0, 80)}: ${reply.error}`);
  return reply.value as T;
}

interface StoredPlatform {
  oauth: { endpoints?: { token: string }; hosts?: string[] };
  createdAt: number;
  metadataCheckedAt?: number;
}

/**
 * Changes one stored record in the extension's database, from its worker: what the settings page
 * and a sign-in a while ago would have left there.
 */
async function change(s: ExtensionSession, store: 'platforms' | 'connections', id: string, fields: Record<string, unknown>) {
  await (await s.worker()).evaluate(
    async (name, key, changed) => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const request = indexedDB.open('token-watch');
        request.onsuccess = () => resolve(request.result);
      });
      const tx = db.transaction(name, 'readwrite');
      const request = tx.objectStore(name).get(key);
      request.onsuccess = () => tx.objectStore(name).put({ ...request.result, ...changed });
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
    },
    store,
    id,
    fields,
  );
}

async function storedPlatform(s: ExtensionSession, id: string): Promise<StoredPlatform | undefined> {
  return (await s.worker())
    .evaluate(async (key) => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const request = indexedDB.open('token-watch');
        request.onsuccess = () => resolve(request.result);
      });
      const found = await new Promise<unknown>((resolve) => {
        const request = db.transaction('platforms').objectStore('platforms').get(key);
        request.onsuccess = () => resolve(request.result);
      });
      db.close();
      return found as StoredPlatform | undefined;
    }, id)
    .catch(() => undefined);
}

async function nextStep(popup: Page, connectionId: string): Promise<string | null> {
  await popup.reload();
  await popup.waitForSelector('main.popup[aria-busy="false"]');
  return popup.$eval(`li[data-connection-id="${connectionId}"]`, (row) => row.querySelector('.connection__next-step')?.textContent ?? null);
}

describe('a platform added by its address, its metadata read again (issue 13, item 3)', () => {
  it('is read again at a wake-up a day later: the new endpoints and host are stored, and the row asks to sign in again for them', async () => {
    session = await launchWithExtension({ lang: 'en', hostResolverRules: server.hostResolverRules, trustedAuthority: server.authority, siteAccess: ['https://login.datev.de/*'] });
    const popup = await session.openPopup();
    const platform = await ask<{ id: string }>(popup, {
      type: 'platforms/add',
      platform: {
        name: 'Own sign-in service',
        oauth: { issuer: ISSUER, endpoints: { authorization: `${ISSUER}/auth`, token: `${ISSUER}/token` }, scopes: ['openid', 'offline_access'], exchanges: ['secret'] },
        grantRule: { kind: 'fixed', lifetime: { months: 24 } },
        ruleSource: 'Two years from the sign-in.',
      },
    });
    const connection = await ask<{ id: string }>(popup, {
      type: 'connections/create',
      connection: { platformId: platform.id, label: 'Mandant 2', client: { clientId: 'app', exchange: 'secret' }, clientSecret: 'secret' },
    });
    // Added two days ago and signed in since: a grant the background renews, with every host it used then allowed.
    const now = Date.now();
    await change(session, 'platforms', platform.id, { createdAt: now - 2 * DAY_MS });
    await change(session, 'connections', connection.id, {
      needsReconsent: false,
      consentedAt: now - DAY_MS,
      refreshedAt: now,
      hasRefreshToken: true,
      grantExpiry: { at: now + 700 * DAY_MS, source: 'documented' },
    });
    // The hosts the sign-in's click asked for then (the site access granted above lets it pass without a prompt).
    expect(await popup.evaluate(() => chrome.permissions.request({ origins: ['https://login.datev.de/*'] }))).toBe(true);
    expect(await nextStep(popup, connection.id)).toBeNull();

    // Unpacked extensions may set alarms sooner than the 30 s packed ones must wait.
    await (await session.worker()).evaluate(() => chrome.alarms.create('wake-up', { when: Date.now() + 3_000 }));
    let stored: StoredPlatform | undefined;
    for (const deadline = Date.now() + 20_000; stored?.metadataCheckedAt === undefined && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      stored = await storedPlatform(session, platform.id);
    }
    expect(server.lookalikes.datev!.otherRequests).toContainEqual(expect.objectContaining({ host: 'login.datev.de', path: '/openid/.well-known/openid-configuration' }));
    expect(stored?.oauth.endpoints?.token).toBe('https://api.datev.de/token');
    expect(stored?.oauth.hosts).toEqual(['api.datev.de']);

    // The sign-in click asks for these hosts; until then the row says why it should be pressed.
    const { views } = await ask<{ views: { connection: { id: string }; hostOrigins: string[] }[] }>(popup, { type: 'connections/list' });
    expect(views.find((view) => view.connection.id === connection.id)!.hostOrigins).toEqual(['https://login.datev.de/*', 'https://api.datev.de/*']);
    expect(await nextStep(popup, connection.id)).toBe(ALLOW_HOSTS);
  });
});
