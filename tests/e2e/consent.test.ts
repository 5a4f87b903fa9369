import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchWithExtension, sendFromPage, signInAtPlatform, type ExtensionSession } from '../../scripts/lib/chromium';
import { connectLocalOffice, startLocalPlatforms, type LocalOffice, type LocalPlatforms } from '../../scripts/lib/local-platforms';
import type { PlatformKind } from '../../scripts/lib/oauth-platforms';

let platforms: LocalPlatforms;
let session: ExtensionSession;
let office: LocalOffice;
let popup: Page;

beforeAll(async () => {
  platforms = await startLocalPlatforms();
});
afterAll(async () => {
  await Promise.all(Object.values(platforms).map((platform) => platform.close()));
});

beforeEach(async () => {
  session = await launchWithExtension({ lang: 'en' });
  popup = await session.openPopup();
  office = await connectLocalOffice(popup, platforms);
  await popup.reload();
  await popup.waitForSelector('main.popup[aria-busy="false"]');
});
afterEach(async () => {
  await office.close();
  await session.close();
});

const row = (kind: PlatformKind) => `li[data-connection-id="${office.connections[kind].id}"]`;

async function rowText(kind: PlatformKind, part: string): Promise<string> {
  return popup.$eval(`${row(kind)} .connection__${part}`, (el) => el.textContent ?? '');
}

async function feedback(kind: PlatformKind): Promise<{ kind: string | null; text: string }> {
  await popup.waitForSelector(`${row(kind)} .connection__feedback:not([data-kind="working"]):not(:empty)`, { timeout: 20_000 });
  return popup.$eval(`${row(kind)} .connection__feedback`, (el) => ({ kind: el.getAttribute('data-kind'), text: el.textContent ?? '' }));
}

/** What the background stored, read from its own IndexedDB. */
async function stored(kind: PlatformKind) {
  const worker = await session.worker();
  return worker.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('token-watch');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const get = <T,>(store: string, key: IDBValidKey) =>
      new Promise<T>((resolve) => {
        const request = db.transaction(store).objectStore(store).get(key);
        request.onsuccess = () => resolve(request.result as T);
      });
    const events = await new Promise<{ type: string; actor: string }[]>((resolve) => {
      const request = db.transaction('events').objectStore('events').index('byConnection').getAll(id);
      request.onsuccess = () => resolve(request.result);
    });
    const connection = await get<Record<string, unknown>>('connections', id);
    const secrets = await get<{ refreshToken?: { iv: Uint8Array; data: ArrayBuffer } } | undefined>('secrets', id);
    db.close();
    return {
      connection,
      events: events.map((e) => e.type),
      sealedRefreshToken: secrets?.refreshToken ? { ivBytes: secrets.refreshToken.iv.length, dataBytes: secrets.refreshToken.data.byteLength } : null,
    };
  }, office.connections[kind].id);
}

describe('consent in real Chromium against local platforms', () => {
  it('(a) a public PKCE client: sign in from the popup, then badge, popup and storage show the new authorization', async () => {
    await popup.click(`${row('public')} button[data-action="consent"]`);
    await signInAtPlatform(session, platforms.public.issuer, { login: 'anna' });
    expect(await feedback('public')).toEqual({ kind: 'success', text: expect.stringMatching(/^Signed in\. The authorization now runs until /) });
    expect(await rowText('public', 'status')).toBe('Authenticated (expires in 90 days)');
    expect(await rowText('public', 'who')).toBe('Webshop · anna@example.com');
    expect(await session.badge()).toMatchObject({ text: '!' });

    const { connection, events, sealedRefreshToken } = await stored('public');
    expect(connection).toMatchObject({
      account: 'anna@example.com',
      requestedBy: 'anna@example.com',
      needsReconsent: false,
      hasRefreshToken: true,
      scopes: expect.arrayContaining(['openid', 'email', 'offline_access']),
      accessTokenExpiry: { source: 'token-response' },
      grantExpiry: { source: 'documented' },
    });
    expect(sealedRefreshToken).toEqual({ ivBytes: 12, dataBytes: expect.any(Number) });
    expect(events).toEqual(['added', 'consented']);
    expect(platforms.public.tokenRequests.authorization_code).toBeGreaterThan(0);
  });
});
