import { newConnection, readCustomPlatform, readNewConnection } from '../records/input';
import type { ConnectionRepository } from '../storage/db';
import { hostOrigins } from '../catalogue/host-access';
import { findPlatform } from '../catalogue/presets';
import type { Handlers } from './protocol';
import type { TokenService } from '../consent/token-service';
import type { Vault } from '../storage/vault';

/** An administrator's connection: the user may use it but not remove it. */
export class ManagedConnectionError extends Error {
  readonly code = 'managed';
  constructor() {
    super('managed');
    this.name = 'ManagedConnectionError';
  }
}

export interface OAuthHandlerDeps {
  repository: () => Promise<ConnectionRepository>;
  tokens: TokenService;
  /** permissions.remove: hosts no connection needs any more are given back. */
  releaseHosts: (origins: string[]) => Promise<unknown>;
  vault: () => Promise<Vault>;
  now: () => number;
  newId: () => string;
  changed: () => Promise<void>;
  /** Development builds may talk to an authorization server on this machine over plain HTTP. */
  allowLoopbackHttp: boolean;
}

type OAuthMessages = 'connections/create' | 'connections/remove' | 'platforms/add' | 'consent/start' | 'tokens/refresh';

/** The host patterns of all connections, each once. */
async function originsInUse(repository: ConnectionRepository): Promise<Set<string>> {
  const [connections, custom] = await Promise.all([repository.list(), repository.platforms()]);
  return new Set(connections.flatMap((connection) => hostOrigins(findPlatform(connection.platformId, custom)?.oauth, connection.client)));
}

export function createOAuthHandlers(deps: OAuthHandlerDeps): Pick<Handlers, OAuthMessages> {
  const options = { allowLoopbackHttp: deps.allowLoopbackHttp };
  return {
    'connections/create': async ({ connection: input, actor }) => {
      const repository = await deps.repository();
      const raw = input as { platformId?: unknown } | null;
      const platform = findPlatform(String(raw?.platformId ?? ''), await repository.platforms());
      const checked = readNewConnection(input, platform, options);
      const now = deps.now();
      const connection = newConnection(checked, { id: deps.newId(), now, actor });
      // The client secret is sealed before it is stored; it never leaves the background again.
      const clientSecret = checked.clientSecret ? await (await deps.vault()).seal(checked.clientSecret) : undefined;
      await repository.save({
        connection,
        event: { connectionId: connection.id, type: 'added', at: now, actor },
        secrets: { connectionId: connection.id, ...(clientSecret ? { clientSecret } : {}) },
      });
      await deps.changed();
      return connection;
    },
    'platforms/add': async ({ platform: input }) => {
      const platform = readCustomPlatform(input, { id: `custom-${deps.newId()}`, now: deps.now(), ...options });
      await (await deps.repository()).savePlatform(platform);
      return platform;
    },
    'consent/start': ({ connectionId, actor }) => deps.tokens.consent(String(connectionId), actor),
    'tokens/refresh': ({ connectionId, actor }) => deps.tokens.refresh(String(connectionId), actor),
    'connections/remove': async ({ connectionId, actor }) => {
      const repository = await deps.repository();
      const connection = await repository.get(String(connectionId));
      if (connection?.managed) throw new ManagedConnectionError();
      const before = await originsInUse(repository);
      const result = await deps.tokens.remove(String(connectionId), actor);
      // The last connection of a host gives its access back (F5: no more access than in use).
      const after = await originsInUse(repository);
      const unused = [...before].filter((origin) => !after.has(origin));
      if (unused.length > 0) await deps.releaseHosts(unused).catch(() => undefined);
      return result;
    },
  };
}
