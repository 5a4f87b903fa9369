import { describe, expect, it, vi } from 'vitest';
import type { ConnectionEvent } from '../../utils/connection';
import { createConnectionRepository, DB_VERSION, lazyRepository, openTokenWatchDb, StorageError, toStorageError } from '../../utils/db';
import { aConnection } from './fixtures';

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
    expect([...db.objectStoreNames].sort()).toEqual(['connections', 'events']);
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
