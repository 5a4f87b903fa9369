import type { Database, Sql } from '../db/database';
import type { Sealer } from '../sealing';
import { OAuthFailure } from '../../utils/consent/oauth-errors';
import { backoffMs } from '../../utils/expiry/renewal';
import { appOf } from './apps';
import type { Platforms } from './platform';
import { recordEvent } from './store';

/** Attempts in all, waiting backoffMs between them (1 minute, doubling, at most 6 hours: about a day); then the holder gives up and says so. */
export const REVOCATION_ATTEMPTS = 12;
/** A revocation being tried is left alone this long by the other processes (and tried again if its process died). */
const LEASE_MS = 5 * 60_000;

/** How a queued revocation ended, or that it is still being tried. */
export type RevocationState = 'done' | 'pending' | 'given-up';

interface RevocationRow {
  id: string;
  grant_id: string;
  platform_id: string;
  client: { clientId?: string };
  client_secret_sealed: string | null;
  token_sealed: string;
  attempts: number;
}

/**
 * Refresh tokens the holder no longer uses (a grant removed, or replaced by a new sign-in) are
 * revoked at the platform (RFC 7009). Each attempt is claimed in a short transaction and made with
 * no transaction open, so the platform's answer never holds the database; one that does not answer
 * is asked again later, from whichever holder process gets there first. The grant's history says
 * how it ended.
 */
export function createRevocations({ db, sealer, platforms, now }: { db: Database; sealer: Sealer; platforms: Platforms; now: () => number }) {
  let running: Promise<number> | undefined;

  /** The next due revocation, claimed for this process for LEASE_MS. */
  const claim = () =>
    db.transaction(async (tx) => {
      const [row] = await tx.query<RevocationRow>(
        `SELECT id, grant_id, platform_id, client, client_secret_sealed, token_sealed, attempts FROM revocations
         WHERE done_at IS NULL AND next_at <= $1 ORDER BY next_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [new Date(now())],
      );
      if (row) await tx.query('UPDATE revocations SET next_at = $2 WHERE id = $1', [row.id, new Date(now() + LEASE_MS)]);
      return row;
    });

  async function attempt(row: RevocationRow): Promise<void> {
    // The app's secret as it is now: a secret changed since the grant was removed still revokes.
    const app = await appOf(db, sealer, row.platform_id).catch(() => undefined);
    const current = app && app.client.clientId === row.client.clientId ? app : undefined;
    const secret = current ? current.clientSecret : row.client_secret_sealed ? sealer.open(row.client_secret_sealed) : undefined;
    let failure: string | undefined;
    let revoked = false;
    try {
      revoked = await platforms.revoke(db, { platformId: row.platform_id, client: row.client, ...(secret ? { clientSecret: secret } : {}) }, sealer.open(row.token_sealed));
    } catch (error) {
      failure = error instanceof OAuthFailure ? error.code : 'failed';
    }
    const at = now();
    const attempts = row.attempts + 1;
    await db.transaction(async (tx) => {
      if (failure === undefined || attempts >= REVOCATION_ATTEMPTS) {
        const outcome = failure === undefined ? (revoked ? 'revoked' : 'not-offered') : 'gave-up';
        await tx.query('UPDATE revocations SET done_at = $2, token_sealed = NULL, attempts = $3, outcome = $4 WHERE id = $1', [row.id, new Date(at), attempts, outcome]);
        await recordEvent(tx, row.grant_id, failure === undefined ? 'revoked' : 'revocation-failed', {
          at,
          actor: 'holder',
          detail: failure === undefined ? (revoked ? 'revoked' : 'platform-offers-no-revocation') : `${attempts} attempts, last: ${failure}`,
        });
        return;
      }
      await tx.query('UPDATE revocations SET attempts = $2, next_at = $3 WHERE id = $1', [row.id, attempts, new Date(at + backoffMs(attempts))]);
    });
  }

  async function runOnce(): Promise<number> {
    let handled = 0;
    for (let row = await claim(); row; row = await claim()) {
      await attempt(row);
      handled += 1;
    }
    return handled;
  }

  return {
    /** Queues a refresh token for revocation, in the transaction that stops using it; answers the queued revocation's id. */
    async queue(tx: Sql, grant: { id: string; platform_id: string; client: unknown; client_secret_sealed: string | null }, tokenSealed: string): Promise<string> {
      const [row] = await tx.query<{ id: string }>(
        'INSERT INTO revocations (grant_id, platform_id, client, client_secret_sealed, token_sealed, next_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [grant.id, grant.platform_id, grant.client, grant.client_secret_sealed, tokenSealed, new Date(now())],
      );
      return String(row!.id);
    },
    /** Tries every revocation that is due; one run at a time in this process. Answers how many were handled. */
    runDue(): Promise<number> {
      running ??= runOnce().finally(() => (running = undefined));
      return running;
    },
    async state(id: string): Promise<RevocationState> {
      const [row] = await db.query<{ done_at: Date | null; outcome: string | null }>('SELECT done_at, outcome FROM revocations WHERE id = $1', [id]);
      if (!row?.done_at) return 'pending';
      return row.outcome === 'gave-up' ? 'given-up' : 'done';
    },
  };
}

export type Revocations = ReturnType<typeof createRevocations>;
