import type { ProblemCode } from '../../utils/connection';
import { OAuthFailure, TRANSIENT_PROBLEMS } from '../../utils/consent/oauth-errors';
import { DEFAULT_ACCESS_TOKEN_SECONDS, nextProblem, refreshedGrantExpiry } from '../../utils/expiry/renewal';
import type { DatedExpiry } from '../../utils/expiry/rules';
import type { Database, Sql } from '../db/database';
import type { Sealer } from '../sealing';
import type { Platforms } from './platform';
import { readGrant, recordEvent, type GrantRow } from './store';

/** What the platform answered to a refresh: a new access token, and a new refresh token where it rotates them. */
export interface RefreshedTokens {
  accessToken: string;
  /** Seconds the access token lives, as the platform said. */
  expiresIn: number;
  refreshToken?: string;
  scope?: string;
  /** The grant's new end, where the platform's rule moves it (sliding grants). */
  grantExpiry?: DatedExpiry;
}

/** A grant as a refresh needs it. */
export interface RefreshGrant {
  id: string;
  platformId: string;
  client: unknown;
  clientSecret?: string;
  consentedAt: number | null;
  grantExpiry: DatedExpiry;
}

/** Who hears of a grant that needs a new sign-in, or works again (the team's webhook). */
export type GrantNotice = 'sign-in-needed' | 'working-again';

export interface AccessDeps {
  db: Database;
  sealer: Sealer;
  now: () => number;
  /** The platform's token endpoint. It runs inside the grant's locked transaction and reads through `tx`. */
  refresh: (grant: RefreshGrant, refreshToken: string, tx: Sql) => Promise<RefreshedTokens>;
  /** Called after the change is committed. */
  notify?: (notice: GrantNotice, grantId: string) => void;
}

/** An access token this close to its end is renewed rather than handed out. */
export const ACCESS_TOKEN_MARGIN_MS = 60_000;
/** "Check now" asks the platform at most once a minute per grant, however often colleagues press it. */
export const CHECK_INTERVAL_MS = 60_000;

/**
 * How long a process hands out a grant's access token from memory before it reads the grant's row
 * again. A change another process makes (a removal, a grant the platform refused) reaches this
 * process within this time; the business software may keep a token it received until the token's
 * own end anyway, so a few more seconds of the same token give it nothing it could not have. This
 * process's own refreshes, failures and removals take effect at once.
 */
export const ACCESS_MEMORY_MS = 5_000;

export type RefreshOutcome =
  | { status: 'refreshed'; accessToken: string; expiresAt: number }
  /** Nothing was due when the lock was ours: another request or process refreshed just before. */
  | { status: 'current' }
  | { status: 'sign-in-needed' }
  | { status: 'retry-later'; code: ProblemCode; retryAt: number }
  | { status: 'failed'; code: ProblemCode };

export class GrantUnusableError extends Error {
  constructor(readonly reason: 'not-found' | 'sign-in-needed' | 'platform-unavailable') {
    super(reason);
    this.name = 'GrantUnusableError';
  }
}

const time = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

/** The holder's refresh through the shared OAuth client; the grant's new end comes from the catalogue's rule. */
export function platformRefresh(platforms: Platforms): AccessDeps['refresh'] {
  return async (grant, refreshToken, tx) => {
    const { platform, tokens } = await platforms.refresh(tx, grant, refreshToken);
    if (!tokens.accessToken) throw new OAuthFailure('invalid-response');
    return {
      accessToken: tokens.accessToken,
      expiresIn: tokens.accessTokenExpiresIn ?? platform.oauth.accessTokenSeconds ?? DEFAULT_ACCESS_TOKEN_SECONDS,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      ...(tokens.scope ? { scope: tokens.scope } : {}),
      grantExpiry: refreshedGrantExpiry(platform.grantRule, tokens, grant.consentedAt ?? tokens.receivedAt, grant.grantExpiry),
    };
  };
}

/**
 * Fresh access tokens for the business software, and refreshes for "check now" and upkeep. A cached
 * token is handed out without a lock. A refresh runs under the grant's row lock, across every holder
 * process on the database: the first caller refreshes, the others wait for the lock and then find
 * the fresh token. The new refresh token (where the platform rotates it) is committed before any
 * access token is handed out; a failure is recorded in the same transaction.
 */
export function createAccess(deps: AccessDeps) {
  const fresh = (row: GrantRow) => row.access_token_sealed !== null && (time(row.access_expires_at) ?? 0) - ACCESS_TOKEN_MARGIN_MS > deps.now();
  const cached = (row: GrantRow) => ({ status: 'refreshed' as const, accessToken: deps.sealer.open(row.access_token_sealed!), expiresAt: time(row.access_expires_at)! });
  // Kept opened: this process holds HOLDER_KEY, which opens every sealed value, so sealing a copy in memory would protect nothing.
  const memory = new Map<string, { accessToken: string; expiresAt: number; until: number }>();
  const remember = (id: string, { accessToken, expiresAt }: { accessToken: string; expiresAt: number }) => {
    memory.set(id, { accessToken, expiresAt, until: deps.now() + ACCESS_MEMORY_MS });
    return { accessToken, expiresAt };
  };

  async function recordFailure(tx: Sql, row: GrantRow, error: unknown, actor: string): Promise<RefreshOutcome> {
    const failure = error instanceof OAuthFailure ? error : new OAuthFailure('failed', {}, { cause: error });
    const now = deps.now();
    if (failure.code === 'grant-rejected') {
      // The platform will never take this refresh token again: only a new sign-in helps.
      await tx.query(
        `UPDATE grants SET needs_reconsent = true, refresh_token_sealed = NULL, access_token_sealed = NULL, access_expires_at = NULL,
           problem = NULL, updated_at = $2 WHERE id = $1`,
        [row.id, new Date(now)],
      );
      await recordEvent(tx, row.id, 'refresh-failed', { at: now, actor, detail: 'invalid_grant' });
      return { status: 'sign-in-needed' };
    }
    const transient = TRANSIENT_PROBLEMS[failure.code];
    const code: ProblemCode = transient ?? (failure.code === 'platform-misconfigured' ? 'platform-misconfigured' : 'client-rejected');
    const problem = nextProblem(row.problem, code, now, { retry: transient !== undefined, retryAfterSeconds: failure.details.retryAfterSeconds });
    await tx.query('UPDATE grants SET problem = $2, updated_at = $3 WHERE id = $1', [row.id, problem, new Date(now)]);
    await recordEvent(tx, row.id, 'refresh-failed', { at: now, actor, detail: code });
    return problem.retryAt ? { status: 'retry-later', code, retryAt: problem.retryAt } : { status: 'failed', code };
  }

  /**
   * Refreshes under the grant's row lock if `due` still says so once the lock is ours: whoever held
   * it before may have refreshed already. The platform is asked while the lock is held, so two
   * processes never present the same refresh token (on PGlite, the embedded database, this holds
   * every other request until the platform answers: PostgreSQL is for more than one user at once).
   */
  async function refreshLocked(id: string, actor: string, due: (row: GrantRow) => boolean): Promise<RefreshOutcome> {
    // Set when this refresh found the grant refused: the team hears of it once, after the commit.
    let lapsed = false;
    const outcome = await deps.db.transaction(async (tx): Promise<RefreshOutcome> => {
      const row = await readGrant(tx, id, { lock: true });
      if (!row) throw new GrantUnusableError('not-found');
      if (row.needs_reconsent || !row.refresh_token_sealed) return { status: 'sign-in-needed' };
      if (!due(row)) return { status: 'current' };
      // Opened before the platform is asked: a value this key cannot open is the holder's fault, not the platform's.
      const grant: RefreshGrant = {
        id,
        platformId: row.platform_id,
        client: row.client,
        ...(row.client_secret_sealed ? { clientSecret: deps.sealer.open(row.client_secret_sealed) } : {}),
        consentedAt: time(row.consented_at),
        grantExpiry: { at: time(row.grant_expires_at), source: row.grant_expiry_source },
      };
      const refreshToken = deps.sealer.open(row.refresh_token_sealed);
      let tokens: RefreshedTokens;
      try {
        tokens = await deps.refresh(grant, refreshToken, tx);
      } catch (error) {
        const failed = await recordFailure(tx, row, error, actor);
        lapsed = failed.status === 'sign-in-needed';
        return failed;
      }
      const now = deps.now();
      const expiresAt = now + tokens.expiresIn * 1000;
      await tx.query(
        `UPDATE grants SET access_token_sealed = $2, access_expires_at = $3, refresh_token_sealed = COALESCE($4, refresh_token_sealed),
           refreshed_at = $5, updated_at = $5, problem = NULL, scopes = COALESCE($6, scopes),
           grant_expires_at = COALESCE($7, grant_expires_at), grant_expiry_source = COALESCE($8, grant_expiry_source) WHERE id = $1`,
        [
          id,
          deps.sealer.seal(tokens.accessToken),
          new Date(expiresAt),
          tokens.refreshToken ? deps.sealer.seal(tokens.refreshToken) : null,
          new Date(now),
          tokens.scope ? tokens.scope.split(' ').filter(Boolean) : null,
          tokens.grantExpiry?.at ? new Date(tokens.grantExpiry.at) : null,
          tokens.grantExpiry?.at ? tokens.grantExpiry.source : null,
        ],
      );
      await recordEvent(tx, id, 'refreshed', { at: now, actor });
      return { status: 'refreshed', accessToken: tokens.accessToken, expiresAt };
    });
    if (lapsed) deps.notify?.('sign-in-needed', id);
    if (outcome.status === 'refreshed') remember(id, outcome);
    else memory.delete(id);
    return outcome;
  }

  /** An access token that still works, if not for another minute: better than none while the platform is down. */
  const stillValid = (row: GrantRow) => row.access_token_sealed !== null && (time(row.access_expires_at) ?? 0) > deps.now();
  /** One refresh per grant at a time in this process: the others wait for it instead of for a database connection each. */
  const inflight = new Map<string, Promise<RefreshOutcome>>();

  async function accessToken(id: string): Promise<{ accessToken: string; expiresAt: number }> {
    const remembered = memory.get(id);
    if (remembered && remembered.until > deps.now() && remembered.expiresAt - ACCESS_TOKEN_MARGIN_MS > deps.now()) return remembered;
    const row = await readGrant(deps.db, id);
    if (!row) throw new GrantUnusableError('not-found');
    if (row.needs_reconsent) throw new GrantUnusableError('sign-in-needed');
    if (fresh(row)) return remember(id, cached(row));
    // Without a refresh token, the access token is all there is; a platform in its back-off is not asked again yet.
    if (!row.refresh_token_sealed || (row.problem?.retryAt ?? 0) > deps.now()) {
      if (stillValid(row)) return cached(row);
      throw new GrantUnusableError(row.refresh_token_sealed ? 'platform-unavailable' : 'sign-in-needed');
    }
    let running = inflight.get(id);
    if (!running) {
      running = refreshLocked(id, 'holder', (current) => !fresh(current)).finally(() => inflight.delete(id));
      inflight.set(id, running);
    }
    const outcome = await running;
    if (outcome.status === 'refreshed') return outcome;
    const after = await readGrant(deps.db, id);
    if (after && (outcome.status === 'current' ? fresh(after) : stillValid(after))) return cached(after);
    throw new GrantUnusableError(outcome.status === 'sign-in-needed' ? 'sign-in-needed' : 'platform-unavailable');
  }

  return {
    accessToken,

    /** "Check now": a refresh at the platform, unless the grant was refreshed within the last minute. */
    check: (id: string, actor: string): Promise<RefreshOutcome> =>
      refreshLocked(id, actor, (row) => !row.access_token_sealed || (time(row.refreshed_at) ?? 0) < deps.now() - CHECK_INTERVAL_MS),

    /** The holder's own round: a refresh only if `due` still holds under the lock (another process may have done it). */
    refreshIfDue: (id: string, due: (row: GrantRow) => boolean): Promise<RefreshOutcome> => refreshLocked(id, 'holder', due),

    /** The next request for this grant reads its row: after this process removed it, or after a change to the row made outside these paths. */
    forget: (id: string) => void memory.delete(id),
  };
}

export type Access = ReturnType<typeof createAccess>;
