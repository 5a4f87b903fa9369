import { NotFoundError, TokenWatchError, type StorageErrorCode } from '../errors';
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { readableConnections, type Connection, type ConnectionEvent, type OAuthClient } from '../connection';
import type { CustomPlatform, OAuthSettings } from '../catalogue/types';
import { DEFAULT_PREFERENCES, type Preferences } from '../records/input';
import { MAX_CONNECTIONS } from '../records/fields';
import { createVault, isSealed, type PassphraseLock, type Sealed, type SealedRecord, type SessionKeyStore, type Vault, type VaultStore } from './vault';

import { DB_NAME, DB_VERSION, isHolderLink, type HolderLink } from './schema';
import { currentSummary, summarize, SUMMARY_KEY, type ListSummary } from './summary';

export { DB_NAME, DB_VERSION, isHolderLink, type HolderLink };
/** How long to wait for an older tab or worker to let go of the database during an upgrade. */
const BLOCKED_UPGRADE_TIMEOUT_MS = 10_000;

/** What must never leave the machine in clear text: sealed with the key in `keys`. */
export interface ConnectionSecrets {
  connectionId: string;
  refreshToken?: Sealed;
  clientSecret?: Sealed;
}

export interface TokenWatchSchema extends DBSchema {
  connections: { key: string; value: Connection; indexes: { byPlatform: string } };
  events: { key: number; value: ConnectionEvent; indexes: { byConnection: string } };
  secrets: { key: string; value: ConnectionSecrets };
  /** Non-extractable CryptoKeys: script can use but not read them; the browser keeps them in the profile's files. None while the passphrase lock is on. */
  keys: { key: string; value: CryptoKey };
  platforms: { key: string; value: CustomPlatform };
  /**
   * The user's preferences under the key `preferences`; the link to the token holder under
   * `holder`; each removed connection's revocation still to be confirmed under `revocation:<id>`;
   * the passphrase lock under `lock`; the list's summary under `summary` (summary.ts).
   */
  settings: { key: string; value: Preferences | HolderLink | PendingRevocation | PassphraseLock | ListSummary };
}

/** What revoking a removed connection's grant takes: its sealed refresh token and its request's public settings. */
export interface PendingRevocation {
  connectionId: string;
  /**
   * Where it is kept when it is not the connection's own (`revocation:<connection id>`): a grant that
   * arrived after its connection was removed is kept beside that connection's own, not over it.
   */
  key?: string;
  platformId: string;
  settings: OAuthSettings;
  client: OAuthClient;
  refreshToken: Sealed;
  clientSecret?: Sealed;
  /** Who removed it, for the history. */
  actor: string;
  /** Failed attempts so far. */
  attempts: number;
  /** When the next attempt is due; Infinity while it waits for the passphrase lock to be unlocked. */
  dueAt: number;
}

const REVOCATION = 'revocation:';
const LOCK = 'lock';
const isLock = (value: unknown): value is PassphraseLock => typeof value === 'object' && value !== null && 'wrapped' in value;

/** A record's sealed values, named by field and IV (unique to each sealing): equal when none was sealed anew. */
const sealedIds = (value: object) =>
  Object.entries(value)
    .flatMap(([field, sealed]) => (isSealed(sealed) ? [`${field}:${sealed.iv.join('.')}`] : []))
    .sort()
    .join(' ');

export type TokenWatchDb = IDBPDatabase<TokenWatchSchema>;

/** A storage failure the user can act on; the message never contains stored data. */
export class StorageError extends TokenWatchError<StorageErrorCode> {
  override name = 'StorageError';
}

export { NotFoundError };
export type { Preferences };

export function toStorageError(error: unknown): StorageError {
  if (error instanceof StorageError) return error;
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  return new StorageError(name === 'QuotaExceededError' ? 'storage-full' : 'storage-unavailable', {
    cause: error,
  });
}

/** Why an upgrade failed, in terms the user can act on: a full disk as such, anything else as the upgrade. */
function upgradeError(cause: unknown): StorageError {
  const error = toStorageError(cause);
  return error.code === 'storage-full' ? error : new StorageError('storage-upgrade-failed', { cause });
}

/**
 * Opens the database, upgrading it step by step. The ladder is append-only:
 * a new version adds an `if (oldVersion < N)` block and never edits an old one,
 * so every older install reaches the newest schema with nothing lost. The upgrade
 * is one transaction: should any step fail, the database stays at its old version
 * with its old records, and the open fails with `storage-upgrade-failed`.
 */
export async function openTokenWatchDb(name = DB_NAME, { onClose }: { onClose?: () => void } = {}): Promise<TokenWatchDb> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const blocked = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageError('storage-blocked')), BLOCKED_UPGRADE_TIMEOUT_MS);
  });
  let upgradeFailure: { cause: unknown } | undefined;
  const opening = openDB<TokenWatchSchema>(name, DB_VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      // The browser may abort the upgrade by itself too (a refused write, a full disk at commit).
      tx.done.catch((cause: unknown) => {
        upgradeFailure ??= { cause };
      });
      // idb ignores the promise an upgrade returns: a failing step must abort the transaction
      // itself, or the steps before it would commit at the new version.
      upgradeSchema(db, oldVersion, tx).catch((cause: unknown) => {
        upgradeFailure ??= { cause };
        try {
          tx.abort();
        } catch {
          // The browser had already aborted it.
        }
      });
    },
    blocking(_currentVersion, _blockedVersion, event) {
      // A newer version of the extension wants to upgrade: let it, and open anew next time.
      (event.target as IDBDatabase).close();
      onClose?.();
    },
    terminated() {
      onClose?.();
    },
  });
  try {
    return await Promise.race([opening, blocked]);
  } catch (error) {
    // Should the blocked open still succeed later, nobody holds it: close it then.
    opening.then((db) => db.close(), () => undefined);
    throw upgradeFailure ? upgradeError(upgradeFailure.cause) : toStorageError(error);
  } finally {
    clearTimeout(timer);
  }
}

type UpgradeTransaction = IDBPTransaction<TokenWatchSchema, StoreNames<TokenWatchSchema>[], 'versionchange'>;

/**
 * The version ladder. Every step runs inside the upgrade's versionchange transaction and awaits
 * nothing but that transaction's own requests: IndexedDB commits a transaction as soon as no
 * request is pending, so awaiting anything else would commit the upgrade halfway. A step spells
 * out the values it adds rather than taking today's defaults, so it means the same forever.
 */
async function upgradeSchema(db: TokenWatchDb, oldVersion: number, tx: UpgradeTransaction): Promise<void> {
  if (oldVersion < 1) createConnectionStores(db);
  if (oldVersion < 2) await addSecretsAndPlatforms(db, tx);
  if (oldVersion < 3) await addSettingsAndNotices(db, tx);
}

/** Version 1: connections and their history. */
function createConnectionStores(db: TokenWatchDb): void {
  db.createObjectStore('connections', { keyPath: 'id' }).createIndex('byPlatform', 'platformId');
  db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('byConnection', 'connectionId');
}

/** Version 2: sealed secrets, the key that seals them, platforms added by address; connections learn OAuth. */
async function addSecretsAndPlatforms(db: TokenWatchDb, tx: UpgradeTransaction): Promise<void> {
  db.createObjectStore('secrets', { keyPath: 'connectionId' });
  db.createObjectStore('keys');
  db.createObjectStore('platforms', { keyPath: 'id' });
  await rewriteConnections(tx, (stored) => ({ scopes: [], refreshedAt: null, hasRefreshToken: false, problem: null, ...stored }));
}

/** Version 3: the user's settings; each connection remembers which notifications it has had. */
async function addSettingsAndNotices(db: TokenWatchDb, tx: UpgradeTransaction): Promise<void> {
  db.createObjectStore('settings');
  await rewriteConnections(tx, (stored) => ({
    ...stored,
    notices: stored.notices ?? { grantAt: grantEndOf(stored), sent: [], expired: false, reconsent: false },
  }));
}

/** Rewrites every stored connection. Records from earlier versions lack later fields (and may be damaged), hence `Partial`. */
async function rewriteConnections(tx: UpgradeTransaction, migrate: (stored: Partial<Connection>) => Partial<Connection>): Promise<void> {
  let cursor = await tx.objectStore('connections').openCursor();
  while (cursor) {
    await cursor.update(migrate(cursor.value) as Connection);
    cursor = await cursor.continue();
  }
}

/** The grant's end date an old record names, if it names one. */
function grantEndOf(stored: Partial<Connection>): number | null {
  const at: unknown = stored.grantExpiry?.at;
  return typeof at === 'number' ? at : null;
}

function abort(tx: IDBPTransaction<TokenWatchSchema, StoreNames<TokenWatchSchema>[], 'readwrite'>): void {
  try {
    tx.abort();
  } catch {
    // The transaction had already ended.
  }
}

export interface ConnectionChange {
  connection: Connection;
  event: ConnectionEvent;
  /** New secrets to store with the change, or null to delete them. */
  secrets?: ConnectionSecrets | null;
}

/** Every read and write of connections and their history. */
export function createConnectionRepository(db: TokenWatchDb) {
  /** Writes of connections begun through this repository: the background is their only writer. */
  let connectionWrites = 0;

  async function write(changes: readonly ConnectionChange[]): Promise<void> {
    if (changes.length === 0) return;
    connectionWrites++;
    const tx = db.transaction(['connections', 'events', 'secrets', 'settings'], 'readwrite');
    const connections = tx.objectStore('connections');
    const events = tx.objectStore('events');
    const secretStore = tx.objectStore('secrets');
    const requests: Promise<unknown>[] = [tx.done, tx.objectStore('settings').delete(SUMMARY_KEY)];
    try {
      // A connection, its secrets and its event commit together or not at all.
      for (const { connection, event, secrets } of changes) {
        requests.push(connections.put(connection), events.add(event));
        if (secrets) requests.push(secretStore.put(secrets));
        if (secrets === null) requests.push(secretStore.delete(connection.id));
      }
      await Promise.all(requests);
    } catch (error) {
      // One refused record must not let the others commit without it. The
      // aborted requests then fail too, which is expected here.
      for (const request of requests) request.catch(() => undefined);
      abort(tx);
      throw toStorageError(error);
    }
  }

  async function read<T>(reading: () => Promise<T>): Promise<T> {
    try {
      return await reading();
    } catch (error) {
      throw toStorageError(error);
    }
  }

  return {
    connectionWrites: () => connectionWrites,
    list: () => read(() => db.getAll('connections')),
    /**
     * Every stored record, having written the list's summary where it is missing (a write deleted
     * it) or was counted in another zone. The records and the summary are read apart, so that a
     * write of the settings need not wait for every record to be read; a missing summary is
     * written from a fresh read in the same transaction, where no write can come in between.
     */
    summarizedList: (now: number, timeZone: string) =>
      read(async () => {
        const [records, stored] = await Promise.all([db.getAll('connections'), db.get('settings', SUMMARY_KEY)]);
        if (currentSummary(stored, timeZone)) return records;
        const tx = db.transaction(['connections', 'settings'], 'readwrite');
        const fresh = await tx.objectStore('connections').getAll();
        // An empty list is read at once without one, and a new install keeps no record of its own.
        if (fresh.length === 0) return fresh;
        // Without it the pages and the badge read every record, as before: a refused write (a full disk) costs nothing more.
        await Promise.all([tx.objectStore('settings').put(summarize(fresh, now, timeZone), SUMMARY_KEY), tx.done]).catch(() => undefined);
        return fresh;
      }),
    /** The list's summary where it is current for this zone, with the added platforms its rows may name. */
    summary: (timeZone: string) =>
      read(async () => {
        const [stored, platforms] = await Promise.all([db.get('settings', SUMMARY_KEY), db.getAll('platforms')]);
        return { summary: currentSummary(stored, timeZone), platforms };
      }),
    /** Refuses `adding` new connections where they would make more than MAX_CONNECTIONS, naming the limit. */
    async ensureRoom(adding = 1): Promise<void> {
      if ((await read(() => db.count('connections'))) + adding > MAX_CONNECTIONS) throw new TokenWatchError('too-many-connections');
    },
    get: (id: string) => read(async () => readableConnections([await db.get('connections', id)])[0]),
    events: (connectionId: string) =>
      read(() => db.getAllFromIndex('events', 'byConnection', connectionId)),
    save: (change: ConnectionChange) => write([change]),
    saveAll: write,

    /**
     * Read-modify-write of one connection in a single transaction, so a change
     * computed from an older copy can never overwrite a newer one. `change` is
     * synchronous on purpose: any other await would end the transaction.
     */
    async update(
      connectionId: string,
      change: (current: Connection, secrets: ConnectionSecrets | undefined) => Omit<ConnectionChange, 'event'> & { event?: ConnectionEvent },
    ): Promise<Connection> {
      connectionWrites++;
      const tx = db.transaction(['connections', 'events', 'secrets', 'settings'], 'readwrite');
      const writes: Promise<unknown>[] = [tx.done, tx.objectStore('settings').delete(SUMMARY_KEY)];
      try {
        const [current, secrets] = await Promise.all([tx.objectStore('connections').get(connectionId), tx.objectStore('secrets').get(connectionId)]);
        const [readable] = readableConnections([current]);
        if (!readable) throw new NotFoundError();
        const next = change(readable, secrets);
        writes.push(tx.objectStore('connections').put(next.connection));
        if (next.event) writes.push(tx.objectStore('events').add(next.event));
        if (next.secrets) writes.push(tx.objectStore('secrets').put(next.secrets));
        if (next.secrets === null) writes.push(tx.objectStore('secrets').delete(connectionId));
        await Promise.all(writes);
        return next.connection;
      } catch (error) {
        for (const write of writes) write.catch(() => undefined);
        // A refused write (a full disk) must not let the writes before it commit without it.
        abort(tx);
        if (error instanceof NotFoundError) throw error;
        throw toStorageError(error);
      }
    },

    /**
     * Deletes a connection and its secrets; its history stays in the event log. What revoking its
     * grant takes is kept, in the same transaction, until the revocation is settled.
     */
    async remove(connectionId: string, event: ConnectionEvent, revocation?: PendingRevocation): Promise<void> {
      connectionWrites++;
      const tx = db.transaction(['connections', 'secrets', 'events', 'settings'], 'readwrite');
      try {
        await Promise.all([
          tx.objectStore('connections').delete(connectionId),
          tx.objectStore('secrets').delete(connectionId),
          tx.objectStore('events').add(event),
          tx.objectStore('settings').delete(SUMMARY_KEY),
          ...(revocation ? [tx.objectStore('settings').put(revocation, REVOCATION + connectionId)] : []),
          tx.done,
        ]);
      } catch (error) {
        tx.done.catch(() => undefined);
        throw toStorageError(error);
      }
    },

    /**
     * Removes every connection and its secrets but those of `kept`, each removed one with its event,
     * in one transaction. The stores are cleared and the kept ones put back: one by one, a hundred
     * thousand deletions (an earlier version's import) would take minutes.
     */
    async removeAllBut(kept: readonly string[], removed: readonly string[], event: (connectionId: string) => ConnectionEvent): Promise<void> {
      connectionWrites++;
      const tx = db.transaction(['connections', 'secrets', 'events', 'settings'], 'readwrite');
      const [connections, secrets] = [tx.objectStore('connections'), tx.objectStore('secrets')];
      try {
        await tx.objectStore('settings').delete(SUMMARY_KEY);
        const keep = await Promise.all(kept.map(async (id) => [await connections.get(id), await secrets.get(id)] as const));
        await Promise.all([connections.clear(), secrets.clear()]);
        const writes = keep.flatMap(([connection, secret]) => [...(connection ? [connections.put(connection)] : []), ...(secret ? [secrets.put(secret)] : [])]);
        await Promise.all([...writes, ...removed.map((id) => tx.objectStore('events').add(event(id))), tx.done]);
      } catch (error) {
        tx.done.catch(() => undefined);
        abort(tx);
        throw toStorageError(error);
      }
    },

    revocations: () =>
      read(() => db.getAll('settings', IDBKeyRange.bound(REVOCATION, `${REVOCATION}\uffff`)) as Promise<PendingRevocation[]>),
    /** Plans the revocation's next attempt (`next`) or wipes it, and notes `event`, in one transaction. */
    async settleRevocation(pending: Pick<PendingRevocation, 'connectionId' | 'key'>, event: ConnectionEvent | null, next?: PendingRevocation): Promise<void> {
      const tx = db.transaction(['settings', 'events'], 'readwrite');
      const key = REVOCATION + (pending.key ?? pending.connectionId);
      try {
        await Promise.all([
          next ? tx.objectStore('settings').put(next, key) : tx.objectStore('settings').delete(key),
          ...(event ? [tx.objectStore('events').add(event)] : []),
          tx.done,
        ]);
      } catch (error) {
        tx.done.catch(() => undefined);
        throw toStorageError(error);
      }
    },

    async addEvent(event: ConnectionEvent): Promise<void> {
      await read(() => db.add('events', event));
    },

    secrets: (connectionId: string) => read(() => db.get('secrets', connectionId)),
    async saveSecrets(secrets: ConnectionSecrets): Promise<void> {
      await read(() => db.put('secrets', secrets));
    },

    async preferences(): Promise<Preferences> {
      const stored = await read(() => db.get('settings', 'preferences'));
      return { ...DEFAULT_PREFERENCES, ...(stored && !isHolderLink(stored) ? stored : {}) };
    },
    async savePreferences(preferences: Preferences): Promise<void> {
      await read(() => db.put('settings', preferences, 'preferences'));
    },

    async holderLink(): Promise<HolderLink | undefined> {
      const stored = await read(() => db.get('settings', 'holder'));
      return isHolderLink(stored) ? stored : undefined;
    },
    async saveHolderLink(link: HolderLink | null): Promise<void> {
      await read(async () => {
        if (link) await db.put('settings', link, 'holder');
        else await db.delete('settings', 'holder');
      });
    },

    /** The holder's grants as they are now: `put` written, `gone` deleted, in one transaction. */
    async replaceHeld(put: readonly Connection[], gone: readonly string[]): Promise<void> {
      connectionWrites++;
      const tx = db.transaction(['connections', 'settings'], 'readwrite');
      const store = tx.objectStore('connections');
      try {
        await Promise.all([
          ...put.map((connection) => store.put(connection)),
          ...gone.map((id) => store.delete(id)),
          tx.objectStore('settings').delete(SUMMARY_KEY),
          tx.done,
        ]);
      } catch (error) {
        tx.done.catch(() => undefined);
        throw toStorageError(error);
      }
    },

    platforms: () => read(() => db.getAll('platforms')),
    async savePlatform(platform: CustomPlatform): Promise<void> {
      await read(() => db.put('platforms', platform));
    },
    /** Read-modify-write of one platform in a single transaction; one removed meanwhile stays removed. */
    async updatePlatform(id: string, change: (current: CustomPlatform) => CustomPlatform): Promise<void> {
      const tx = db.transaction('platforms', 'readwrite');
      try {
        const current = await tx.store.get(id);
        if (current) await tx.store.put(change(current));
        await tx.done;
      } catch (error) {
        tx.done.catch(() => undefined);
        throw toStorageError(error);
      }
    },

    vaultStore: createVaultStore(db, () => connectionWrites++),
  };
}

type SealedTransaction = IDBPTransaction<TokenWatchSchema, ['secrets', 'settings', ...StoreNames<TokenWatchSchema>[]], IDBTransactionMode>;

/** Every record holding a sealed value: the connections' secrets, pending revocations, the holder link. */
async function sealedRecordsIn(tx: SealedTransaction): Promise<SealedRecord[]> {
  const [secrets, settingKeys, settings] = await Promise.all([
    tx.objectStore('secrets').getAll(),
    tx.objectStore('settings').getAllKeys(),
    tx.objectStore('settings').getAll(),
  ]);
  return [
    ...secrets.map((value): SealedRecord => ({ store: 'secrets', key: value.connectionId, value })),
    ...settings.flatMap((value, index): SealedRecord[] =>
      Object.values(value).some(isSealed) ? [{ store: 'settings', key: settingKeys[index]!, value }] : [],
    ),
  ];
}

/** The vault's keys, its lock and its sealed records (utils/storage/vault.ts). */
function createVaultStore(db: TokenWatchDb, writingConnections: () => void): VaultStore {
  const read = async <T>(reading: () => Promise<T>): Promise<T> => {
    try {
      return await reading();
    } catch (error) {
      throw toStorageError(error);
    }
  };
  /** Runs `work` in one transaction: all of it commits, or (on a throw or a false answer) none. */
  async function atomically<T extends boolean | void>(stores: StoreNames<TokenWatchSchema>[], work: (tx: IDBPTransaction<TokenWatchSchema, StoreNames<TokenWatchSchema>[], 'readwrite'>) => Promise<T>): Promise<T> {
    const tx = db.transaction(stores, 'readwrite');
    try {
      const result = await work(tx);
      if (result === false) {
        tx.done.catch(() => undefined);
        abort(tx);
      } else await tx.done;
      return result;
    } catch (error) {
      tx.done.catch(() => undefined);
      abort(tx);
      throw toStorageError(error);
    }
  }

  return {
    getKey: (name) => read(() => db.get('keys', name)),
    deviceKeyName: async () => (await read(() => db.getAllKeys('keys', undefined, 1)))[0],
    async addKey(name, key) {
      const tx = db.transaction('keys', 'readwrite');
      const existing = await tx.store.get(name);
      if (!existing) await tx.store.add(key, name);
      await tx.done;
      return existing ?? key;
    },
    async lock() {
      const stored = await read(() => db.get('settings', LOCK));
      return isLock(stored) ? stored : undefined;
    },
    sealedRecords: () => read(() => sealedRecordsIn(db.transaction(['secrets', 'settings'], 'readonly') as SealedTransaction)),
    rekey: (changes, lock, deviceKey, sealedWith) =>
      atomically(['secrets', 'settings', 'keys'], async (tx) => {
        const planned = new Map(changes.map((change) => [`${change.record.store}/${change.record.key}`, change]));
        for (const record of await sealedRecordsIn(tx as SealedTransaction)) {
          const change = planned.get(`${record.store}/${record.key}`);
          // A record changed since it was read, or added since, with a value sealed otherwise: read again.
          if (change ? sealedIds(change.record.value) !== sealedIds(record.value) : Object.values(record.value).some((value) => isSealed(value) && value.key !== sealedWith)) return false;
          if (!change) continue;
          if (record.store === 'secrets') await tx.objectStore('secrets').put(change.after as ConnectionSecrets);
          else await tx.objectStore('settings').put(change.after as HolderLink, record.key);
        }
        await (lock ? tx.objectStore('settings').put(lock, LOCK) : tx.objectStore('settings').delete(LOCK));
        await tx.objectStore('keys').clear();
        if (deviceKey) await tx.objectStore('keys').put(deviceKey.key, deviceKey.name);
        return true;
      }),
    forgetSecrets() {
      writingConnections();
      return atomically(['connections', 'events', 'secrets', 'settings', 'keys'], async (tx) => {
        const sealed = await sealedRecordsIn(tx as SealedTransaction);
        const now = Date.now();
        // Connections change: the list's summary is made anew from them.
        await tx.objectStore('settings').delete(SUMMARY_KEY);
        for (const connection of await tx.objectStore('connections').getAll()) {
          // A held grant comes back from the holder once it is linked again; its link's key is gone.
          if (connection.held) {
            await tx.objectStore('connections').delete(connection.id);
            continue;
          }
          const appSecret = sealed.some((record) => record.store === 'secrets' && record.key === connection.id && 'clientSecret' in record.value);
          if (!connection.hasRefreshToken && !appSecret) continue;
          await tx.objectStore('connections').put({
            ...connection,
            hasRefreshToken: false,
            needsReconsent: connection.hasRefreshToken || connection.needsReconsent,
            // The app's secret must be entered again before the next sign-in.
            problem: appSecret ? { code: 'secret-unreadable', at: now, attempts: 0 } : null,
            updatedAt: now,
          });
          await tx.objectStore('events').add({ connectionId: connection.id, type: 'secrets-forgotten', at: now, actor: 'Token Watch' });
        }
        for (const record of sealed) await tx.objectStore(record.store).delete(record.key);
        await tx.objectStore('settings').delete(LOCK);
        await tx.objectStore('keys').clear();
      });
    },
  };
}

export type ConnectionRepository = ReturnType<typeof createConnectionRepository>;

/**
 * Opens the database on first use. A failed open is not cached, so the next
 * request tries again instead of failing until the browser restarts.
 */
export function lazyRepository(open?: (onClose: () => void) => Promise<TokenWatchDb>) {
  let opening: Promise<ConnectionRepository> | undefined;
  const forget = () => {
    opening = undefined;
  };
  const openDb = open ?? ((onClose: () => void) => openTokenWatchDb(DB_NAME, { onClose }));
  return () => {
    opening ??= openDb(forget)
      .then(createConnectionRepository)
      .catch((error: unknown) => {
        opening = undefined;
        throw toStorageError(error);
      });
    return opening;
  };
}

/**
 * The vault over the repository's keys, one per opened database, so its keys stay cached while
 * that database is open; a database opened anew (after a close or an upgrade) gets its own.
 */
export function lazyVault(repository: () => Promise<ConnectionRepository>, session: SessionKeyStore): () => Promise<Vault> {
  const vaults = new WeakMap<ConnectionRepository, Vault>();
  return async () => {
    const store = await repository();
    let vault = vaults.get(store);
    if (!vault) {
      vault = createVault(store.vaultStore, session);
      vaults.set(store, vault);
    }
    return vault;
  };
}
