import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWithExtension, sendFromPage, signInAtPlatform, type ExtensionSession } from '../../scripts/lib/chromium';
import { connectLocalOffice, startLocalPlatforms, type LocalOffice, type LocalPlatforms } from '../../scripts/lib/local-platforms';

const PASSPHRASE = 'Sommer im Büro 2026';
let platforms: LocalPlatforms;
const profiles: string[] = [];
let session: ExtensionSession | undefined;
let office: LocalOffice | undefined;

beforeAll(async () => {
  platforms = await startLocalPlatforms();
});
afterAll(async () => {
  await session?.close();
  await office?.close();
  await Promise.all(Object.values(platforms).map((platform) => platform.close()));
  for (const dir of profiles) rmSync(dir, { recursive: true, force: true });
});

function newProfileDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'token-watch-lock-'));
  profiles.push(dir);
  return dir;
}

/** A copy of a closed browser's profile, as someone who got hold of its files would start it elsewhere. */
function copyProfile(from: string): string {
  const to = newProfileDir();
  cpSync(from, to, { recursive: true, filter: (path) => !/Singleton/.test(path) });
  return to;
}

/** A browser on `profileDir`, the local platforms' host allowed (a copied profile's own grants may not survive the copy). */
async function launch(profileDir: string) {
  session = await launchWithExtension({ profileDir });
  return session;
}

async function closeBrowser() {
  await session?.close();
  session = undefined;
}

/** What a copy of the profile holds that could open a secret: CryptoKeys anywhere in the database, and the session storage's items. */
async function keysInProfile(s: ExtensionSession) {
  return (await s.worker()).evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('token-watch');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    let cryptoKeys = 0;
    for (const name of Array.from(db.objectStoreNames)) {
      const values = await new Promise<unknown[]>((resolve) => {
        const request = db.transaction(name).objectStore(name).getAll();
        request.onsuccess = () => resolve(request.result);
      });
      const walk = (value: unknown): void => {
        if (value instanceof CryptoKey) cryptoKeys += 1;
        else if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer)) Object.values(value).forEach(walk);
      };
      values.forEach(walk);
    }
    db.close();
    return { cryptoKeys, session: Object.keys(await chrome.storage.session.get(null)) };
  });
}

const datevRow = () => `li[data-connection-id="${office!.connections.datev.id}"]`;

async function rowFeedback(popup: Page): Promise<string> {
  await popup.waitForSelector(`${datevRow()} .connection__feedback:not([data-kind="working"]):not(:empty)`, { timeout: 20_000 });
  return popup.$eval(`${datevRow()} .connection__feedback`, (element) => element.textContent ?? '');
}

describe('the passphrase lock (catalogue F2)', () => {
  it('a copy of a locked profile opens nothing: no key in it, no renewal, until the passphrase is typed; without the lock a copy renews by itself', async () => {
    // A DATEV-like connection with an app secret, signed in: both secrets sealed in the profile.
    const original = newProfileDir();
    let s = await launch(original);
    let popup = await s.openPopup();
    office = await connectLocalOffice(popup, platforms);
    await popup.reload();
    await popup.waitForSelector('main.popup[aria-busy="false"]');
    await popup.click(`${datevRow()} button[data-action="consent"]`);
    await signInAtPlatform(s, platforms.datev.issuer, { login: 'a.becker' });
    expect(await rowFeedback(popup)).toMatch(/^Signed in\./);
    await closeBrowser();
    const unlockedCopy = copyProfile(original);

    // The lock is turned on in the settings, as a user does it.
    s = await launch(original);
    const settings = await s.openOptions();
    await settings.type('section#lock input[name="passphrase"]', PASSPHRASE);
    await settings.type('section#lock input[name="repeat"]', PASSPHRASE);
    await settings.click('section#lock button[type="submit"]');
    await settings.waitForSelector('section#lock[data-lock="unlocked"]', { timeout: 20_000 });
    expect(await keysInProfile(s)).toEqual({ cryptoKeys: 0, session: ['vault-key'] });
    await closeBrowser();

    // Someone copies the profile and starts a browser on it.
    const lockedCopy = copyProfile(original);
    s = await launch(lockedCopy);
    expect(await keysInProfile(s)).toEqual({ cryptoKeys: 0, session: [] });
    popup = await s.openPopup();
    // Dates and status are no secret: they stay readable.
    expect(await popup.$eval(`${datevRow()} .connection__status`, (element) => element.textContent)).toMatch(/^Authenticated \(expires in 73[01] days\)$/);
    const refreshesBefore = platforms.datev.tokenRequests.refresh_token;
    await popup.click(`${datevRow()} button[data-action="refresh"]`);
    expect(await rowFeedback(popup)).toBe('Token Watch is locked. Unlock it with your passphrase (Settings → Passphrase lock), then try again.');
    // Nothing reached the platform: the copy could not open the refresh token or the app secret.
    expect(platforms.datev.tokenRequests.refresh_token).toBe(refreshesBefore);
    expect(await sendFromPage(popup, { type: 'lock/state' })).toEqual({ ok: true, value: { state: 'locked' } });

    // The row now leads with "Unlock", which opens the settings at the lock; the passphrase lets the renewal run.
    await popup.reload();
    await popup.waitForSelector('main.popup[aria-busy="false"]');
    expect(await popup.$eval(`${datevRow()} .connection__next-step`, (element) => element.textContent)).toBe('Locked: unlock Token Watch to refresh this connection.');
    const settingsOpened = s.browser.waitForTarget((target) => target.url().endsWith('/options.html#lock'));
    await popup.click(`${datevRow()} button[aria-label="Unlock: Local DATEV (client secret) – Mandant 10001 Müller Bau GmbH"]`);
    const lockPage = (await (await settingsOpened).page())!;
    await lockPage.waitForSelector('section#lock[data-lock="locked"]');
    // A wrong passphrase changes nothing.
    await lockPage.type('section#lock input[name="passphrase"]', 'Winter im Büro 2026');
    await lockPage.click('section#lock button[type="submit"]');
    await lockPage.waitForFunction(() => document.querySelector('section#lock .action-message')?.textContent?.startsWith('That is not the passphrase.'));
    expect(platforms.datev.tokenRequests.refresh_token).toBe(refreshesBefore);
    await lockPage.type('section#lock input[name="passphrase"]', PASSPHRASE);
    await lockPage.click('section#lock button[type="submit"]');
    await lockPage.waitForSelector('section#lock[data-lock="unlocked"]');
    await expect.poll(() => platforms.datev.tokenRequests.refresh_token, { timeout: 20_000 }).toBe(refreshesBefore + 1);
    await closeBrowser();

    // The control: a copy taken before the lock was on opens both secrets by itself and sends them to
    // the platform. Its refresh token is the one the renewal above just used up (the platform rotates
    // them), so the platform refuses it: proof that it was opened and sent.
    s = await launch(unlockedCopy);
    popup = await s.openPopup();
    const refusedBefore = platforms.datev.refusedRefreshes;
    await popup.click(`${datevRow()} button[data-action="refresh"]`);
    expect(await rowFeedback(popup)).toBe('The platform no longer accepts this authorization. Sign in again to renew it.');
    expect(platforms.datev.refusedRefreshes).toBe(refusedBefore + 1);
    expect((await keysInProfile(s)).cryptoKeys).toBe(1);
  });
});
