/**
 * Consent, refresh and removal of OAuth connections. The background is the
 * only writer of tokens; this is where it writes them.
 */
import type { Connection, ConnectionEvent, ConnectionProblem, ProblemCode } from './connection';
import type { ConnectionRepository, ConnectionSecrets } from './db';
import { OAuthFailure, type OAuthFailureCode } from './oauth-errors';
import type { ConsentRequest, OAuthClientApi, TokenResult } from './oauth-client';
import { findPlatform, type PlatformPreset } from './presets';
import { afterConsent, afterRefresh, nextProblem } from './renewal';
import { VaultError, type Vault } from './vault';

export class NotFoundError extends Error {
  readonly code = 'not-found';
  constructor() {
    super('not-found');
    this.name = 'NotFoundError';
  }
}

export type RefreshOutcome =
  | { status: 'refreshed'; connection: Connection; recovered: boolean }
  | { status: 'reconsent-needed' }
  | { status: 'retry-later'; code: ProblemCode; retryAt: number }
  | { status: 'failed'; code: ProblemCode };

/** Failures that pass by themselves: the background tries again later. */
const TRANSIENT: Partial<Record<OAuthFailureCode, ProblemCode>> = {
  network: 'network',
  'platform-unavailable': 'platform-unavailable',
  'rate-limited': 'rate-limited',
  'invalid-response': 'invalid-response',
  failed: 'invalid-response',
};

export interface TokenServiceDeps {
  repository: () => Promise<ConnectionRepository>;
  oauth: OAuthClientApi;
  vault: () => Promise<Vault>;
  now: () => number;
  /** navigator.locks where there is one: one refresh per connection across the extension's contexts. */
  locks?: Pick<LockManager, 'request'>;
  /** Called after every change, to repaint the badge and plan the next alarm. */
  changed: () => Promise<void>;
}

export function createTokenService(deps: TokenServiceDeps) {
  let activeConsent: { connectionId: string; startedAt: number } | null = null;
  const refreshing = new Map<string, Promise<RefreshOutcome>>();

  async function load(connectionId: string) {
    const repository = await deps.repository();
    const connection = await repository.get(connectionId);
    if (!connection) throw new NotFoundError();
    const platform = findPlatform(connection.platformId, await repository.platforms());
    if (!platform?.oauth || !connection.client) throw new OAuthFailure('platform-misconfigured');
    return { repository, connection, platform: platform as PlatformPreset & { oauth: NonNullable<PlatformPreset['oauth']> } };
  }

  async function openSecret(secrets: ConnectionSecrets | undefined, name: 'refreshToken' | 'clientSecret') {
    const sealed = secrets?.[name];
    return sealed ? (await deps.vault()).open(sealed) : undefined;
  }

  const event = (connectionId: string, type: ConnectionEvent['type'], actor: string, detail?: string): ConnectionEvent => ({
    connectionId,
    type,
    at: deps.now(),
    actor,
    ...(detail ? { detail } : {}),
  });

  async function consent(connectionId: string, actor: string): Promise<Connection> {
    if (activeConsent) throw new OAuthFailure('busy');
    activeConsent = { connectionId, startedAt: deps.now() };
    try {
      const { repository, connection, platform } = await load(connectionId);
      const secrets = await repository.secrets(connectionId);
      const request: ConsentRequest = {
        platformId: platform.id,
        settings: platform.oauth,
        client: connection.client!,
        clientSecret: await openSecret(secrets, 'clientSecret'),
      };
      let tokens: TokenResult;
      try {
        tokens = await deps.oauth.consent(request);
      } catch (error) {
        const failure = error instanceof OAuthFailure ? error : new OAuthFailure('failed', {}, { cause: error });
        if (failure.code !== 'cancelled' && failure.code !== 'busy') {
          await repository.save({ connection, event: event(connectionId, 'consent-failed', actor, failure.code) });
        }
        throw failure;
      }
      const refreshToken = tokens.refreshToken ? await (await deps.vault()).seal(tokens.refreshToken) : undefined;
      const updated = afterConsent(connection, platform.grantRule, tokens, { actor, requestedScopes: platform.oauth.scopes });
      const { refreshToken: _old, ...kept } = secrets ?? { connectionId };
      await repository.save({
        connection: updated,
        event: event(connectionId, 'consented', actor),
        secrets: { ...kept, connectionId, ...(refreshToken ? { refreshToken } : {}) },
      });
      await deps.changed();
      return updated;
    } finally {
      activeConsent = null;
    }
  }

  async function runRefresh(connectionId: string, actor: string): Promise<RefreshOutcome> {
    const repository = await deps.repository();
    const connection = await repository.get(connectionId);
    if (!connection) throw new NotFoundError();
    const found = findPlatform(connection.platformId, await repository.platforms());
    const secrets = await repository.secrets(connectionId);
    const wasFailing = connection.problem !== null;

    const fail = async (problem: ConnectionProblem | null, changes: Partial<Connection>, outcome: RefreshOutcome, dropSecret = false) => {
      const { refreshToken: _dropped, ...kept } = secrets ?? { connectionId };
      await repository.save({
        connection: { ...connection, ...changes, problem, updatedAt: deps.now() },
        event: event(connectionId, 'refresh-failed', actor, problem?.code ?? 'invalid_grant'),
        ...(dropSecret ? { secrets: { ...kept, connectionId } } : {}),
      });
      await deps.changed();
      return outcome;
    };

    if (!connection.hasRefreshToken) return { status: 'reconsent-needed' };
    if (!found?.oauth || !connection.client) {
      // The platform's settings are gone or broken: only the user can mend that, so no retry.
      const problem = nextProblem(connection.problem, 'platform-misconfigured', deps.now(), { retry: false });
      return fail(problem, {}, { status: 'failed', code: 'platform-misconfigured' });
    }
    const platform = found as PlatformPreset & { oauth: NonNullable<PlatformPreset['oauth']> };
    let tokens: TokenResult;
    try {
      const refreshToken = await openSecret(secrets, 'refreshToken');
      if (!refreshToken) throw new VaultError();
      tokens = await deps.oauth.refresh(
        { platformId: platform.id, settings: platform.oauth, client: connection.client!, clientSecret: await openSecret(secrets, 'clientSecret') },
        refreshToken,
      );
    } catch (error) {
      if (error instanceof VaultError) {
        // Only this connection is affected: its stored secret cannot be read any more.
        const problem = nextProblem(connection.problem, 'secret-unreadable', deps.now(), { retry: false });
        return fail(problem, { needsReconsent: true, hasRefreshToken: false }, { status: 'reconsent-needed' }, true);
      }
      const failure = error instanceof OAuthFailure ? error : new OAuthFailure('failed', {}, { cause: error });
      if (failure.code === 'grant-rejected') {
        // Terminal: the platform will never accept this refresh token again.
        return fail(null, { needsReconsent: true, hasRefreshToken: false }, { status: 'reconsent-needed' }, true);
      }
      const transient = TRANSIENT[failure.code];
      if (transient) {
        const problem = nextProblem(connection.problem, transient, deps.now(), {
          retry: true,
          retryAfterSeconds: failure.details.retryAfterSeconds,
        });
        return fail(problem, {}, { status: 'retry-later', code: transient, retryAt: problem.retryAt! });
      }
      // The app's settings are wrong (invalid_client): retrying cannot help, the refresh token is kept.
      const problem = nextProblem(connection.problem, 'client-rejected', deps.now(), { retry: false });
      return fail(problem, {}, { status: 'failed', code: 'client-rejected' });
    }

    // A rotated refresh token is stored before anything else, so it cannot be lost.
    const vault = await deps.vault();
    const rotated = tokens.refreshToken ? { ...secrets, connectionId, refreshToken: await vault.seal(tokens.refreshToken) } : undefined;
    const updated = afterRefresh(connection, platform.grantRule, tokens);
    await repository.save({ connection: updated, event: event(connectionId, 'refreshed', actor), ...(rotated ? { secrets: rotated } : {}) });
    await deps.changed();
    return { status: 'refreshed', connection: updated, recovered: wasFailing };
  }

  /** One refresh per connection at a time; callers that come meanwhile share its result. */
  function refresh(connectionId: string, actor: string): Promise<RefreshOutcome> {
    const running = refreshing.get(connectionId);
    if (running) return running;
    const work = () => runRefresh(connectionId, actor);
    const run = (deps.locks ? deps.locks.request(`token-watch-refresh:${connectionId}`, work) : work()).finally(() =>
      refreshing.delete(connectionId),
    );
    refreshing.set(connectionId, run);
    return run;
  }

  /** Revokes where the platform can, then wipes locally whatever revocation said. */
  async function remove(connectionId: string, actor: string): Promise<{ revoked: boolean }> {
    const repository = await deps.repository();
    const connection = await repository.get(connectionId);
    if (!connection) throw new NotFoundError();
    let revoked = false;
    let detail = 'not-revocable';
    if (connection.hasRefreshToken) {
      try {
        const { platform } = await load(connectionId);
        const secrets = await repository.secrets(connectionId);
        const refreshToken = await openSecret(secrets, 'refreshToken');
        if (refreshToken) {
          revoked = await deps.oauth.revoke(
            { platformId: platform.id, settings: platform.oauth, client: connection.client!, clientSecret: await openSecret(secrets, 'clientSecret') },
            refreshToken,
          );
          detail = revoked ? 'revoked' : 'not-revocable';
        }
      } catch (error) {
        detail = `revoke-failed:${error instanceof OAuthFailure ? error.code : 'failed'}`;
      }
    }
    await repository.remove(connectionId, event(connectionId, 'removed', actor, detail));
    await deps.changed();
    return { revoked };
  }

  return {
    consent,
    refresh,
    remove,
    activeConsent: () => activeConsent?.connectionId ?? null,
  };
}

export type TokenService = ReturnType<typeof createTokenService>;
