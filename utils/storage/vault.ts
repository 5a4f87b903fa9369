/**
 * Seals refresh tokens and client secrets with AES-GCM under a key that is
 * generated non-extractable and kept in IndexedDB. What that protects: the
 * secrets never sit in clear text in the stored records, an export file or a
 * page's memory, and script cannot read the key out. What it does not protect
 * against: the browser writes the key into the same profile files, so whoever
 * copies the whole profile (or uses it on this machine) can open the secrets;
 * and code running inside this extension. See docs/security.md.
 */
import { TokenWatchError } from '../errors';

export interface Sealed {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

export interface KeyStore {
  getKey(name: string): Promise<CryptoKey | undefined>;
  /** Stores the key unless one exists already; returns the one stored. */
  addKey(name: string, key: CryptoKey): Promise<CryptoKey>;
}

const KEY_NAME = 'secrets-v1';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A sealed value that cannot be opened: the key is gone or the data was damaged. */
export class VaultError extends TokenWatchError<'secret-unreadable'> {
  override name = 'VaultError';
  constructor(options?: { cause?: unknown }) {
    super('secret-unreadable', options);
  }
}

export function createVault(keys: KeyStore, subtle: SubtleCrypto = crypto.subtle) {
  let key: Promise<CryptoKey> | undefined;

  function currentKey(): Promise<CryptoKey> {
    key ??= (async () => {
      const stored = await keys.getKey(KEY_NAME);
      if (stored) return stored;
      const fresh = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
      return keys.addKey(KEY_NAME, fresh);
    })().catch((error: unknown) => {
      key = undefined;
      throw error;
    });
    return key;
  }

  return {
    async seal(plaintext: string): Promise<Sealed> {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await subtle.encrypt({ name: 'AES-GCM', iv }, await currentKey(), encoder.encode(plaintext));
      return { iv, data };
    },
    async open(sealed: Sealed): Promise<string> {
      // A key that cannot be loaded is a storage fault, not a damaged secret: it must not cost the secret.
      const key = await currentKey();
      try {
        return decoder.decode(await subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv }, key, sealed.data));
      } catch (error) {
        throw new VaultError({ cause: error });
      }
    },
  };
}

export type Vault = ReturnType<typeof createVault>;
