/**
 * Consent, refresh and removal of OAuth connections. The background is the
 * only writer of tokens; this is where it writes them. Whatever changes one
 * connection's tokens runs alone for that connection (`exclusive`), and reads
 * the connection again once it has its turn, so nothing is written from a stale copy.
 */
import { connectionEvent, type Connection, type ConnectionEvent, type ConnectionProblem, type OAuthClient, type ProblemCode } from '../connection';
import { NotFoundError, type ConnectionRepository, type ConnectionSecrets } from '../storage/db';
import { OAuthFailure, TRANSIENT_PROBLEMS } from './oauth-errors';
import type { ConsentRequest, OAuthClientApi, TokenResult } from './oauth-client';
import { findPlatform, grantRuleFor, settingsFor, type OAuthSettings, type PlatformPreset } from '../catalogue/presets';
import { afterConsent, afterRefresh, nextProblem } from '../expiry/renewal';
import { createKeyedQueue } from '../storage/queue';
import { VaultError, VaultLockedError, type Sealed, type Vault } from '../storage/vault';
import { createWithdrawal, revocationRetryAt, type PendingRevocation } from './withdrawal';

export { NotFoundError };

export type RefreshOutcome =
  | { status: 'refreshed'; connection: Connection; recovered: boolean }
  | { status: 'reconsent-needed' }
  | { status: 'retry-later'; code: ProblemCode; retryAt: number }
  | { status: 'failed'; code: ProblemCode };

export interface TokenServiceDeps {
  repository: () => Promise<ConnectionRepository>;
  oauth: OAuthClientApi;
  vault: () => Promise<Vault>;
  now: () => number;
  /** navigator.locks where there is one: one writer per connection across the extension's contexts. */
  locks?: Pick<LockManager, 'request'>;
  /** Called after every change, to repaint the badge and plan the next alarm. */
  changed: () => Promise<void>;
}

/**
 * How long a sign-in may keep others waiting. A window whose answer never comes (its promise lost
 * with a crashed window, a flow the browser forgot) would otherwise refuse every later sign-in as
 * busy until the worker restarts; nobody takes this long to sign in.
 */
export const CONSENT_LIMIT_MS = 10 * 60_000;

/** A connection's platform with what a renewal needs: its OAuth settings and the connection's app. */
interface OAuthPlatform {
  id: string;
  grantRule: PlatformPreset['grantRule'];
  oauth: OAuthSettings;
  client: OAuthClient;
}

export function createTokenService(deps: TokenServiceDeps) {
  let activeConsent: { connectionId: string; startedAt: number } | null = null;
  const runningConsent = () => (activeConsent && deps.now() - activeConsent.startedAt < CONSENT_LIMIT_MS ? activeConsent : null);
  const refreshing = new Map<string, Promise<RefreshOutcome>>();
  const queue = createKeyedQueue();
  const withdrawal = createWithdrawal(deps);

  /** Runs `work` alone for this connection: a refresh, storing a consent and a removal never interleave. */
  function exclusive<T>(connectionId: string, work: () => Promise<T>): Promise<T> {
    // navigator.locks extends "alone" to the extension's other contexts (a page, a second worker).
    return queue(connectionId, () => (deps.locks ? deps.locks.request(`token-watch-connection:${connectionId}`, work) : work()));
  }

  async function platformOf(repository: ConnectionRepository, connection: Connection): Promise<OAuthPlatform | undefined> {
    const platform = findPlatform(connection.platformId, await repository.platforms());
    return platform?.oauth && connection.client
      ? { id: platform.id, grantRule: grantRuleFor(platform, connection.client.exchange), oauth: platform.oauth, client: connection.client }
      : undefined;
  }

  async function openSecret(secrets: ConnectionSecrets | undefined, name: 'refreshToken' | 'clientSecret') {
    const sealed = secrets?.[name];
    return sealed ? (await deps.vault()).open(sealed) : undefined;
  }

  const requestFor = (platform: OAuthPlatform, clientSecret?: string): ConsentRequest => ({
    platformId: platform.id,
    settings: settingsFor(platform.oauth, platform.client),
    client: platform.client,
    ...(clientSecret ? { clientSecret } : {}),
  });

  const event = (connectionId: string, type: ConnectionEvent['type'], actor: string, detail?: string) =>
    connectionEvent(connectionId, type, deps.now(), actor, detail);

  async function consent(connectionId: string, actor: string): Promise<Connection> {
    if (runningConsent()) throw new OAuthFailure('busy');
    const attempt = (activeConsent = { connectionId, startedAt: deps.now() });
    try {
      const repository = await deps.repository();
      const connection = await repository.get(connectionId);
      if (!connection) throw new NotFoundError();
      const platform = await platformOf(repository, connection);
      if (!platform) throw new OAuthFailure('platform-misconfigured');
      const stored = await repository.secrets(connectionId);
      // Locked, the sign-in stops here, before its window opens: the new grant could not be stored.
      const seal = await (await deps.vault()).sealer();
      const clientSecret = await openSecret(stored, 'clientSecret');

      const request = requestFor(platform, clientSecret);
      let tokens: TokenResult;
      try {
        tokens = await deps.oauth.consent(request);
      } catch (error) {
        const failure = error instanceof OAuthFailure ? error : new OAuthFailure('failed', {}, { cause: error });
        if (failure.code !== 'cancelled' && failure.code !== 'busy') {
          await repository.addEvent(event(connectionId, 'consent-failed', actor, failure.code));
        }
        throw failure;
      }
      const sealed = tokens.refreshToken ? await seal(tokens.refreshToken) : undefined;

      // The sign-in window may have been open for minutes: the new dates go onto what is stored now.
      const updated = await exclusive(connectionId, () =>
        repository.update(connectionId, (current, secrets) => {
          const { refreshToken: _replaced, ...kept } = secrets ?? { connectionId };
          return {
            connection: afterConsent(current, platform.grantRule, tokens, {
              actor,
              requestedScopes: request.settings.scopes,
              defaultAccessSeconds: platform.oauth.accessTokenSeconds,
              accountScope: platform.oauth.accountScope,
            }),
            event: event(connectionId, 'consented', actor),
            secrets: { ...kept, connectionId, ...(sealed ? { refreshToken: sealed } : {}) },
          };
        }).catch(async (error: unknown) => {
          // Removed while its window was open: the grant the platform just gave is withdrawn, not dropped.
          if (error instanceof NotFoundError && sealed) {
            // Kept beside the removed connection's own revocation, which may still be waiting to be sent.
            const pending = { ...pendingRevocation(platform, connectionId, actor, sealed, stored?.clientSecret), key: `${connectionId}:${deps.now()}` };
            await repository.settleRevocation(pending, null, pending);
            await withdrawal.attempt(pending).catch(() => false);
            await deps.changed();
          }
          throw error;
        }),
      );
      await deps.changed();
      return updated;
    } finally {
      // An attempt past its limit that answers at last leaves the newer one's mark alone.
      if (activeConsent === attempt) activeConsent = null;
    }
  }

  async function runRefresh(connectionId: string, actor: string): Promise<RefreshOutcome> {
    const repository = await deps.repository();
    const connection = await repository.get(connectionId);
    if (!connection) throw new NotFoundError();
    if (!connection.hasRefreshToken) return { status: 'reconsent-needed' };
    const secrets = await repository.secrets(connectionId);

    const fail = async (problem: ConnectionProblem | null, outcome: RefreshOutcome, { dropRefreshToken = false } = {}) => {
      await repository.update(connectionId, (current, stored) => {
        const { refreshToken: _dropped, ...kept } = stored ?? { connectionId };
        return {
          connection: {
            ...current,
            ...(dropRefreshToken ? { needsReconsent: true, hasRefreshToken: false } : {}),
            problem,
            updatedAt: deps.now(),
          },
          event: event(connectionId, 'refresh-failed', actor, problem?.code ?? 'invalid_grant'),
          ...(dropRefreshToken ? { secrets: { ...kept, connectionId } } : {}),
        };
      });
      await deps.changed();
      return outcome;
    };
    const stop = (code: ProblemCode) =>
      fail(nextProblem(connection.problem, code, deps.now(), { retry: false }), { status: 'failed', code });

    const platform = await platformOf(repository, connection);
    // The platform's settings are gone or broken: only the user can mend that, so no retry.
    if (!platform) return stop('platform-misconfigured');

    let seal: (plaintext: string) => Promise<Sealed>;
    let refreshToken: string | undefined;
    let clientSecret: string | undefined;
    try {
      seal = await (await deps.vault()).sealer();
    } catch (error) {
      // Locked: the renewal waits, without retries, until the user unlocks (`resumeLocked`).
      if (error instanceof VaultLockedError) return stop('vault-locked');
      throw error;
    }
    try {
      refreshToken = await openSecret(secrets, 'refreshToken');
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
    }
    // The refresh token itself cannot be read: only this connection needs a new consent.
    if (!refreshToken) return fail(null, { status: 'reconsent-needed' }, { dropRefreshToken: true });
    try {
      clientSecret = await openSecret(secrets, 'clientSecret');
    } catch (error) {
      if (!(error instanceof VaultError)) throw error;
      // The app secret must be entered again; the refresh token stays for afterwards.
      return stop('secret-unreadable');
    }

    let tokens: TokenResult;
    try {
      tokens = await deps.oauth.refresh(requestFor(platform, clientSecret), refreshToken);
    } catch (error) {
      const failure = error instanceof OAuthFailure ? error : new OAuthFailure('failed', {}, { cause: error });
      // Terminal: the platform will never accept this refresh token again.
      if (failure.code === 'grant-rejected') return fail(null, { status: 'reconsent-needed' }, { dropRefreshToken: true });
      const transient = TRANSIENT_PROBLEMS[failure.code];
      if (!transient) return stop(failure.code === 'platform-misconfigured' || failure.code === 'request-rejected' ? failure.code : 'client-rejected');
      const problem = nextProblem(connection.problem, transient, deps.now(), {
        retry: true,
        retryAfterSeconds: failure.details.retryAfterSeconds,
      });
      return fail(problem, { status: 'retry-later', code: transient, retryAt: problem.retryAt! });
    }

    // A rotated refresh token is sealed and stored with the new dates before anything else happens.
    const rotated = tokens.refreshToken ? await seal(tokens.refreshToken) : undefined;
    const updated = await repository.update(connectionId, (current, stored) => ({
      connection: afterRefresh(current, platform.grantRule, tokens, platform.oauth.accessTokenSeconds),
      event: event(connectionId, 'refreshed', actor),
      ...(rotated ? { secrets: { ...stored, connectionId, refreshToken: rotated } } : {}),
    }));
    await deps.changed();
    return { status: 'refreshed', connection: updated, recovered: connection.problem !== null };
  }

  /** One refresh per connection at a time; callers that come meanwhile share its result. */
  function refresh(connectionId: string, actor: string): Promise<RefreshOutcome> {
    const running = refreshing.get(connectionId);
    if (running) return running;
    const run = exclusive(connectionId, () => runRefresh(connectionId, actor)).finally(() => refreshing.delete(connectionId));
    refreshing.set(connectionId, run);
    return run;
  }

  /**
   * Wipes locally at once, keeping only what revoking the grant takes, then withdraws it at the
   * platform (through the broker for its connections); a revocation that fails is retried at the
   * background's wake-ups (`withdrawal`).
   */
  function remove(connectionId: string, actor: string): Promise<{ revoked: boolean }> {
    return exclusive(connectionId, async () => {
      const repository = await deps.repository();
      const connection = await repository.get(connectionId);
      if (!connection) throw new NotFoundError();
      const platform = await platformOf(repository, connection).catch(() => undefined);
      const secrets = platform ? await repository.secrets(connectionId).catch(() => undefined) : undefined;
      const pending = platform && secrets?.refreshToken ? pendingRevocation(platform, connectionId, actor, secrets.refreshToken, secrets.clientSecret) : undefined;
      await repository.remove(connectionId, event(connectionId, 'removed', actor), pending);
      // A storage fault while settling it leaves the revocation planned for the next wake-up.
      const revoked = pending ? await withdrawal.attempt(pending).catch(() => false) : false;
      await deps.changed();
      return { revoked };
    });
  }

  /** The first attempt follows at once; should the worker stop during it, the retry is already planned. */
  const pendingRevocation = (platform: OAuthPlatform, connectionId: string, actor: string, refreshToken: Sealed, clientSecret?: Sealed): PendingRevocation => ({
    connectionId,
    platformId: platform.id,
    settings: settingsFor(platform.oauth, platform.client),
    client: platform.client,
    refreshToken,
    ...(clientSecret ? { clientSecret } : {}),
    actor,
    attempts: 0,
    dueAt: revocationRetryAt(1, deps.now()),
  });

  return {
    consent,
    refresh,
    remove,
    /** At a wake-up: the revocations of removed connections that are due again. */
    retryRevocations: () => withdrawal.retryDue(),
    /** Unlocked again: the revocations and renewals that waited for the key run now, one after another. */
    async resumeLocked(actor: string): Promise<void> {
      await withdrawal.retryDue(true).catch(() => undefined);
      // A revocation that failed meanwhile has its retry planned.
      await deps.changed();
      const waiting = (await (await deps.repository()).list()).filter((connection) => connection.problem?.code === 'vault-locked');
      for (const connection of waiting) await refresh(connection.id, actor).catch(() => undefined);
    },
    activeConsent: () => runningConsent()?.connectionId ?? null,
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
