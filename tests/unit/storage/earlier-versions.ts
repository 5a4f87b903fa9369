import { openDB, type IDBPDatabase } from 'idb';

/**
 * Databases as earlier releases left them: the stores each version created and records of the
 * shape its code wrote, spelled out here rather than built with today's types, so they stay old.
 */

export const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);

/** Version 1: connections and their history. */
function createVersion1Stores(db: IDBPDatabase) {
  db.createObjectStore('connections', { keyPath: 'id' }).createIndex('byPlatform', 'platformId');
  db.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('byConnection', 'connectionId');
}

const ebayShop = {
  id: 'ebay-shop',
  platformId: 'ebay',
  label: 'eBay Shop Müller',
  account: 'mueller-handel',
  consentedAt: day('2025-03-01'),
  requestedBy: 'Anna Becker',
  accessTokenExpiry: { at: null, source: 'unknown' },
  grantExpiry: { at: day('2026-09-01'), source: 'documented' },
  needsReconsent: false,
  warningDays: [30, 14, 7, 3, 1, 0],
  createdAt: day('2025-03-01'),
  updatedAt: day('2025-03-01'),
};

const apiKey = {
  id: 'shopify-key',
  platformId: 'shopify',
  label: 'Shopify API key',
  account: '',
  consentedAt: null,
  requestedBy: '',
  accessTokenExpiry: { at: null, source: 'unknown' },
  grantExpiry: { at: day('2026-12-31'), source: 'user' },
  needsReconsent: true,
  warningDays: [7],
  createdAt: day('2025-04-02'),
  updatedAt: day('2025-05-06'),
};

/** Odd, as a hand-edited or damaged record is: no dates at all, and a field no release wrote. */
const oddOne = {
  id: 'odd-one',
  platformId: 'datev',
  label: 'Mandant 10001',
  account: 'mandant-10001',
  consentedAt: null,
  requestedBy: 'Anna Becker',
  needsReconsent: false,
  warningDays: [],
  note: 'kept as it is',
  createdAt: day('2025-05-01'),
  updatedAt: day('2025-05-01'),
};

/** Connections as version 1 wrote them, by what they are. */
export const version1 = { ebayShop, apiKey, oddOne };

/** Fields version 2 gave every connection, with the values an older record means. */
const version2Fields = { scopes: [], refreshedAt: null, hasRefreshToken: false, problem: null };

/** Connections as version 2 wrote them. */
export const version2 = {
  ebayShop: {
    ...ebayShop,
    client: { clientId: 'app-123', exchange: 'secret', redirectName: 'Mueller-Handel-RuName' },
    scopes: ['https://api.ebay.com/oauth/api_scope'],
    refreshedAt: day('2025-06-01'),
    hasRefreshToken: true,
    problem: { code: 'network', at: day('2025-06-02'), retryAt: day('2025-06-03'), attempts: 2 },
  },
  apiKey: { ...apiKey, ...version2Fields },
  /** Odd: the end date is null, not an object. */
  noEnd: { ...ebayShop, id: 'no-end', grantExpiry: null, ...version2Fields },
  oddOne: { ...oddOne, ...version2Fields },
};

export const events = [
  { connectionId: 'ebay-shop', type: 'added', at: day('2025-03-01'), actor: 'Anna Becker' },
  { connectionId: 'ebay-shop', type: 'warned', at: day('2026-08-02'), actor: 'Token Watch', detail: '30' },
  { connectionId: 'removed-long-ago', type: 'removed', at: day('2025-02-01'), actor: 'Anna Becker' },
];

export const version2Platforms = [
  {
    id: 'custom-erp',
    name: 'Our ERP',
    kind: 'oauth',
    oauth: { issuer: 'https://login.erp.example', scopes: ['openid', 'offline_access'], exchanges: ['public'] },
    grantRule: { kind: 'unknown' },
    ruleSource: 'Added by Anna Becker',
    createdAt: day('2025-05-10'),
  },
];

/** The name version 2 stored its sealing key under. */
export const SEALING_KEY_NAME = 'secrets-v1';
export const SEALED_REFRESH_TOKEN = 'v^1.1#refresh';

export async function createVersion1Database(name: string): Promise<void> {
  const db = await openDB(name, 1, { upgrade: createVersion1Stores });
  const tx = db.transaction(['connections', 'events'], 'readwrite');
  await Promise.all([
    ...Object.values(version1).map((record) => tx.objectStore('connections').put(record)),
    ...events.map((record) => tx.objectStore('events').add(record)),
    tx.done,
  ]);
  db.close();
}

/** What a version 2 database holds, as `writeVersion2Database` takes it. */
export interface Version2Contents {
  name: string;
  connections: unknown[];
  events: unknown[];
  platforms: unknown[];
  /** Sealed under a new non-extractable key, stored under `keyName`, for the connection `sealedFor`. */
  refreshToken: string;
  clientSecret: string;
  sealedFor: string;
  keyName: string;
}

export const version2Contents = (name: string): Version2Contents => ({
  name,
  connections: Object.values(version2),
  events,
  platforms: version2Platforms,
  refreshToken: SEALED_REFRESH_TOKEN,
  clientSecret: 'client-secret',
  sealedFor: 'ebay-shop',
  keyName: SEALING_KEY_NAME,
});

/**
 * Version 2 added sealed secrets, the key that seals them and the user's own platforms.
 * Writes a version 2 database with the plain IndexedDB and WebCrypto of wherever it runs. It uses
 * nothing from outside its own body, so that an end-to-end test can run the very same function in
 * the browser (tests/e2e/upgrade.test.ts) as the unit tests run it on fake-indexeddb.
 */
export async function writeVersion2Database(contents: Version2Contents): Promise<void> {
  const done = (request: IDBRequest | IDBTransaction) =>
    new Promise<void>((resolve, reject) => {
      if ('oncomplete' in request) request.oncomplete = () => resolve();
      else request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
  const db = await new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(contents.name, 2);
    request.onupgradeneeded = () => {
      const created = request.result;
      created.createObjectStore('connections', { keyPath: 'id' }).createIndex('byPlatform', 'platformId');
      created.createObjectStore('events', { keyPath: 'id', autoIncrement: true }).createIndex('byConnection', 'connectionId');
      created.createObjectStore('secrets', { keyPath: 'connectionId' });
      created.createObjectStore('keys');
      created.createObjectStore('platforms', { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const key = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const seal = async (text: string) => {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    return { iv, data: await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(text)) };
  };
  const secret = { connectionId: contents.sealedFor, refreshToken: await seal(contents.refreshToken), clientSecret: await seal(contents.clientSecret) };
  const tx = db.transaction(['connections', 'events', 'secrets', 'keys', 'platforms'], 'readwrite');
  for (const record of contents.connections) tx.objectStore('connections').put(record);
  for (const record of contents.events) tx.objectStore('events').add(record);
  for (const record of contents.platforms) tx.objectStore('platforms').put(record);
  tx.objectStore('secrets').put(secret);
  tx.objectStore('keys').put(key, contents.keyName);
  await done(tx);
  db.close();
}

/** A version 2 database, with a refresh token and a client secret sealed under its key. */
export const createVersion2Database = (name: string) => writeVersion2Database(version2Contents(name));

/** Everything stored, store by store, read without upgrading; and the version the database is at. */
export async function readEverything(name: string) {
  const db = await openDB(name);
  const contents: Record<string, unknown[]> = {};
  for (const store of [...db.objectStoreNames].sort()) contents[store] = await db.getAll(store);
  const version = db.version;
  db.close();
  return { version, contents };
}
