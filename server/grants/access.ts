import type { Database, Sql } from '../db/database';
import type { Sealer } from '../sealing';

/** What the platform answered to a refresh: a new access token, and a new refresh token where it rotates them. */
export interface RefreshedTokens {
  accessToken: string;
  /** Seconds the access token lives, as the platform said. */
  expiresIn: number;
  refreshToken?: string;
  scope?: string;
}

export interface AccessDeps {
  db: Database;
  sealer: Sealer;
  now: () => number;
  /**
   * The platform's token endpoint, with the grant's app and refresh token. It runs inside the
   * grant's locked transaction and reads through `tx` (PGlite has a single connection).
   */
  refresh: (grant: { id: string; platformId: string; client: unknown; clientSecret?: string }, refreshToken: string, tx: Sql) => Promise<RefreshedTokens>;
}

/** An access token this close to its end is renewed rather than handed out. */
export const ACCESS_TOKEN_MARGIN_MS = 60_000;

interface GrantRow {
  id: string;
  platform_id: string;
  client: unknown;
  client_secret_sealed: string | null;
  refresh_token_sealed: string | null;
  access_token_sealed: string | null;
  access_expires_at: Date | string | null;
  needs_reconsent: boolean;
}

export class GrantUnusableError extends Error {
  constructor(readonly reason: 'not-found' | 'sign-in-needed') {
    super(reason);
    this.name = 'GrantUnusableError';
  }
}

const COLUMNS = 'id, platform_id, client, client_secret_sealed, refresh_token_sealed, access_token_sealed, access_expires_at, needs_reconsent';

/**
 * Fresh access tokens for the business software. A cached token is handed out without a lock.
 * A refresh runs under the grant's row lock, across every holder process on the database: the
 * first caller refreshes, the others wait for the lock and then find the fresh token. The new
 * refresh token (where the platform rotates it) is committed before any access token is handed out.
 */
export function createAccess(deps: AccessDeps) {
  const usable = (row: GrantRow | undefined): GrantRow => {
    if (!row) throw new GrantUnusableError('not-found');
    if (row.needs_reconsent || !row.refresh_token_sealed) throw new GrantUnusableError('sign-in-needed');
    return row;
  };
  const fresh = (row: GrantRow) =>
    row.access_token_sealed !== null && row.access_expires_at !== null && new Date(row.access_expires_at).getTime() - ACCESS_TOKEN_MARGIN_MS > deps.now();
  const read = async (sql: Sql, id: string, lock = '') =>
    (await sql.query<GrantRow>(`SELECT ${COLUMNS} FROM grants WHERE id = $1 AND removed_at IS NULL ${lock}`, [id]))[0];

  async function refreshLocked(id: string): Promise<{ accessToken: string; expiresAt: number }> {
    return deps.db.transaction(async (tx) => {
      const row = usable(await read(tx, id, 'FOR UPDATE'));
      // Whoever held the lock before us may have refreshed already.
      if (fresh(row)) return { accessToken: deps.sealer.open(row.access_token_sealed!), expiresAt: new Date(row.access_expires_at!).getTime() };
      const tokens = await deps.refresh(
        { id, platformId: row.platform_id, client: row.client, ...(row.client_secret_sealed ? { clientSecret: deps.sealer.open(row.client_secret_sealed) } : {}) },
        deps.sealer.open(row.refresh_token_sealed!),
        tx,
      );
      const now = deps.now();
      const expiresAt = now + tokens.expiresIn * 1000;
      await tx.query(
        `UPDATE grants SET access_token_sealed = $2, access_expires_at = $3, refresh_token_sealed = COALESCE($4, refresh_token_sealed),
           refreshed_at = $5, updated_at = $5, problem = NULL WHERE id = $1`,
        [id, deps.sealer.seal(tokens.accessToken), new Date(expiresAt), tokens.refreshToken ? deps.sealer.seal(tokens.refreshToken) : null, new Date(now)],
      );
      await tx.query(`INSERT INTO grant_events (grant_id, type, at, actor) VALUES ($1, 'refreshed', $2, 'holder')`, [id, new Date(now)]);
      return { accessToken: tokens.accessToken, expiresAt };
    });
  }

  return {
    async accessToken(id: string): Promise<{ accessToken: string; expiresAt: number }> {
      const row = usable(await read(deps.db, id));
      if (fresh(row)) return { accessToken: deps.sealer.open(row.access_token_sealed!), expiresAt: new Date(row.access_expires_at!).getTime() };
      return refreshLocked(id);
    },
  };
}
