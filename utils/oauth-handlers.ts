import { newConnection, readCustomPlatform, readNewConnection } from './connection-input';
import type { ConnectionRepository } from './db';
import { findPlatform } from './presets';
import type { Handlers } from './protocol';
import type { TokenService } from './token-service';
import type { Vault } from './vault';

export interface OAuthHandlerDeps {
  repository: () => Promise<ConnectionRepository>;
  tokens: TokenService;
  vault: () => Promise<Vault>;
  now: () => number;
  newId: () => string;
  changed: () => Promise<void>;
  /** Development builds may talk to an authorization server on this machine over plain HTTP. */
  allowLoopbackHttp: boolean;
}

type OAuthMessages = 'connections/create' | 'connections/remove' | 'platforms/add' | 'consent/start' | 'tokens/refresh';

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
    'connections/remove': ({ connectionId, actor }) => deps.tokens.remove(String(connectionId), actor),
  };
}
