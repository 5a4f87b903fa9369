/**
 * Seals refresh tokens, app secrets and the token holder's member key with AES-GCM, under one of
 * two ways of keeping the key:
 *
 * - **On this device** (the default): a non-extractable key in IndexedDB. The secrets never sit in
 *   clear text in the stored records, an export file or a page's memory, and script cannot read the
 *   key out. But the browser writes the key into the profile's files: whoever copies the whole
 *   profile (or uses it on this machine) can open the secrets.
 * - **Behind a passphrase** (the lock): the key is stored only wrapped, under a key derived from the
 *   passphrase (PBKDF2-SHA-256, `PASSPHRASE_ITERATIONS`). Unlocked, its bytes live in the browser's
 *   session storage, kept in memory and gone when the browser closes. A copied profile then holds
 *   nothing that opens a secret; while locked, dates, warnings and the badge go on, and whatever needs
 *   a secret waits ("unlock to refresh").
 *
 * Neither protects against code running inside this extension. See docs/security.md.
 */
import type { Browser } from 'wxt/browser';
import { TokenWatchError } from '../errors';
import { PASSPHRASE_MIN_LENGTH } from '../limits';

export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
  /** The name of the key that sealed it; absent for the device key of the first releases. */
  key?: string;
}

/** The passphrase lock as stored: the vault's key, wrapped under the passphrase's key. */
export interface PassphraseLock {
  keyName: string;
  salt: Uint8Array<ArrayBuffer>;
  iterations: number;
  iv: Uint8Array<ArrayBuffer>;
  wrapped: ArrayBuffer;
}

/** A stored record holding sealed values (a connection's secrets, a revocation, the holder link). */
export interface SealedRecord {
  store: 'secrets' | 'settings';
  key: string;
  value: object;
}

/** Where the vault keeps its keys and finds the sealed records (the repository, in IndexedDB). */
export interface VaultStore {
  /** Device keys by name: non-extractable CryptoKeys. */
  getKey(name: string): Promise<CryptoKey | undefined>;
  /** The device key new secrets are sealed with, if there is one. */
  deviceKeyName(): Promise<string | undefined>;
  /** Stores the key unless one exists already under that name; returns the one stored. */
  addKey(name: string, key: CryptoKey): Promise<CryptoKey>;
  lock(): Promise<PassphraseLock | undefined>;
  sealedRecords(): Promise<SealedRecord[]>;
  /**
   * In one transaction: writes the records re-sealed (`after`) where each is still as read (`before`),
   * stores `lock` (or deletes it) and leaves `deviceKey` as the only device key (or none). Answers
   * false, writing nothing, when a record changed meanwhile or one holds a value sealed otherwise.
   */
  rekey(
    changes: readonly { record: SealedRecord; after: object }[],
    lock: PassphraseLock | null,
    deviceKey: { name: string; key: CryptoKey } | null,
    sealedWith: string,
  ): Promise<boolean>;
  /** Forgets every sealed value and the keys (a forgotten passphrase): see the repository's `forgetSecrets`. */
  forgetSecrets(): Promise<void>;
}

/** The unlocked key, in the browser's session storage (memory only). */
export interface SessionKeyStore {
  get(): Promise<{ name: string; raw: string } | undefined>;
  set(value: { name: string; raw: string } | null): Promise<void>;
}

const SESSION_ITEM = 'vault-key';

/** The unlocked key in a storage area of the browser's: `storage.session`, in memory only and gone when the browser closes. */
export function sessionKeyStore(area: Pick<Browser.storage.StorageArea, 'get' | 'set' | 'remove'>): SessionKeyStore {
  return {
    get: async () => (await area.get(SESSION_ITEM))[SESSION_ITEM] as { name: string; raw: string } | undefined,
    set: (value) => (value ? area.set({ [SESSION_ITEM]: value }) : area.remove(SESSION_ITEM)),
  };
}

/** The device key of the first releases: values it sealed carry no key name. */
const LEGACY_KEY = 'secrets-v1';
/** PBKDF2-SHA-256 iterations for a new passphrase (OWASP's figure for 2023 and later); each lock stores its own. */
export const PASSPHRASE_ITERATIONS = 600_000;
const REKEY_ATTEMPTS = 5;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A sealed value that cannot be opened: the key is gone or the data was damaged. */
export class VaultError extends TokenWatchError<'secret-unreadable'> {
  override name = 'VaultError';
  constructor(options?: { cause?: unknown }) {
    super('secret-unreadable', options);
  }
}

/** The vault is locked: what needs a secret waits until the user unlocks it. */
export class VaultLockedError extends TokenWatchError<'vault-locked'> {
  override name = 'VaultLockedError';
  constructor() {
    super('vault-locked');
  }
}

export type LockState = 'off' | 'locked' | 'unlocked';

export const isSealed = (value: unknown): value is Sealed =>
  typeof value === 'object' && value !== null && (value as Sealed).iv instanceof Uint8Array && (value as Sealed).data instanceof ArrayBuffer;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (char) => char.charCodeAt(0));

export function createVault(store: VaultStore, session: SessionKeyStore, subtle: SubtleCrypto = crypto.subtle) {
  /** Keys this vault has used, by name: a value sealed just before a change of key still opens while the worker lives. */
  const known = new Map<string, CryptoKey>();
  let unlocked: { name: string; key: CryptoKey } | undefined;

  const importAes = (raw: Uint8Array<ArrayBuffer>) => subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);

  /** The unlocked key of `lock`, from this worker's memory or the browser's session. */
  async function unlockedKey(lock: PassphraseLock): Promise<CryptoKey | undefined> {
    if (unlocked?.name === lock.keyName) return unlocked.key;
    const stored = await session.get();
    if (stored?.name !== lock.keyName) return undefined;
    unlocked = { name: stored.name, key: await importAes(fromBase64(stored.raw)) };
    known.set(stored.name, unlocked.key);
    return unlocked.key;
  }

  async function sealingKey(): Promise<{ name: string; key: CryptoKey }> {
    const lock = await store.lock();
    if (lock) {
      const key = await unlockedKey(lock);
      if (!key) throw new VaultLockedError();
      return { name: lock.keyName, key };
    }
    const name = (await store.deviceKeyName()) ?? LEGACY_KEY;
    const existing = known.get(name) ?? (await store.getKey(name));
    if (existing) return { name, key: remember(name, existing) };
    const fresh = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    return { name, key: remember(name, await store.addKey(name, fresh)) };
  }

  function remember(name: string, key: CryptoKey): CryptoKey {
    known.set(name, key);
    return key;
  }

  async function openingKey(name: string): Promise<CryptoKey> {
    const lock = await store.lock();
    if (lock?.keyName === name) {
      const key = await unlockedKey(lock);
      if (!key) throw new VaultLockedError();
      return key;
    }
    const key = known.get(name) ?? (await store.getKey(name));
    // The key is gone (a profile without it, a forgotten passphrase): this value cannot be opened.
    if (!key) throw new VaultError();
    return remember(name, key);
  }

  /** Seals with `sealing` where given (a key taken before a platform call, or a new key while sealing anew), else with the key of this moment. */
  async function seal(plaintext: string, sealing?: { name: string; key: CryptoKey }): Promise<Sealed> {
    const { name, key } = sealing ?? (await sealingKey());
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await subtle.encrypt({ name: 'AES-GCM', iv }, key, encoder.encode(plaintext));
    return { iv, data, key: name };
  }

  async function open(sealed: Sealed): Promise<string> {
    // A key that cannot be loaded is a storage fault, not a damaged secret: it must not cost the secret.
    const key = await openingKey(sealed.key ?? LEGACY_KEY);
    try {
      return decoder.decode(await subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, key, sealed.data));
    } catch (error) {
      throw new VaultError({ cause: error });
    }
  }

  async function passphraseKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
    const material = await subtle.importKey('raw', encoder.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveKey']);
    return subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, material, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  }

  async function wrap(raw: Uint8Array<ArrayBuffer>, keyName: string, passphrase: string): Promise<PassphraseLock> {
    if (passphrase.length < PASSPHRASE_MIN_LENGTH) throw new TokenWatchError('passphrase-too-short');
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const wrapping = await passphraseKey(passphrase, salt, PASSPHRASE_ITERATIONS);
    const wrapped = await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(keyName) }, wrapping, raw);
    return { keyName, salt, iv, iterations: PASSPHRASE_ITERATIONS, wrapped };
  }

  /** The lock's key bytes, if `passphrase` is the right one. */
  async function unwrap(lock: PassphraseLock, passphrase: string): Promise<Uint8Array<ArrayBuffer>> {
    const wrapping = await passphraseKey(passphrase, lock.salt, lock.iterations);
    try {
      return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: lock.iv, additionalData: encoder.encode(lock.keyName) }, wrapping, lock.wrapped));
    } catch {
      throw new TokenWatchError('passphrase-wrong');
    }
  }

  async function requireLock(): Promise<PassphraseLock> {
    const lock = await store.lock();
    if (!lock) throw new TokenWatchError('lock-off');
    return lock;
  }

  async function keepUnlocked(name: string, raw: Uint8Array<ArrayBuffer>): Promise<void> {
    await session.set({ name, raw: toBase64(raw) });
    unlocked = { name, key: remember(name, await importAes(raw)) };
  }

  /**
   * Seals every stored secret anew under `next` and commits them with the new way of keeping it,
   * all in one transaction. Should a record change meanwhile (a renewal stored a rotated token),
   * it reads and seals again.
   */
  async function rekey(next: { name: string; key: CryptoKey }, lock: PassphraseLock | null, deviceKey: { name: string; key: CryptoKey } | null): Promise<void> {
    for (let attempt = 0; attempt < REKEY_ATTEMPTS; attempt++) {
      const records = await store.sealedRecords();
      const changes = [];
      for (const record of records) {
        const after: Record<string, unknown> = { ...record.value };
        for (const [field, value] of Object.entries(record.value)) {
          if (!isSealed(value) || value.key === next.name) continue;
          // A value no key opens any more (damaged, its key long gone) is dropped: it could never be used.
          const plain = await open(value).catch((error: unknown) => {
            if (error instanceof VaultError) return undefined;
            throw error;
          });
          if (plain === undefined) delete after[field];
          else after[field] = await seal(plain, next);
        }
        changes.push({ record, after });
      }
      if (await store.rekey(changes, lock, deviceKey, next.name)) return;
    }
    throw new TokenWatchError('storage-unavailable');
  }

  return {
    seal: (plaintext: string) => seal(plaintext),
    /**
     * Seals with the key of this moment, even should the vault be locked meanwhile: taken before a
     * platform is asked, so that the token it answers with is never lost to a lock pressed during the call.
     */
    async sealer(): Promise<(plaintext: string) => Promise<Sealed>> {
      const key = await sealingKey();
      return (plaintext) => seal(plaintext, key);
    },
    open,

    async lockState(): Promise<LockState> {
      const lock = await store.lock();
      if (!lock) return 'off';
      return (await unlockedKey(lock)) ? 'unlocked' : 'locked';
    },

    /** Turns the lock on: a new key, wrapped under the passphrase; every secret is sealed anew with it, and the device key goes. */
    async enable(passphrase: string): Promise<void> {
      if (await store.lock()) throw new TokenWatchError('lock-on');
      const name = `lock-${toBase64(crypto.getRandomValues(new Uint8Array(9))).replace(/[+/]/g, '_')}`;
      const raw = crypto.getRandomValues(new Uint8Array(32));
      const lock = await wrap(raw, name, passphrase);
      const key = await importAes(raw);
      await rekey({ name, key }, lock, null);
      await keepUnlocked(name, raw);
    },

    async unlock(passphrase: string): Promise<void> {
      const lock = await requireLock();
      await keepUnlocked(lock.keyName, await unwrap(lock, passphrase));
    },

    /** Locks now: the key leaves this worker and the session; it is needed again at the next secret. */
    async lockNow(): Promise<void> {
      await requireLock();
      await session.set(null);
      if (unlocked) known.delete(unlocked.name);
      unlocked = undefined;
    },

    /** A new passphrase for the same key: nothing is sealed anew. */
    async change(current: string, next: string): Promise<void> {
      const lock = await requireLock();
      const raw = await unwrap(lock, current);
      const rewrapped = await wrap(raw, lock.keyName, next);
      const key = await importAes(raw);
      await rekey({ name: lock.keyName, key }, rewrapped, null);
      await keepUnlocked(lock.keyName, raw);
    },

    /** Turns the lock off: the same key becomes this device's key again, kept in the profile. */
    async disable(current: string): Promise<void> {
      const lock = await requireLock();
      const key = await importAes(await unwrap(lock, current));
      await rekey({ name: lock.keyName, key }, null, { name: lock.keyName, key });
      await session.set(null);
      unlocked = undefined;
    },

    /** The passphrase is forgotten: every secret goes, the lock too; dates and history stay, and each grant asks for a new sign-in. */
    async forget(): Promise<void> {
      await requireLock();
      await store.forgetSecrets();
      await session.set(null);
      known.clear();
      unlocked = undefined;
    },
  };
}

export type Vault = ReturnType<typeof createVault>;
