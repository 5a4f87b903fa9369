import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { createConnectionRepository, DB_NAME, openTokenWatchDb, type HolderLink } from '../../../utils/storage/db';
import { readFirstScreen, readStoredList } from '../../../utils/storage/reader';
import { aConnection } from '../fixtures';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');

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

  it('reads the first screen from the list’s summary where it is current, with the counts of the whole list', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const connections = Array.from({ length: 40 }, (_, index) => aConnection({ label: `Mandant ${index}`, grantExpiry: { at: NOW + (index + 1) * 86_400_000, source: 'documented' } }));
    await repository.saveAll(connections.map((connection) => ({ connection, event: { connectionId: connection.id, type: 'imported', at: 1, actor: 'test' } })));
    await repository.summarizedList(NOW, 'Europe/Berlin');
    const firstScreen = await readFirstScreen('Europe/Berlin');
    expect(firstScreen!.records).toHaveLength(30);
    expect(firstScreen!.whole).toMatchObject({ count: 40 });
    expect(firstScreen!.whole!.attentionFrom).toHaveLength(40);
    // Another zone, or no zone given: every record.
    expect((await readFirstScreen('America/New_York'))!.records).toHaveLength(40);
    expect((await readStoredList())!.records).toHaveLength(40);
  });

  it('reads every record where a write has deleted the summary', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const connection = aConnection();
    await repository.summarizedList(NOW, 'Europe/Berlin');
    await repository.save({ connection, event: { connectionId: connection.id, type: 'added', at: 1, actor: 'test' } });
    expect(await readFirstScreen('Europe/Berlin')).toEqual({ records: [connection], platforms: [], holder: null });
  });
});
