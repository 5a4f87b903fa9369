import { createHash, randomBytes } from 'node:crypto';
import type { Database } from './db/database';

/**
 * Keys to the holder: one per colleague (a member key, sent by their extension, so the holder knows
 * who signed in) and one per piece of business software (a server key, for access tokens). Only a
 * key's SHA-256 is stored; the key itself is shown once, when it is issued.
 */
export type KeyKind = 'member' | 'server';

const PREFIX: Record<KeyKind, string> = { member: 'twm_', server: 'tws_' };
const TABLE: Record<KeyKind, 'members' | 'server_keys'> = { member: 'members', server: 'server_keys' };
const KINDS: readonly KeyKind[] = ['member', 'server'];

export const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

export interface Caller {
  kind: KeyKind;
  id: string;
  name: string;
}

/** Issues a key for a colleague or a piece of software; the answer is the only time the key is seen. */
export async function issueKey(db: Database, kind: KeyKind, name: string): Promise<Caller & { key: string }> {
  const trimmed = name.trim();
  if (trimmed === '' || trimmed.length > 200) throw new Error('Give a name of 1 to 200 characters, for example "Anna Becker".');
  const key = `${PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
  const id = randomBytes(9).toString('base64url');
  await db.query(`INSERT INTO ${TABLE[kind]} (id, name, key_hash) VALUES ($1, $2, $3)`, [id, trimmed, hashKey(key)]);
  return { kind, id, name: trimmed, key };
}

/**
 * How long a process trusts a key it found valid before it asks the database again. A key revoked
 * in the database stops working within this time; in exchange the business software's requests
 * for access tokens skip a query each (see docs/benchmark.md). Unknown keys are never remembered.
 */
export const KEY_MEMORY_MS = 5_000;

/** Who sends this key, or null: an unknown, revoked or malformed key gets nothing more. */
export function createIdentify(db: Database, now: () => number = Date.now) {
  // Only keys found valid enter, so this holds at most the keys issued; by hash, like the database.
  const known = new Map<string, { caller: Caller; until: number }>();
  return async (key: string | undefined): Promise<Caller | null> => {
    const kind = KINDS.find((candidate) => key?.startsWith(PREFIX[candidate]));
    if (!key || !kind || key.length > 100) return null;
    const hash = hashKey(key);
    const remembered = known.get(hash);
    if (remembered && remembered.until > now()) return remembered.caller;
    const [row] = await db.query<{ id: string; name: string }>(`SELECT id, name FROM ${TABLE[kind]} WHERE key_hash = $1 AND revoked_at IS NULL`, [hash]);
    if (!row) {
      known.delete(hash);
      return null;
    }
    const caller: Caller = { kind, id: row.id, name: row.name };
    known.set(hash, { caller, until: now() + KEY_MEMORY_MS });
    return caller;
  };
}

/** Every key's id, kind, name and dates (never the key), for `npm run holder -- list-keys`. */
export async function listKeys(db: Database): Promise<{ id: string; kind: KeyKind; name: string; created_at: Date; revoked_at: Date | null }[]> {
  const rows = await Promise.all(
    KINDS.map(async (kind) =>
      (await db.query<{ id: string; name: string; created_at: Date; revoked_at: Date | null }>(`SELECT id, name, created_at, revoked_at FROM ${TABLE[kind]} ORDER BY created_at`)).map((row) => ({ ...row, kind })),
    ),
  );
  return rows.flat();
}

/** Withdraws a key at once (a colleague who left, a leaked key); answers whether there was such a key. */
export async function revokeKey(db: Database, id: string): Promise<boolean> {
  let found = false;
  for (const kind of KINDS) {
    const rows = await db.query(`UPDATE ${TABLE[kind]} SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING id`, [id]);
    found ||= rows.length > 0;
  }
  return found;
}
export type Identify = ReturnType<typeof createIdentify>;
