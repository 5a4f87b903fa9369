import { afterAll, describe, expect, it } from 'vitest';
import { launchWithExtension, stopWorkers, type ExtensionSession } from '../../scripts/lib/chromium';
import { DB_VERSION } from '../../utils/storage/schema';
import { version2, version2Contents, writeVersion2Database } from '../unit/storage/earlier-versions';

let session: ExtensionSession | undefined;
afterAll(() => session?.close());

/**
 * The unit tests upgrade every earlier version on fake-indexeddb (tests/unit/storage/upgrade.test.ts);
 * this one does it in Chromium's own IndexedDB, with a non-extractable CryptoKey stored by the old
 * release, as an update of the extension finds it.
 */
describe('an update from a release whose database is at version 2 (catalogue C3, in the browser)', () => {
  it('is upgraded by the worker at its start: every connection listed, the history kept, the sealed refresh token still opening', async () => {
    session = await launchWithExtension({ siteAccess: [] });
    // A page of the extension that does not open the database itself.
    const page = await session.browser.newPage();
    await page.goto(`chrome-extension://${session.extensionId}/manifest.json`);
    await stopWorkers(session);
    // The database as the old release left it, written while no worker holds it open.
    await page.evaluate(async () => {
      await new Promise<void>((resolve, reject) => {
        const request = indexedDB.deleteDatabase('token-watch');
        request.onsuccess = () => resolve();
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error('the database is still open'));
      });
    });
    await page.evaluate(writeVersion2Database, version2Contents('token-watch'));

    // The popup wakes the worker, which upgrades the database before anything reads it.
    const popup = await session.openPopup();
    await popup.waitForFunction((count) => document.querySelectorAll('li.connection').length === count, {}, Object.keys(version2).length);
    const listed = await popup.$$eval('li.connection', (items) => items.map((item) => item.getAttribute('data-connection-id')));
    expect(new Set(listed)).toEqual(new Set(Object.values(version2).map(({ id }) => id)));

    const stored = await (await session.worker()).evaluate(async (keyName) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('token-watch');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const read = <T>(store: string, query: (s: IDBObjectStore) => IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          const request = query(db.transaction(store).objectStore(store));
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      const key = await read<CryptoKey>('keys', (s) => s.get(keyName) as IDBRequest<CryptoKey>);
      const secret = await read<{ refreshToken: { iv: Uint8Array<ArrayBuffer>; data: ArrayBuffer } }>('secrets', (s) => s.get('ebay-shop'));
      const events = await read<unknown[]>('events', (s) => s.getAll());
      const opened = new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: secret.refreshToken.iv }, key, secret.refreshToken.data));
      const version = db.version;
      db.close();
      return { version, events, opened, extractable: key.extractable };
    }, version2Contents('token-watch').keyName);
    const old = version2Contents('token-watch');
    expect(stored).toMatchObject({ version: DB_VERSION, opened: old.refreshToken, extractable: false });
    // The old history is kept as it was; the worker may have added to it since (the expired eBay grant's notice).
    expect(stored.events.slice(0, old.events.length)).toEqual(old.events.map((event, index) => ({ ...(event as object), id: index + 1 })));
  });
});
