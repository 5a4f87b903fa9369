import type { Database, Sql } from '../db/database';
import type { Sealer } from '../sealing';
import type { Platforms } from './platform';
import { recordEvent } from './store';

/** Waits between attempts: 1 minute, doubling, at most 6 hours; after this many, the holder gives up and says so in the history. */
const FIRST_WAIT_MS = 60_000;
const LONGEST_WAIT_MS = 6 * 3_600_000;
export const REVOCATION_ATTEMPTS = 8;

interface RevocationRow {
  id: string;
  grant_id: string;
  platform_id: string;
  client: unknown;
  client_secret_sealed: string | null;
  token_sealed: string;
  attempts: number;
}

/**
 * Refresh tokens the holder no longer uses (a grant removed, or replaced by a new sign-in) are
 * revoked at the platform (RFC 7009). A platform that does not answer is asked again later, from
 * whichever holder process gets there first; the grant's history says how it ended.
 */
export function createRevocations({ db, sealer, platforms, now }: { db: Database; sealer: Sealer; platforms: Platforms; now: () => number }) {
  let running: Promise<number> | undefined;

  async function attempt(tx: Sql, row: RevocationRow): Promise<void> {
    const at = now();
    try {
      const grant = { platformId: row.platform_id, client: row.client, ...(row.client_secret_sealed ? { clientSecret: sealer.open(row.client_secret_sealed) } : {}) };
      const revoked = await platforms.revoke(tx, grant, sealer.open(row.token_sealed));
      await tx.query('UPDATE revocations SET done_at = $2, token_sealed = NULL, attempts = attempts + 1 WHERE id = $1', [row.id, new Date(at)]);
      await recordEvent(tx, row.grant_id, 'revoked', { at, actor: 'holder', detail: revoked ? 'revoked' : 'platform-offers-no-revocation' });
    } catch {
      const attempts = row.attempts + 1;
      if (attempts >= REVOCATION_ATTEMPTS) {
        await tx.query('UPDATE revocations SET done_at = $2, token_sealed = NULL, attempts = $3 WHERE id = $1', [row.id, new Date(at), attempts]);
        await recordEvent(tx, row.grant_id, 'revocation-failed', { at, actor: 'holder', detail: `${attempts} attempts` });
        return;
      }
      const wait = Math.min(FIRST_WAIT_MS * 2 ** (attempts - 1), LONGEST_WAIT_MS);
      await tx.query('UPDATE revocations SET attempts = $2, next_at = $3 WHERE id = $1', [row.id, attempts, new Date(at + wait)]);
    }
  }

  async function runOnce(): Promise<number> {
    let handled = 0;
    for (;;) {
      // One at a time, each in its own transaction; SKIP LOCKED lets other processes take the next one.
      const done = await db.transaction(async (tx) => {
        const [row] = await tx.query<RevocationRow>(
          `SELECT id, grant_id, platform_id, client, client_secret_sealed, token_sealed, attempts FROM revocations
           WHERE done_at IS NULL AND next_at <= $1 ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
          [new Date(now())],
        );
        if (!row) return false;
        await attempt(tx, row);
        return true;
      });
      if (!done) return handled;
      handled += 1;
    }
  }

  return {
    /** Queues a refresh token for revocation, in the transaction that stops using it. */
    async queue(tx: Sql, grant: { id: string; platform_id: string; client: unknown; client_secret_sealed: string | null }, tokenSealed: string) {
      await tx.query(
        'INSERT INTO revocations (grant_id, platform_id, client, client_secret_sealed, token_sealed, next_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [grant.id, grant.platform_id, grant.client, grant.client_secret_sealed, tokenSealed, new Date(now())],
      );
    },
    /** Tries every revocation that is due; one run at a time in this process. Answers how many were handled. */
    runDue(): Promise<number> {
      running ??= runOnce().finally(() => (running = undefined));
      return running;
    },
  };
}

export type Revocations = ReturnType<typeof createRevocations>;
