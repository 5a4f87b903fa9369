import { connectionEvent, type Connection } from '../connection';
import { TokenWatchError } from '../errors';
import { hostOrigins } from '../catalogue/host-access';
import { findPlatform } from '../catalogue/presets';
import type { HolderCompanion } from '../consent/holder';
import type { TokenService } from '../consent/token-service';
import { checkClient, customPlatform, newOAuthConnection } from '../records/oauth-input';
import type { ConnectionRepository } from '../storage/db';
import type { Vault } from '../storage/vault';
import type { Handlers } from './protocol';

/** An administrator's connection: the user may use it but not remove it. */
export class ManagedConnectionError extends TokenWatchError<'managed'> {
  override name = 'ManagedConnectionError';
  constructor() {
    super('managed');
  }
}

/**
 * How long adding a connection waits for its platform's metadata (the hosts its first sign-in asks
 * for): a platform that answers does so well within it. One that is slow or down does not hold up
 * the new row; its read goes on, and the daily one reads it again.
 */
export const ADDED_METADATA_WAIT_MS = 3000;

/** Whether `work` settled within `ms`; it goes on either way. */
const settledWithin = (work: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([work.then(() => true, () => true), late]).finally(() => clearTimeout(timer));
};

export interface OAuthHandlerDeps {
  repository: () => Promise<ConnectionRepository>;
  tokens: TokenService;
  /** Grants the company's token holder keeps: signed in, checked and removed through it. */
  holder: Pick<HolderCompanion, 'isHeld' | 'signIn' | 'check' | 'remove'>;
  /** permissions.remove: hosts no connection needs any more are given back. */
  releaseHosts: (origins: string[]) => Promise<unknown>;
  /** Reads the metadata of a new connection's built-in platform found by discovery (metadata-refresh.ts). */
  connectionAdded?: (connection: Connection) => Promise<void>;
  /** How long adding a connection waits for `connectionAdded`: ADDED_METADATA_WAIT_MS unless a test says otherwise. */
  metadataWaitMs?: number;
  vault: () => Promise<Vault>;
  now: () => number;
  newId: () => string;
  /** Who is acting, for the history: the user's name from the preferences. */
  actor: () => Promise<string>;
  changed: () => Promise<void>;
}

type OAuthMessages = 'connections/create' | 'connections/remove' | 'connections/remove-all' | 'platforms/add' | 'consent/start' | 'consent/active' | 'tokens/refresh';

/**
 * The host patterns of all connections, each once, and of the revocations still to be sent: a
 * retry, or one waiting for the passphrase lock, must still reach its platform (or broker).
 */
async function originsInUse(repository: ConnectionRepository): Promise<Set<string>> {
  const [connections, custom, revocations] = await Promise.all([repository.list(), repository.platforms(), repository.revocations()]);
  return new Set([
    ...connections.flatMap((connection) => hostOrigins(findPlatform(connection.platformId, custom)?.oauth, connection.client, connection.discovered?.hosts)),
    ...revocations.flatMap((pending) => hostOrigins(pending.settings, pending.client)),
  ]);
}

export function createOAuthHandlers(deps: OAuthHandlerDeps): Pick<Handlers, OAuthMessages> {
  /** Runs a removal; the last connection of a host gives its access back (F5: no more access than in use). */
  async function releasingHosts<T>(repository: ConnectionRepository, removal: () => Promise<T>): Promise<T> {
    const before = await originsInUse(repository);
    const result = await removal();
    const after = await originsInUse(repository);
    const unused = [...before].filter((origin) => !after.has(origin));
    if (unused.length > 0) await deps.releaseHosts(unused).catch(() => undefined);
    return result;
  }

  return {
    'connections/create': async ({ connection: input }) => {
      const repository = await deps.repository();
      await repository.ensureRoom();
      const client = checkClient(input.client, findPlatform(input.platformId, await repository.platforms()));
      const [now, actor] = [deps.now(), await deps.actor()];
      const connection = newOAuthConnection({ ...input, client }, { id: deps.newId(), now, actor });
      // The client secret is sealed before it is stored; it never leaves the background again.
      const clientSecret = input.clientSecret ? await (await deps.vault()).seal(input.clientSecret) : undefined;
      await repository.save({
        connection,
        event: { connectionId: connection.id, type: 'added', at: now, actor },
        secrets: { connectionId: connection.id, ...(clientSecret ? { clientSecret } : {}) },
      });
      if (deps.connectionAdded) {
        const read = deps.connectionAdded(connection);
        // A read that ends later is a change of its own: the pages learn the hosts it found.
        if (!(await settledWithin(read, deps.metadataWaitMs ?? ADDED_METADATA_WAIT_MS))) void read.then(deps.changed).catch(() => undefined);
      }
      await deps.changed();
      return connection;
    },
    'platforms/add': async ({ platform: input }) => {
      const platform = customPlatform(input, { id: `custom-${deps.newId()}`, now: deps.now() });
      await (await deps.repository()).savePlatform(platform);
      return platform;
    },
    'consent/start': async ({ connectionId }) =>
      (await deps.holder.isHeld(connectionId)) ? deps.holder.signIn(connectionId) : deps.tokens.consent(connectionId, await deps.actor()),
    'consent/active': async () => ({ connectionId: deps.tokens.activeConsent() }),
    'tokens/refresh': async ({ connectionId }) =>
      (await deps.holder.isHeld(connectionId)) ? deps.holder.check(connectionId) : deps.tokens.refresh(connectionId, await deps.actor()),
    'connections/remove': async ({ connectionId }) => {
      const repository = await deps.repository();
      const connection = await repository.get(connectionId);
      if (connection?.managed) throw new ManagedConnectionError();
      if (connection?.held) return deps.holder.remove(connectionId);
      return releasingHosts(repository, async () => deps.tokens.remove(connectionId, await deps.actor()));
    },
    'connections/remove-all': async () => {
      const repository = await deps.repository();
      const actor = await deps.actor();
      // The administrator's connections stay, as do the token holder's (the next sync would bring them back).
      const all = await repository.list();
      const kept = all.filter((connection) => connection.managed || connection.held).map((connection) => connection.id);
      const removable = all.filter((connection) => !connection.managed && !connection.held);
      await releasingHosts(repository, async () => {
        // A grant to withdraw goes as one removal does; everything else (dates, imports) goes at once.
        for (const connection of removable) if (connection.hasRefreshToken) await deps.tokens.remove(connection.id, actor);
        const rest = removable.filter((connection) => !connection.hasRefreshToken).map((connection) => connection.id);
        await repository.removeAllBut(kept, rest, (id) => connectionEvent(id, 'removed', deps.now(), actor));
      });
      await deps.changed();
      return { removed: removable.length };
    },
  };
}
