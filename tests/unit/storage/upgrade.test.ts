import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Sealed } from '../../../utils/storage/vault';
import { DB_VERSION, openTokenWatchDb, StorageError } from '../../../utils/storage/db';
import {
  createVersion1Database,
  createVersion2Database,
  day,
  events,
  readEverything,
  SEALED_REFRESH_TOKEN,
  SEALING_KEY_NAME,
  version1,
  version2,
} from './earlier-versions';

const NAME = 'token-watch';

/** What version 2 adds to a connection. */
const version2Fields = { scopes: [], refreshedAt: null, hasRefreshToken: false, problem: null };
/** What version 3 adds: no notification sent yet about the grant the connection has. */
const noticesAbout = (grantAt: number | null) => ({ notices: { grantAt, sent: [], expired: false, reconsent: false } });

/** The schema as the current code leaves it: stores, their keys and indexes. */
async function schemaOf(name: string) {
  const db = await openTokenWatchDb(name);
  const stores = [...db.objectStoreNames].sort().map((store) => {
    const objectStore = db.transaction(store).objectStore(store);
    return { store, keyPath: objectStore.keyPath, autoIncrement: objectStore.autoIncrement, indexes: [...objectStore.indexNames] };
  });
  db.close();
  return stores;
}

/**
 * The browser refuses the `failing`-th record written during the upgrade (whichever way the
 * upgrade writes), as a full or failing disk does. Returns how many writes were tried.
 */
function refuseWrite(failing: number, error: DOMException): () => number {
  let writes = 0;
  const count = () => {
    writes += 1;
    if (writes === failing) throw error;
  };
  const { update } = IDBCursor.prototype;
  const { put } = IDBObjectStore.prototype;
  vi.spyOn(IDBCursor.prototype, 'update').mockImplementation(function (this: IDBCursor, ...args: Parameters<IDBCursor['update']>) {
    count();
    return update.apply(this, args);
  });
  vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
    count();
    return put.apply(this, args);
  });
  return () => writes;
}

async function open(key: CryptoKey | undefined, sealed: Sealed | undefined): Promise<string> {
  if (!key || !sealed) throw new Error('the key or the sealed secret is missing');
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, key, sealed.data));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('upgrading a database of an earlier version', () => {
  it('brings version 1 to the newest version with every record migrated and nothing lost', async () => {
    await createVersion1Database(NAME);
    (await openTokenWatchDb(NAME)).close();

    const { version, contents } = await readEverything(NAME);
    expect(version).toBe(DB_VERSION);
    expect(contents.connections).toEqual([
      { ...version1.ebayShop, ...version2Fields, ...noticesAbout(day('2026-09-01')) },
      // The odd record keeps what it had, its unknown field too, and gains what the versions add.
      { ...version1.oddOne, ...version2Fields, ...noticesAbout(null) },
      { ...version1.apiKey, ...version2Fields, ...noticesAbout(day('2026-12-31')) },
    ]);
    expect(contents.events).toEqual(events.map((event, index) => ({ ...event, id: index + 1 })));
    expect(contents).toMatchObject({ secrets: [], keys: [], platforms: [], settings: [] });
  });

  it('brings version 2 to the newest version with every record migrated and its secrets still opening', async () => {
    await createVersion2Database(NAME);
    const before = await readEverything(NAME);
    (await openTokenWatchDb(NAME)).close();

    const { version, contents } = await readEverything(NAME);
    expect(version).toBe(DB_VERSION);
    expect(contents.connections).toEqual([
      { ...version2.ebayShop, ...noticesAbout(day('2026-09-01')) },
      { ...version2.noEnd, ...noticesAbout(null) },
      { ...version2.oddOne, ...noticesAbout(null) },
      { ...version2.apiKey, ...noticesAbout(day('2026-12-31')) },
    ]);
    for (const store of ['events', 'secrets', 'platforms'] as const) expect(contents[store]).toEqual(before.contents[store]);
    expect(contents.settings).toEqual([]);

    const db = await openTokenWatchDb(NAME);
    const secrets = await db.get('secrets', 'ebay-shop');
    expect(await open(await db.get('keys', SEALING_KEY_NAME), secrets?.refreshToken)).toBe(SEALED_REFRESH_TOKEN);
    db.close();
  });

  it('gives a connection the same fields whether it comes from version 1 or version 2', async () => {
    await createVersion1Database('from-1');
    await createVersion2Database('from-2');
    const fromOne = await openTokenWatchDb('from-1');
    const fromTwo = await openTokenWatchDb('from-2');
    expect(await fromOne.get('connections', 'shopify-key')).toEqual(await fromTwo.get('connections', 'shopify-key'));
    fromOne.close();
    fromTwo.close();
  });

  it('leaves every earlier database with the schema a fresh install has', async () => {
    await createVersion1Database('from-1');
    await createVersion2Database('from-2');
    const fresh = await schemaOf('fresh');
    expect(await schemaOf('from-1')).toEqual(fresh);
    expect(await schemaOf('from-2')).toEqual(fresh);
  });
});

/** Counts every record the code writes or deletes from now on, whichever way it does. */
function countWrites(): () => number {
  let writes = 0;
  for (const [proto, methods] of [
    [IDBObjectStore.prototype, ['put', 'add', 'delete', 'clear']],
    [IDBCursor.prototype, ['update', 'delete']],
  ] as const) {
    for (const method of methods) {
      const original = (proto as unknown as Record<string, (...args: unknown[]) => unknown>)[method]!;
      vi.spyOn(proto as unknown as Record<string, (...args: unknown[]) => unknown>, method).mockImplementation(function (this: unknown, ...args: unknown[]) {
        writes += 1;
        return original.apply(this, args);
      });
    }
  }
  return () => writes;
}

describe('opening without an upgrade to make (catalogue C3)', () => {
  it('a fresh install creates the newest schema and runs no migration: no record is written', async () => {
    const writes = countWrites();
    const db = await openTokenWatchDb(NAME);
    expect(db.version).toBe(DB_VERSION);
    db.close();
    expect(writes()).toBe(0);
    const { contents } = await readEverything(NAME);
    expect(Object.values(contents).every((records) => records.length === 0)).toBe(true);
  });

  it('a database already at the newest version is opened as it is: no record is rewritten', async () => {
    await createVersion1Database(NAME);
    (await openTokenWatchDb(NAME)).close();
    const before = await readEverything(NAME);
    const writes = countWrites();
    (await openTokenWatchDb(NAME)).close();
    expect(writes()).toBe(0);
    expect(await readEverything(NAME)).toEqual(before);
  });

  it('the write counter sees an upgrade’s rewrites, so its zero above means something', async () => {
    await createVersion1Database(NAME);
    const writes = countWrites();
    (await openTokenWatchDb(NAME)).close();
    expect(writes()).toBe(2 * Object.keys(version1).length);
  });
});

describe('an upgrade that fails midway', () => {
  // Version 1 has three connections, rewritten by step 2 and again by step 3: the fifth write is
  // the second of step 3. Version 2 has four, rewritten by step 3: the third write is midway.
  it.each([
    [1, createVersion1Database, 5],
    [2, createVersion2Database, 3],
  ] as const)('leaves a version %i database at its version with every record unchanged and readable', async (oldVersion, create, failing) => {
    await create(NAME);
    const before = await readEverything(NAME);
    const writes = refuseWrite(failing, new DOMException('The disk could not be written.', 'UnknownError'));

    const opening = openTokenWatchDb(NAME);

    await expect(opening).rejects.toBeInstanceOf(StorageError);
    await expect(opening).rejects.toMatchObject({ code: 'storage-upgrade-failed' });
    expect(writes()).toBe(failing);
    const after = await readEverything(NAME);
    expect(after.version).toBe(oldVersion);
    expect(Object.keys(after.contents)).toEqual(Object.keys(before.contents));
    expect(after.contents).toEqual(before.contents);
  });

  it('says the disk is full when that is why', async () => {
    await createVersion2Database(NAME);
    refuseWrite(2, new DOMException('quota', 'QuotaExceededError'));
    await expect(openTokenWatchDb(NAME)).rejects.toMatchObject({ name: 'StorageError', code: 'storage-full' });
    expect((await readEverything(NAME)).version).toBe(2);
  });

  it('upgrades on the next open once the fault is gone', async () => {
    await createVersion1Database(NAME);
    refuseWrite(2, new DOMException('The disk could not be written.', 'UnknownError'));
    await expect(openTokenWatchDb(NAME)).rejects.toMatchObject({ code: 'storage-upgrade-failed' });
    vi.restoreAllMocks();

    const db = await openTokenWatchDb(NAME);
    expect(db.version).toBe(DB_VERSION);
    expect(await db.count('connections')).toBe(Object.keys(version1).length);
    expect(await db.get('connections', 'ebay-shop')).toMatchObject(noticesAbout(day('2026-09-01')));
    db.close();
  });
});
