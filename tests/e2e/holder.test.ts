/**
 * The extension as the companion of the company's token holder, in real Chromium: two colleagues
 * (two browser profiles, two member keys), one holder on 127.0.0.1 (embedded database), one local
 * platform (oidc-provider), and the business software asking the holder for access tokens.
 */
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendFromPage, sharedBrowsers, signInAtPlatform, type ExtensionSession } from '../../scripts/lib/chromium';
import { startLocalHolder, type LocalHolder } from '../../scripts/lib/local-holder';
import { CHROME_REDIRECT_URL, FIREFOX_REDIRECT_URL, CHROME_ORIGIN } from '../../scripts/lib/local-platforms';
import { startPlatform, type LocalPlatform } from '../../scripts/lib/oauth-platforms';
import { FIREFOX_ORIGIN } from '../../scripts/lib/firefox';
import { fetchTrusting, loopbackTls } from '../../scripts/lib/tls';

const browsers = sharedBrowsers();
let platform: LocalPlatform;
let holder: LocalHolder;
let anna: ExtensionSession;
let bernd: ExtensionSession;
const keys = { anna: '', bernd: '', erp: '' };
let grantId = '';

beforeAll(async () => {
  platform = await startPlatform({ kind: 'datev', redirectUris: [CHROME_REDIRECT_URL, FIREFOX_REDIRECT_URL], corsOrigins: [CHROME_ORIGIN, FIREFOX_ORIGIN] });
  holder = await startLocalHolder({ kind: 'datev', platform });
  keys.anna = await holder.addMember('Anna Becker');
  keys.bernd = await holder.addMember('Bernd Kaiser');
  keys.erp = await holder.addServerKey('ERP');
  // Two colleagues: two browsers, each with its own profile (English and German).
  anna = await browsers.session({ lang: 'en' });
  bernd = await browsers.session({ lang: 'de' });
});
afterAll(async () => {
  await browsers.closeAll();
  // The last test stops the holder itself.
  await holder?.close().catch(() => undefined);
  await platform?.close();
});

async function connect(session: ExtensionSession, key: string): Promise<Page> {
  const page = await session.openOptions();
  const form = 'form[data-holder="disconnected"]';
  await page.waitForSelector(form);
  await page.type(`${form} input[name="holderUrl"]`, holder.url);
  await page.type(`${form} input[name="memberKey"]`, key);
  await page.click(`${form} button[type="submit"]`);
  await page.waitForSelector('section[data-holder="connected"]');
  return page;
}

/** Everything the extension keeps (IndexedDB and its storage areas), as text. */
async function everythingStored(session: ExtensionSession): Promise<string> {
  const worker = await session.worker();
  return worker.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('token-watch');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const text = (value: unknown): string =>
      JSON.stringify(value, (_key, item: unknown) => (item instanceof ArrayBuffer || ArrayBuffer.isView(item) ? Array.from(new Uint8Array(item instanceof ArrayBuffer ? item : item.buffer)).map((byte) => String.fromCharCode(byte)).join('') : item));
    const parts: string[] = [];
    for (const name of Array.from(db.objectStoreNames)) {
      const all = await new Promise<unknown[]>((resolve) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result as unknown[]);
      });
      parts.push(`${name}: ${text(all)}`);
    }
    db.close();
    parts.push(text(await chrome.storage.local.get(null)), text(await chrome.storage.session.get(null)));
    return parts.join('\n');
  });
}

async function rowOf(page: Page, label: string) {
  await page.waitForSelector('main.popup[aria-busy="false"]');
  return page.$$eval('li.connection', (rows, wanted) => {
    const row = rows.find((candidate) => candidate.querySelector('.connection__who')?.textContent?.startsWith(wanted));
    return row ? { status: row.getAttribute('data-status'), held: row.querySelector('.connection__held')?.textContent ?? null, id: row.getAttribute('data-connection-id') } : null;
  }, label);
}

const sync = (page: Page) => sendFromPage(page, { type: 'holder/sync', ifStale: false });

describe('the token holder and its companion extension in real Chromium', () => {
  it('signs in through the holder: one code exchange at the platform, and no token in the extension', async () => {
    const page = await connect(anna, keys.anna);
    expect(await page.$eval('section[data-holder="connected"]', (el) => el.textContent)).toContain(`Connected as Anna Becker to ${holder.url}.`);
    const form = 'form[aria-labelledby="holder-new"]';
    await page.type(`${form} input[name="label"]`, 'Mandant 10001 Müller Bau GmbH');
    await page.click(`${form} button[type="submit"]`);
    await signInAtPlatform(anna, platform.issuer, { login: 'anna' });
    await page.waitForFunction(() => document.querySelector('section[data-holder="connected"] .action-message')?.textContent === 'Saved.', { timeout: 20_000 });
    expect(platform.tokenRequests.authorization_code).toBe(1);

    const [grant] = await holder.db.query<{ id: string; consented_by: string }>('SELECT id FROM grants');
    grantId = grant!.id;
    const refreshToken = await holder.refreshToken(grantId);
    expect(refreshToken).toBeTruthy();
    // The business software fetches its access token from the holder and calls the platform with it.
    const issued = await holder.accessToken(grantId, keys.erp);
    expect(issued).toMatchObject({ status: 200, body: { token_type: 'Bearer' } });
    const accessToken = String(issued.body.access_token);
    const { cert } = await loopbackTls();
    const userinfo = await fetchTrusting(cert)(`${platform.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toMatchObject({ sub: 'anna' });

    const stored = await everythingStored(anna);
    expect(stored).toContain('Mandant 10001 Müller Bau GmbH');
    expect(stored).not.toContain(refreshToken!);
    expect(stored).not.toContain(accessToken);
    expect(stored).not.toContain(platform.clientSecret!);
    expect(stored).not.toContain(keys.anna);
    expect(stored).not.toMatch(/refresh_token|access_token/);

    const popup = await anna.openPopup();
    expect(await rowOf(popup, 'Mandant 10001')).toMatchObject({ status: 'ok', held: "Kept by the company's token holder · signed in by Anna Becker" });
  });

  it('shows a colleague in another profile the same grant, with who signed in', async () => {
    await connect(bernd, keys.bernd);
    const popup = await bernd.openPopup();
    expect(await rowOf(popup, 'Mandant 10001')).toMatchObject({ status: 'ok', held: 'Beim Token-Holder der Firma · angemeldet von Anna Becker' });
  });

  it('turns a grant the platform refused into “sign in again” in both profiles, and “working again” after a new sign-in', async () => {
    // The platform withdraws the grant (as when a user removes the app's access there).
    const { cert } = await loopbackTls();
    const revoked = await fetchTrusting(cert)(`${platform.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${platform.clientId}:${platform.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ token: (await holder.refreshToken(grantId))!, token_type_hint: 'refresh_token' }),
    });
    expect(revoked.status).toBe(200);
    await holder.expireAccessToken(grantId);
    expect(await holder.accessToken(grantId, keys.erp)).toEqual({ status: 409, body: { error: 'sign-in-needed' } });

    const annaPopup = await anna.openPopup();
    const berndPopup = await bernd.openPopup();
    for (const popup of [annaPopup, berndPopup]) {
      await sync(popup);
      await popup.reload();
      expect(await rowOf(popup, 'Mandant 10001')).toMatchObject({ status: 'reconsent' });
    }
    expect((await anna.badge()).text).toBe('!');
    expect((await bernd.badge()).text).toBe('!');

    // Bernd signs in again from his popup; the holder redeems the code and the grant works again.
    const row = await rowOf(berndPopup, 'Mandant 10001');
    await berndPopup.click(`li[data-connection-id="${row!.id}"] button[data-action="consent"]`);
    await signInAtPlatform(bernd, platform.issuer, { login: 'bernd' });
    await berndPopup.waitForSelector(`li[data-connection-id="${row!.id}"][data-status="ok"]`, { timeout: 20_000 });
    expect(platform.tokenRequests.authorization_code).toBe(2);
    expect(await holder.accessToken(grantId, keys.erp)).toMatchObject({ status: 200 });
    await sync(annaPopup);
    await annaPopup.reload();
    expect(await rowOf(annaPopup, 'Mandant 10001')).toMatchObject({ status: 'ok', held: "Kept by the company's token holder · signed in by Bernd Kaiser" });
    await expect.poll(async () => (await anna.badge()).text).not.toBe('!');
  });

  it('keeps the last known dates when the holder is down, and says since when', async () => {
    const popup = await anna.openPopup();
    const before = await rowOf(popup, 'Mandant 10001');
    await holder.close();
    await sync(popup).catch(() => undefined);
    await popup.reload();
    await popup.waitForSelector('.popup__holder');
    expect(await popup.$eval('.popup__holder', (el) => el.textContent)).toMatch(/^Token holder not reachable since .+\. The dates shown are from the last sync\.$/);
    expect(await rowOf(popup, 'Mandant 10001')).toEqual(before);
  });
});
