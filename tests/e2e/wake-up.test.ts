import { afterAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionSession } from '../../scripts/lib/chromium';

let session: ExtensionSession | undefined;
afterAll(() => session?.close());

/** The history of a connection, read from the extension's database in its worker. */
async function history(s: ExtensionSession, connectionId: string) {
  return (await s.worker()).evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open('token-watch');
      request.onsuccess = () => resolve(request.result);
    });
    const read = <T>(store: string, query: (s: IDBObjectStore) => IDBRequest<T>) =>
      new Promise<T>((resolve) => {
        const request = query(db.transaction(store).objectStore(store));
        request.onsuccess = () => resolve(request.result);
      });
    const events = await read('events', (s) => s.index('byConnection').getAll(id));
    const pending = await read('settings', (s) => s.get(`revocation:${id}`));
    db.close();
    return { events: (events as { type: string; detail?: string }[]).map((e) => `${e.type}: ${e.detail ?? ''}`), pending: pending as { attempts: number } | undefined };
  }, connectionId);
}

describe('a worker woken by an alarm (catalogue E2)', () => {
  it('is started by the alarm alone and handles it: a due revocation is tried at that wake-up', async () => {
    session = await launchWithExtension({ siteAccess: [] });
    // The popup's first list has the extension create its database.
    await (await session.openPopup()).close();
    const worker = await session.worker();
    // A removed connection's revocation, due now, whose sealed token cannot be opened any more: the
    // attempt fails at once, without any network, and is written down. Only a wake-up tries it.
    await worker.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const request = indexedDB.open('token-watch');
        request.onsuccess = () => resolve(request.result);
      });
      const tx = db.transaction('settings', 'readwrite');
      tx.objectStore('settings').put(
        {
          connectionId: 'removed',
          platformId: 'datev',
          settings: { scopes: [], exchanges: ['secret'] },
          client: { clientId: 'app', exchange: 'secret' },
          refreshToken: { iv: new Uint8Array(12), data: new ArrayBuffer(32) },
          actor: 'e2e',
          attempts: 0,
          dueAt: Date.now(),
        },
        'revocation:removed',
      );
      await new Promise((resolve) => (tx.oncomplete = resolve));
      db.close();
      // Unpacked extensions may set alarms sooner than the 30 s packed ones must wait.
      await chrome.alarms.create('wake-up', { when: Date.now() + 4_000 });
      Object.assign(globalThis, { beforeStop: true });
    });
    // Stop the worker, as the browser does when it is idle; nothing but the alarm may start it again.
    await worker.close();

    // The stopped worker's target can linger a moment: ask until the woken one answers.
    const s = session;
    const ask = async <T>(question: () => Promise<T>): Promise<T | undefined> => question().catch(() => undefined);
    let seen: Awaited<ReturnType<typeof history>> | undefined;
    let fresh: boolean | undefined;
    for (const deadline = Date.now() + 20_000; !(fresh && seen?.pending?.attempts === 1) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      fresh = await ask(async () => !(await (await s.worker()).evaluate(() => 'beforeStop' in globalThis)));
      seen = await ask(() => history(s, 'removed'));
    }
    expect(fresh).toBe(true);
    expect(seen?.pending?.attempts).toBe(1);
    expect(seen?.events).toEqual(['revoke-failed: failed, retrying']);
  });
});
