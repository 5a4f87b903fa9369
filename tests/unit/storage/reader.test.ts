import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { createConnectionRepository, DB_NAME, openTokenWatchDb, type HolderLink } from '../../../utils/storage/db';
import { readStoredList } from '../../../utils/storage/reader';
import { aConnection } from '../fixtures';

const LINK: HolderLink = {
  url: 'https://holder.example',
  memberKey: { iv: 'iv', data: 'sealed' } as unknown as HolderLink['memberKey'],
  member: 'Anna Becker',
  managed: false,
  managedEntry: null,
  syncedAt: 1,
  unreachableSince: null,
  problem: null,
};

describe('the pages’ read-only look at the database', () => {
  it('reads the stored records, the added platforms and the holder’s link without its key', async () => {
    const db = await openTokenWatchDb();
    const repository = createConnectionRepository(db);
    const connection = aConnection({ label: 'Mandant 10001' });
    await repository.save({ connection, event: { connectionId: connection.id, type: 'added', at: 1, actor: 'test' } });
    await repository.saveHolderLink(LINK);
    const { memberKey: _key, ...shown } = LINK;
    await expect(readStoredList()).resolves.toEqual({ records: [connection], platforms: [], holder: shown });
  });

  it('hands back odd records as they are stored: the page leaves them out as the background does', async () => {
    const db = await openTokenWatchDb();
    await db.put('connections', { id: 'odd' } as never);
    await expect(readStoredList()).resolves.toMatchObject({ records: [{ id: 'odd' }] });
  });

  it('answers null and creates nothing where the background has not made the database yet', async () => {
    await expect(readStoredList()).resolves.toBeNull();
    expect(await indexedDB.databases()).toEqual([]);
  });

  it('answers null for a database of an older version: upgrading it is the background’s job', async () => {
    const old = await openDB(DB_NAME, 1, { upgrade: (db) => void db.createObjectStore('connections', { keyPath: 'id' }) });
    old.close();
    await expect(readStoredList()).resolves.toBeNull();
    expect((await indexedDB.databases()).map(({ version }) => version)).toEqual([1]);
  });

  it('lets go of the database at once, so that an upgrade is never blocked by an open popup', async () => {
    (await openTokenWatchDb()).close();
    await readStoredList();
    const deleted = new Promise<string>((resolve) => {
      const request = indexedDB.deleteDatabase(DB_NAME);
      request.onsuccess = () => resolve('deleted');
      request.onblocked = () => resolve('blocked');
    });
    await expect(deleted).resolves.toBe('deleted');
  });
});
