import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import type { ConnectionEvent } from '../../../utils/connection';
import { createConnectionRepository, DB_VERSION, lazyRepository, openTokenWatchDb, StorageError, toStorageError } from '../../../utils/storage/db';
import { aConnection } from '../fixtures';
import { createVersion1Database, version1 } from './earlier-versions';

const event = (connectionId: string, type: ConnectionEvent['type'] = 'imported'): ConnectionEvent => ({
  connectionId,
  type,
  at: Date.parse('2026-11-23T09:00:00Z'),
  actor: 'Anna Becker',
});

describe('the connection store', () => {
  it('creates the newest schema on a fresh install', async () => {
    const db = await openTokenWatchDb();
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['connections', 'events', 'keys', 'platforms', 'secrets', 'settings']);
    expect([...db.transaction('connections').store.indexNames]).toEqual(['byPlatform']);
    expect([...db.transaction('events').store.indexNames]).toEqual(['byConnection']);
  });

  it('saves a connection together with its event', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const connection = aConnection({ label: 'Mandant 10001' });
    await repository.save({ connection, event: event(connection.id) });
    expect(await repository.list()).toEqual([connection]);
    expect(await repository.get(connection.id)).toEqual(connection);
    expect(await repository.events(connection.id)).toEqual([{ ...event(connection.id), id: 1 }]);
  });

  it('writes a batch all or nothing', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const kept = aConnection();
    await repository.save({ connection: kept, event: event(kept.id) });
    const good = aConnection();
    const broken = { ...aConnection(), id: undefined as unknown as string };
    await expect(
      repository.saveAll([
        { connection: good, event: event(good.id) },
        { connection: broken, event: event('broken') },
      ]),
    ).rejects.toBeInstanceOf(StorageError);
    expect(await repository.list()).toEqual([kept]);
    expect(await repository.events(good.id)).toEqual([]);
  });

  it('keeps every connection of a platform apart', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const companies = [aConnection({ platformId: 'datev', label: 'Mandant 1' }), aConnection({ platformId: 'datev', label: 'Mandant 2' })];
    await repository.saveAll(companies.map((connection) => ({ connection, event: event(connection.id) })));
    expect((await repository.list()).map((c) => c.label).sort()).toEqual(['Mandant 1', 'Mandant 2']);
  });
});

describe('upgrades', () => {
  it('lets a newer version of the extension upgrade while this one has the database open', async () => {
    const old = await openTokenWatchDb();
    const newer = await openDB('token-watch', DB_VERSION + 1);
    expect(newer.version).toBe(DB_VERSION + 1);
    newer.close();
    expect(() => old.transaction('connections')).toThrow();
  });

  it('gives up after a bounded wait when an older page keeps the database open, and upgrades at the next try', async () => {
    await createVersion1Database('token-watch');
    // An older release's page that does not let go (it has no `versionchange` handler).
    const old = await openDB('token-watch', 1);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const opening = openTokenWatchDb();
      const refused = expect(opening).rejects.toMatchObject({ name: 'StorageError', code: 'storage-blocked' });
      await vi.advanceTimersByTimeAsync(10_000);
      await refused;
    } finally {
      vi.useRealTimers();
    }
    old.close();
    const db = await openTokenWatchDb();
    expect(db.version).toBe(DB_VERSION);
    expect(await createConnectionRepository(db).list()).toHaveLength(Object.keys(version1).length);
  });
});

describe('read-modify-write', () => {
  it('applies a change to the stored connection, not to an older copy', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const connection = aConnection({ label: 'old' });
    await repository.save({ connection, event: event(connection.id) });
    await repository.save({ connection: { ...connection, label: 'renamed meanwhile' }, event: event(connection.id) });
    const updated = await repository.update(connection.id, (current) => ({ connection: { ...current, needsReconsent: true } }));
    expect(updated).toMatchObject({ label: 'renamed meanwhile', needsReconsent: true });
    expect(await repository.get(connection.id)).toEqual(updated);
  });

  it('refuses to bring back a connection that was removed', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    await expect(repository.update('gone', (current) => ({ connection: current }))).rejects.toMatchObject({ code: 'not-found' });
    expect(await repository.list()).toEqual([]);
  });

  it('keeps the user’s preferences, with defaults for what was never set', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    expect(await repository.preferences()).toEqual({ morningHour: 9, userName: '' });
    await repository.savePreferences({ morningHour: 7, userName: '' });
    expect(await repository.preferences()).toEqual({ morningHour: 7, userName: '' });
  });
});

describe('secrets and keys', () => {
  it('removes a connection with its secrets and keeps its history', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const connection = aConnection();
    await repository.save({ connection, event: event(connection.id) });
    await repository.saveSecrets({ connectionId: connection.id, refreshToken: { iv: new Uint8Array(12), data: new ArrayBuffer(4) } });
    await repository.remove(connection.id, event(connection.id, 'removed'));
    expect(await repository.get(connection.id)).toBeUndefined();
    expect(await repository.secrets(connection.id)).toBeUndefined();
    expect((await repository.events(connection.id)).map((e) => e.type)).toEqual(['imported', 'removed']);
  });

  it('keeps the first key when two are added under one name', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const make = () => crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const first = await repository.vaultStore.addKey('k', await make());
    const second = await repository.vaultStore.addKey('k', await make());
    const iv = new Uint8Array(12);
    const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, first, new TextEncoder().encode('x'));
    await expect(crypto.subtle.decrypt({ name: 'AES-GCM', iv }, second, sealed)).resolves.toBeInstanceOf(ArrayBuffer);
  });
});

describe('a full disk (QuotaExceededError)', () => {
  /** The browser refuses the `nth` write from now on with QuotaExceededError, as it does when the profile's quota is used up. */
  function refuseWrite(nth: number) {
    let writes = 0;
    const { put } = IDBObjectStore.prototype;
    return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      writes += 1;
      if (writes === nth) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
  }

  async function stored() {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const connection = aConnection({ label: 'before' });
    const secrets = { connectionId: connection.id, refreshToken: { iv: new Uint8Array(12), data: new ArrayBuffer(8) } };
    await repository.save({ connection, event: event(connection.id), secrets });
    const everything = async () => ({ connections: await repository.list(), events: await repository.events(connection.id), secrets: await repository.secrets(connection.id) });
    return { repository, connection, everything, before: await everything() };
  }

  it.each([
    ['a change to one connection, refused at its secrets', 2, 'update'],
    ['a change to one connection, refused at the connection', 1, 'update'],
    ['a batch, refused at its second connection', 3, 'saveAll'],
  ] as const)('%s: fails as storage-full and loses nothing', async (_, nth, how) => {
    const { repository, connection, everything, before } = await stored();
    const spy = refuseWrite(nth);
    const changed = { ...connection, label: 'after' };
    const newSecrets = { connectionId: connection.id, refreshToken: { iv: new Uint8Array(12), data: new ArrayBuffer(9) } };
    const writing =
      how === 'update'
        ? repository.update(connection.id, () => ({ connection: changed, event: event(connection.id, 'refreshed'), secrets: newSecrets }))
        : repository.saveAll([
            { connection: changed, event: event(connection.id, 'edited'), secrets: newSecrets },
            { connection: aConnection(), event: event('other') },
          ]);
    await expect(writing).rejects.toMatchObject({ name: 'StorageError', code: 'storage-full' });
    spy.mockRestore();
    expect(await everything()).toEqual(before);
  });
});

describe('storage errors', () => {
  it.each([
    ['a full disk', new DOMException('quota', 'QuotaExceededError'), 'storage-full'],
    ['IndexedDB missing or broken', new DOMException('nope', 'UnknownError'), 'storage-unavailable'],
    ['anything else', new TypeError('x'), 'storage-unavailable'],
  ])('%s becomes a StorageError the user can act on', (_, error, code) => {
    expect(toStorageError(error).code).toBe(code);
  });

  it('opens again after a failed open instead of failing until the browser restarts', async () => {
    const open = vi
      .fn<() => ReturnType<typeof openTokenWatchDb>>()
      .mockRejectedValueOnce(new DOMException('nope', 'UnknownError'))
      .mockImplementation(() => openTokenWatchDb());
    const repository = lazyRepository(open);
    await expect(repository()).rejects.toMatchObject({ code: 'storage-unavailable' });
    await expect((await repository()).list()).resolves.toEqual([]);
    await repository();
    expect(open).toHaveBeenCalledTimes(2);
  });
});

describe('the list’s summary', () => {
  const BERLIN = 'Europe/Berlin';
  const NOW = Date.parse('2026-11-23T09:00:00Z');
  const stored = async (repository: ReturnType<typeof createConnectionRepository>) => (await repository.summary(BERLIN)).summary;

  async function summarized() {
    const repository = createConnectionRepository(await openTokenWatchDb());
    const [connection, other] = [aConnection({ id: 'a', label: 'Mandant 10001' }), aConnection({ id: 'b', label: 'Mandant 10002' })];
    await repository.saveAll([connection, other].map((each) => ({ connection: each, event: event(each.id) })));
    expect(await repository.summarizedList(NOW, BERLIN)).toEqual([connection, other]);
    expect(await stored(repository)).toMatchObject({ count: 2, rows: [connection, other], timeZone: BERLIN });
    return { repository, connection };
  }

  it.each([
    ['a save', async ({ repository }: Awaited<ReturnType<typeof summarized>>) => {
      const added = aConnection();
      await repository.save({ connection: added, event: event(added.id) });
    }],
    ['an update', ({ repository, connection }: Awaited<ReturnType<typeof summarized>>) =>
      repository.update(connection.id, (current) => ({ connection: { ...current, label: 'Mandant 10002' } }))],
    ['a removal', ({ repository, connection }: Awaited<ReturnType<typeof summarized>>) => repository.remove(connection.id, event(connection.id, 'removed'))],
    ['the token holder’s grants', ({ repository, connection }: Awaited<ReturnType<typeof summarized>>) => repository.replaceHeld([aConnection()], [connection.id])],
  ])('is deleted by %s, in the same transaction, and written anew from the records', async (_name, change) => {
    const summary = await summarized();
    await change(summary);
    expect(await stored(summary.repository)).toBeNull();
    const records = await summary.repository.summarizedList(NOW, BERLIN);
    expect(await stored(summary.repository)).toMatchObject({ count: records.length });
  });

  it('is not written for an empty list: a new install keeps no record', async () => {
    const repository = createConnectionRepository(await openTokenWatchDb());
    expect(await repository.summarizedList(NOW, BERLIN)).toEqual([]);
    expect(await stored(repository)).toBeNull();
  });

  it('stays when nothing is written, and is written anew for another time zone', async () => {
    const { repository } = await summarized();
    await repository.saveAll([]);
    await repository.savePreferences({ morningHour: 7, userName: '' });
    expect(await stored(repository)).not.toBeNull();
    expect((await repository.summary('America/New_York')).summary).toBeNull();
    await repository.summarizedList(NOW, 'America/New_York');
    expect((await repository.summary('America/New_York')).summary).toMatchObject({ count: 2 });
  });

  it('counts the writes of connections, so that the background knows the summary it showed still holds', async () => {
    const { repository, connection } = await summarized();
    const before = repository.connectionWrites();
    await repository.savePreferences({ morningHour: 7, userName: '' });
    await repository.saveAll([]);
    expect(repository.connectionWrites()).toBe(before);
    await repository.update(connection.id, (current) => ({ connection: { ...current, label: 'Mandant 10002' } }));
    expect(repository.connectionWrites()).toBe(before + 1);
  });
});
