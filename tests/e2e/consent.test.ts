import type { Page } from 'puppeteer-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sendFromPage, sharedBrowsers, signInAtPlatform, type ExtensionSession } from '../../scripts/lib/chromium';
import { connectLocalOffice, startLocalPlatforms, type LocalOffice, type LocalPlatforms } from '../../scripts/lib/local-platforms';
import type { PlatformKind } from '../../scripts/lib/oauth-platforms';

let platforms: LocalPlatforms;
let session: ExtensionSession;
let office: LocalOffice;
let popup: Page;
// One browser for the file: the first test gets it new, each later one reset to a new profile's
// state (the extension's data, its granted hosts and the platforms' sign-in cookies gone).
const browsers = sharedBrowsers();

beforeAll(async () => {
  platforms = await startLocalPlatforms();
});
afterAll(async () => {
  await browsers.closeAll();
  await Promise.all(Object.values(platforms).map((platform) => platform.close()));
});

beforeEach(async () => {
  session = await browsers.session({ lang: 'en' });
  popup = await session.openPopup();
  office = await connectLocalOffice(popup, platforms);
  await popup.reload();
  await popup.waitForSelector('main.popup[aria-busy="false"]');
});
afterEach(async () => {
  await office.close();
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
  it('every new connection’s row leads with "Sign in", named with its connection; the badge shows a to-do, not an alarm', async () => {
    const first = await popup.$$eval('li.connection', (items) =>
      items.map((item) => item.querySelector(':scope > .connection__body > .connection__actions button')?.getAttribute('aria-label')),
    );
    expect(first.toSorted((a, b) => (a ?? '').localeCompare(b ?? ''))).toEqual([
      'Sign in: Local DATEV (client secret) – Mandant 10001 Müller Bau GmbH',
      'Sign in: Local eBay (through the broker) – Shop Berlin',
      'Sign in: Local shop platform (PKCE) – Webshop',
    ]);
    await expect.poll(() => session.badge()).toMatchObject({ text: '•', color: [26, 95, 180, 255] });
  });

  it('(a) a public PKCE client: sign in from the popup, then badge, popup and storage show the new authorization', async () => {
    // The button as a screen reader names it.
    await popup.click('button[aria-label="Sign in: Local shop platform (PKCE) – Webshop"]');
    await signInAtPlatform(session, platforms.public.issuer, { login: 'anna' });
    expect(await feedback('public')).toEqual({ kind: 'success', text: expect.stringMatching(/^Signed in\. The authorization now runs until /) });
    expect(await rowText('public', 'status')).toBe('Authenticated (expires in 90 days)');
    expect(await rowText('public', 'who')).toBe('Webshop · anna@example.com');
    // The two connections still waiting for their first sign-in are to-dos, not an outage.
    expect(await session.badge()).toMatchObject({ text: '•' });

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

describe('confidential platforms', () => {
  it('(b) an eBay-like platform through the broker: "User Access Token" accepted, the grant dated by refresh_token_expires_in', async () => {
    await popup.click(`${row('ebay')} button[data-action="consent"]`);
    await signInAtPlatform(session, platforms.ebay.issuer, { login: 'shop-berlin' });
    expect((await feedback('ebay')).kind).toBe('success');
    // 47,304,000 s are 547.5 days: 547 or 548 calendar days, depending on the hour.
    expect(await rowText('ebay', 'status')).toMatch(/^Authenticated \(expires in 54[78] days\)$/);
    expect(await rowText('ebay', 'date')).toMatch(/\(date reported by the platform\)$/);

    const { connection, sealedRefreshToken } = await stored('ebay');
    expect(connection).toMatchObject({ account: 'shop-berlin@example.com', grantExpiry: { source: 'token-response' }, hasRefreshToken: true });
    const consentedAt = connection.consentedAt as number;
    const grantAt = (connection.grantExpiry as { at: number }).at;
    expect(grantAt - consentedAt).toBe(47_304_000 * 1000);
    expect(sealedRefreshToken).not.toBeNull();
    expect(office.brokerLog.some((line) => line.includes('authorization_code -> upstream 200'))).toBe(true);
    expect(office.brokerLog.join('\n')).not.toMatch(/code=|secret|eyJ/);
  });

  it('(b) removing a broker connection revokes its refresh token at the platform through the broker’s revoke route', async () => {
    await popup.click(`${row('ebay')} button[data-action="consent"]`);
    await signInAtPlatform(session, platforms.ebay.issuer, { login: 'shop-berlin' });
    expect((await feedback('ebay')).kind).toBe('success');
    const before = platforms.ebay.revocations;
    await popup.click(`${row('ebay')} details summary`);
    await popup.click(`${row('ebay')} button[data-action="remove"]`);
    await popup.waitForFunction(() => document.querySelector('.popup__notice')?.textContent?.startsWith('Removed.'), { timeout: 20_000 });
    expect(await popup.$eval('.popup__notice', (el) => el.textContent)).toBe('Removed. The authorization was also withdrawn at the platform.');
    expect(platforms.ebay.revocations).toBe(before + 1);
    expect(office.brokerLog).toContain(`broker: ${office.platformIds.ebay} revoke -> upstream 200`);
    expect((await stored('ebay')).events).toEqual(['added', 'consented', 'removed', 'revoked']);
  });

  it('(c) a DATEV-like platform: client secret sealed in the extension, PKCE and offline_access, a two-year long-term token', async () => {
    const before = platforms.datev.tokenRequests.authorization_code;
    await popup.click(`${row('datev')} button[data-action="consent"]`);
    await signInAtPlatform(session, platforms.datev.issuer, { login: 'a.becker' });
    expect((await feedback('datev')).kind).toBe('success');
    expect(await rowText('datev', 'status')).toMatch(/^Authenticated \(expires in 73[01] days\)$/);

    const { connection } = await stored('datev');
    expect(connection.scopes).toEqual(expect.arrayContaining(['offline_access']));
    expect(connection).toMatchObject({ account: 'a.becker@example.com', hasRefreshToken: true, grantExpiry: { source: 'documented' } });
    expect(platforms.datev.tokenRequests.authorization_code).toBe(before + 1);
  });
});

describe('when the sign-in does not go through', () => {
  it('the user closes the sign-in window: cancelled, nothing changed', async () => {
    await popup.click(`${row('public')} button[data-action="consent"]`);
    const target = await session.browser.waitForTarget((t) => t.url().startsWith(platforms.public.issuer));
    await (await target.page())!.close();
    expect(await feedback('public')).toEqual({ kind: 'success', text: 'Sign-in was cancelled. Nothing was changed.' });
    expect(await rowText('public', 'status')).toBe('Not signed in yet');
    expect((await stored('public')).events).toEqual(['added']);
  });

  it('the user declines at the platform (access_denied): cancelled, nothing stored', async () => {
    const before = platforms.public.tokenRequests.authorization_code;
    await popup.click(`${row('public')} button[data-action="consent"]`);
    await signInAtPlatform(session, platforms.public.issuer, { cancel: true });
    expect((await feedback('public')).text).toBe('Sign-in was cancelled. Nothing was changed.');
    expect(platforms.public.tokenRequests.authorization_code).toBe(before);
    expect((await stored('public')).sealedRefreshToken).toBeNull();
  });

  it('a callback with a wrong state is refused before any token request', async () => {
    const before = platforms.public.tokenRequests.authorization_code;
    await popup.click(`${row('public')} button[data-action="consent"]`);
    const target = await session.browser.waitForTarget((t) => t.url().startsWith(platforms.public.issuer));
    const page = (await target.page())!;
    // A forged redirect: a code and a state the extension never issued.
    await page.goto(`https://${session.extensionId}.chromiumapp.org/?code=forged&state=forged&iss=${encodeURIComponent(platforms.public.issuer)}`).catch(() => undefined);
    expect(await feedback('public')).toEqual({
      kind: 'problem',
      text: 'The answer from the sign-in page could not be verified, so nothing was saved. Please sign in again.',
    });
    expect(platforms.public.tokenRequests.authorization_code).toBe(before);
    expect((await stored('public')).events).toEqual(['added', 'consent-failed']);
  });

  it('a second sign-in while one is open is refused with a clear message', async () => {
    await popup.click(`${row('public')} button[data-action="consent"]`);
    await session.browser.waitForTarget((t) => t.url().startsWith(platforms.public.issuer));
    await popup.click(`${row('datev')} button[data-action="consent"]`);
    expect(await feedback('datev')).toEqual({
      kind: 'problem',
      text: 'Another sign-in window is already open. Finish or close it first, then try again.',
    });
    await signInAtPlatform(session, platforms.public.issuer);
    expect((await feedback('public')).kind).toBe('success');
  });

  it('the popup closed mid-flow: the background finishes, the reopened popup shows the result', async () => {
    await popup.click(`${row('datev')} button[data-action="consent"]`);
    await session.browser.waitForTarget((t) => t.url().startsWith(platforms.datev.issuer));
    await popup.close();
    await signInAtPlatform(session, platforms.datev.issuer, { login: 'j.weber' });
    popup = await session.openPopup();
    await popup.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent?.startsWith('Authenticated'),
      { timeout: 20_000 },
      `${row('datev')} .connection__status`,
    );
    expect((await stored('datev')).connection).toMatchObject({ account: 'j.weber@example.com', hasRefreshToken: true });
  });
});

describe('after the consent', () => {
  beforeEach(async () => {
    await popup.click(`${row('public')} button[data-action="consent"]`);
    await signInAtPlatform(session, platforms.public.issuer);
    await feedback('public');
  });

  it('refreshes with rotation: the new refresh token is stored and works on the next refresh', async () => {
    const before = platforms.public.tokenRequests.refresh_token;
    await popup.click(`${row('public')} button[data-action="refresh"]`);
    expect(await feedback('public')).toEqual({ kind: 'success', text: 'Checked: the authorization works.' });
    await popup.click(`${row('public')} button[data-action="refresh"]`);
    expect((await feedback('public')).text).toBe('Checked: the authorization works.');
    expect(platforms.public.tokenRequests.refresh_token).toBe(before + 2);
    const { connection, events } = await stored('public');
    expect(connection.refreshedAt).toEqual(expect.any(Number));
    expect(events).toEqual(['added', 'consented', 'refreshed', 'refreshed']);
  });

  it('two refreshes at once make exactly one token request, and both get its result', async () => {
    const before = platforms.public.tokenRequests.refresh_token;
    const id = office.connections.public.id;
    const replies = await popup.evaluate(
      (connectionId) =>
        Promise.all([
          chrome.runtime.sendMessage({ type: 'tokens/refresh', connectionId }),
          chrome.runtime.sendMessage({ type: 'tokens/refresh', connectionId }),
        ]),
      id,
    );
    expect(platforms.public.tokenRequests.refresh_token).toBe(before + 1);
    expect(replies.map((reply) => reply.value.status)).toEqual(['refreshed', 'refreshed']);
    expect(replies[0].value.connection.refreshedAt).toBe(replies[1].value.connection.refreshedAt);
  });

  it('removing revokes the refresh token at the platform and wipes it locally; the history stays', async () => {
    const before = platforms.public.revocations;
    // Removing waits in the row's details, and goes through once the time to undo it has passed.
    await popup.click(`${row('public')} details summary`);
    await popup.click(`${row('public')} button[data-action="remove"]`);
    expect(await popup.$(row('public'))).toBeNull();
    await popup.waitForFunction(() => document.querySelector('.popup__notice')?.textContent?.startsWith('Removed.'), { timeout: 20_000 });
    expect(await popup.$eval('.popup__notice', (el) => el.textContent)).toBe('Removed. The authorization was also withdrawn at the platform.');
    expect(platforms.public.revocations).toBe(before + 1);
    const { connection, sealedRefreshToken, events } = await stored('public');
    expect(connection).toBeUndefined();
    expect(sealedRefreshToken).toBeNull();
    expect(events).toEqual(['added', 'consented', 'removed', 'revoked']);
  });

  it('a refresh token the platform no longer accepts (invalid_grant) turns into "sign-in needed", once', async () => {
    const reply = (await sendFromPage(popup, { type: 'connections/list' })) as { value: { views: { connection: { id: string } }[] } };
    expect(reply.value.views).toHaveLength(3);
    // The platform forgets every grant, as after a password change or a revoked app.
    await platforms.public.close();
    platforms.public = await (await import('../../scripts/lib/oauth-platforms')).startPlatform({
      kind: 'public',
      port: Number(new URL(platforms.public.issuer).port),
      redirectUris: [`https://${session.extensionId}.chromiumapp.org/`],
      corsOrigins: [`chrome-extension://${session.extensionId}`],
    });
    await popup.click(`${row('public')} button[data-action="refresh"]`);
    expect(await feedback('public')).toEqual({ kind: 'problem', text: 'The platform no longer accepts this authorization. Sign in again to renew it.' });
    expect(await rowText('public', 'status')).toBe('Sign-in needed: the platform no longer accepts this authorization');
    expect(await popup.$(`${row('public')} button[data-action="refresh"]`)).toBeNull();
    const { connection, sealedRefreshToken, events } = await stored('public');
    expect(connection).toMatchObject({ needsReconsent: true, hasRefreshToken: false });
    expect(sealedRefreshToken).toBeNull();
    expect(events).toEqual(['added', 'consented', 'refresh-failed', 'warned']);
    const shown = await (await session.worker()).evaluate(() => chrome.notifications.getAll());
    expect(Object.keys(shown)).toEqual([`tw|reconsent|${office.connections.public.id}`]);
  });
});
