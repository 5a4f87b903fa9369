/**
 * The extension as the companion of the company's token holder. The holder keeps the grants and
 * their tokens; the extension lists them like its own connections (synced hourly by an alarm, and
 * when the popup opens on a stale list), warns about them, and signs in again from the browser:
 * the code goes to the holder, never a token to the extension. The member key is the only secret
 * kept here for held grants.
 */
import { findPlatform, settingsFor, type CustomPlatform } from '../catalogue/presets';
import type { Connection, OAuthClient } from '../connection';
import { errorCodeOf, NotFoundError, TokenWatchError, type HolderErrorCode, type OAuthFailureCode } from '../errors';
import { fieldsOf, isRecord, MAX_CONNECTIONS, readText, type ReadOptions } from '../records/fields';
import { heldConnection, heldConnectionId, readHolderUrl, readMemberKey } from '../records/holder-input';
import { readClient, readCustomPlatform } from '../records/oauth-input';
import type { ConnectionRepository, HolderLink } from '../storage/db';
import { holderSummaryOf, type HolderSummary } from '../storage/reader';
import { VaultLockedError, type Vault } from '../storage/vault';
import type { ConsentRequest, OAuthClientApi } from './oauth-client';
import { OAuthFailure } from './oauth-errors';
import type { RefreshOutcome } from './token-service';

export class HolderError extends TokenWatchError<HolderErrorCode> {
  override name = 'HolderError';
}

/** The alarm that syncs the holder's list: hourly, never a loop. */
export const HOLDER_SYNC_ALARM = 'holder-sync';
export const HOLDER_SYNC_MINUTES = 60;
/** The popup asks for a sync when the list is older than this. */
export const HOLDER_STALE_MS = 5 * 60_000;

export type { HolderSummary };

export interface HolderStatus extends HolderSummary {
  /** Platforms the holder has an app for: a new grant can be signed in for these, with what each asks for. */
  platforms: { id: string; name: string; fields: string[]; scopeChoices: string[] }[];
}

export interface HolderDeps {
  repository: () => Promise<ConnectionRepository>;
  vault: () => Promise<Vault>;
  oauth: Pick<OAuthClientApi, 'authorize'>;
  fetch: typeof fetch;
  now: () => number;
  /** After every change: repaint the badge, plan the next alarm. */
  changed: () => Promise<void>;
  options: ReadOptions;
}

/** The holder's answers name OAuth failures by the extension's own codes; these are shown as such. */
const OAUTH_CODES: readonly OAuthFailureCode[] = [
  'grant-rejected', 'consent-refused', 'untrusted-response', 'client-rejected', 'platform-misconfigured',
  'invalid-response', 'network', 'platform-unavailable', 'rate-limited',
];

interface HolderApp {
  platformId: string;
  client: OAuthClient;
  platform?: CustomPlatform;
}

export function createHolderCompanion(deps: HolderDeps) {
  let signingIn = false;

  async function link(): Promise<HolderLink> {
    const stored = await (await deps.repository()).holderLink();
    if (!stored) throw new HolderError('holder-not-connected');
    return stored;
  }

  /** One request to the holder, with the member key; its refusals become the extension's error codes. */
  async function call(target: Pick<HolderLink, 'url'> & { key: string }, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await deps.fetch(`${target.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${target.key}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(20_000),
      });
    } catch {
      throw new HolderError('holder-unreachable');
    }
    if (response.status === 401) throw new HolderError('holder-key-refused');
    const answer: unknown = await response.json().catch(() => undefined);
    // Not the holder's JSON (a proxy's or captive portal's page): nothing in it may change the list.
    if (!isRecord(answer)) throw new HolderError('holder-failed');
    if (response.ok) return answer;
    const code = OAUTH_CODES.find((known) => known === answer.error);
    if (code) throw new OAuthFailure(code);
    if (answer.error === 'grant-not-found') throw new NotFoundError();
    throw new HolderError(answer.error === 'app-missing' ? 'holder-app-missing' : 'holder-failed');
  }

  async function request(method: string, path: string, body?: unknown) {
    const current = await link();
    return call({ url: current.url, key: await (await deps.vault()).open(current.memberKey) }, method, path, body);
  }

  /** The holder's apps (their public settings, read like an app entered here) and the platforms added there. */
  async function apps(): Promise<HolderApp[]> {
    const answer = await request('GET', '/v1/apps');
    return (Array.isArray(answer.apps) ? answer.apps : []).flatMap((entry): HolderApp[] => {
      try {
        const app = fieldsOf(entry);
        const platformId = readText(app.platformId, 'platformId');
        const platform = app.platform === undefined ? undefined : readCustomPlatform(app.platform, { id: platformId, now: deps.now(), ...deps.options });
        // The holder adds the app's secret when it redeems the code; the browser only sees the public settings.
        return [{ platformId, client: readClient({ ...app, exchange: 'public' }, deps.options), ...(platform ? { platform } : {}) }];
      } catch {
        return [];
      }
    });
  }

  /** Stores the holder's list as it is; a grant the extension cannot read keeps its last known copy. */
  async function store(grants: unknown[]): Promise<void> {
    const repository = await deps.repository();
    const local = new Map((await repository.list()).filter((connection) => connection.held).map((connection) => [connection.id, connection]));
    const put: Connection[] = [];
    const listed = new Set<string>();
    for (const grant of grants.slice(0, MAX_CONNECTIONS)) {
      const id = typeof fieldsOf(grant).id === 'string' ? heldConnectionId(String(fieldsOf(grant).id)) : undefined;
      if (id) listed.add(id);
      try {
        put.push(heldConnection(grant, { ...(id && local.has(id) ? { local: local.get(id)! } : {}), now: deps.now() }));
      } catch {
        // Left as it was: one odd entry never empties the list.
      }
    }
    await repository.replaceHeld(put, [...local.keys()].filter((id) => !listed.has(id)));
  }

  async function saveLink(change: Partial<HolderLink>) {
    const repository = await deps.repository();
    const current = await repository.holderLink();
    if (current) await repository.saveHolderLink({ ...current, ...change });
  }

  /** One grant's answer from the holder, stored; the connection as it is now. */
  async function storeOne(grant: unknown): Promise<Connection> {
    const repository = await deps.repository();
    const id = heldConnectionId(String(fieldsOf(grant).id));
    const local = await repository.get(id);
    const connection = heldConnection(grant, { ...(local ? { local } : {}), now: deps.now() });
    await repository.replaceHeld([connection], []);
    await deps.changed();
    return connection;
  }

  async function sync(): Promise<void> {
    try {
      const [answer, known] = await Promise.all([request('GET', '/v1/grants'), apps()]);
      const repository = await deps.repository();
      for (const app of known) if (app.platform) await repository.savePlatform(app.platform);
      if (!Array.isArray(answer.grants)) throw new HolderError('holder-failed');
      await store(answer.grants);
      await saveLink({ syncedAt: deps.now(), unreachableSince: null, problem: null });
    } catch (error) {
      const current = await (await deps.repository()).holderLink();
      // Locked, the member key waits with everything else: the holder was not asked, so it is not unreachable.
      if (error instanceof VaultLockedError) await saveLink({ problem: error.code });
      else if (current) await saveLink({ unreachableSince: current.unreachableSince ?? deps.now(), problem: errorCodeOf(error) });
      throw error;
    } finally {
      await deps.changed();
    }
  }

  /** The sign-in window for a platform the holder has an app for; the code it brings back goes to the holder. */
  async function authorize(platformId: string, { endpointValues, scopes }: { endpointValues?: Record<string, string>; scopes?: string[] }) {
    if (signingIn) throw new OAuthFailure('busy');
    signingIn = true;
    try {
      const app = (await apps()).find((candidate) => candidate.platformId === platformId);
      if (!app) throw new HolderError('holder-app-missing');
      const platform = findPlatform(platformId, app.platform ? [app.platform] : await (await deps.repository()).platforms());
      if (!platform?.oauth) throw new OAuthFailure('platform-misconfigured');
      const client: OAuthClient = { ...app.client, ...(endpointValues ? { endpointValues } : {}), ...(scopes ? { scopes } : {}) };
      const consent: ConsentRequest = { platformId, settings: settingsFor(platform.oauth, client), client };
      return await deps.oauth.authorize(consent);
    } finally {
      signingIn = false;
    }
  }

  /** A held connection, and where it lives at the holder. */
  async function heldOf(connectionId: string): Promise<{ connection: Connection; held: NonNullable<Connection['held']> }> {
    const connection = await (await deps.repository()).get(connectionId);
    if (!connection?.held) throw new NotFoundError();
    return { connection, held: connection.held };
  }

  return {
    isHeld: async (connectionId: string) => (await (await deps.repository()).get(connectionId))?.held !== undefined,

    /** Checks the address and key with the holder, then keeps both (the key sealed) and syncs. */
    async connect(input: { url: unknown; memberKey: unknown; managed?: boolean }): Promise<HolderStatus | null> {
      // A holder the administrator's policy set is changed by the policy only.
      if (!input.managed && (await (await deps.repository()).holderLink())?.managed) throw new HolderError('holder-managed');
      const url = readHolderUrl(input.url, deps.options);
      const key = readMemberKey(input.memberKey);
      const me = await call({ url, key }, 'GET', '/v1/me');
      const member = typeof me.name === 'string' ? me.name.slice(0, 200) : '';
      const repository = await deps.repository();
      await repository.saveHolderLink({
        url,
        memberKey: await (await deps.vault()).seal(key),
        member,
        managed: input.managed === true,
        managedEntry: null,
        syncedAt: null,
        unreachableSince: null,
        problem: null,
      });
      await sync().catch(() => undefined);
      return status();
    },

    /**
     * The enterprise policy's holder (`holder: { url, memberKey }`): connected as managed, so the
     * user cannot disconnect it; applied again only when the policy's entry changes.
     */
    async applyPolicy(entry: unknown): Promise<void> {
      const current = await (await deps.repository()).holderLink();
      if (!isRecord(entry)) {
        // The administrator took the holder out of the policy: the link stays, now the user's own.
        if (current?.managed) await saveLink({ managed: false, managedEntry: null });
        return;
      }
      const fingerprint = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify([entry.url, entry.memberKey])))))
        .map((byte) => byte.toString(16).padStart(2, '0'))
        .join('');
      if (current?.managedEntry === fingerprint) return;
      await this.connect({ url: entry.url, memberKey: entry.memberKey, managed: true });
      await saveLink({ managedEntry: fingerprint });
    },

    /** Forgets the holder and its grants here; at the holder nothing changes. */
    async disconnect(): Promise<void> {
      const repository = await deps.repository();
      if ((await repository.holderLink())?.managed) throw new HolderError('holder-managed');
      const held = (await repository.list()).filter((connection) => connection.held).map((connection) => connection.id);
      await repository.replaceHeld([], held);
      await repository.saveHolderLink(null);
      await deps.changed();
    },

    sync,

    /** A sync when the last one is older than `maxAgeMs`; answers whether the list may have changed. */
    async syncIfStale(maxAgeMs = HOLDER_STALE_MS): Promise<boolean> {
      const current = await (await deps.repository()).holderLink();
      if (!current || (current.syncedAt !== null && deps.now() - current.syncedAt < maxAgeMs && current.unreachableSince === null)) return false;
      await sync().catch(() => undefined);
      return true;
    },

    /** A new grant at the holder: the sign-in runs here, the holder redeems the code and keeps the tokens. */
    async signInNew(input: { platformId: string; label: string; endpointValues?: Record<string, string>; scopes?: string[] }): Promise<Connection> {
      const authorization = await authorize(input.platformId, input);
      const answer = await request('POST', '/v1/grants', { ...input, authorization });
      return storeOne(answer);
    },

    /** Signs in again for a held grant; the holder replaces its tokens and revokes the old ones. */
    async signIn(connectionId: string): Promise<Connection> {
      const { connection, held } = await heldOf(connectionId);
      const authorization = await authorize(connection.platformId, held);
      return storeOne(await request('POST', `/v1/grants/${held.grantId}/sign-in`, { authorization }));
    },

    /** "Check now": the holder refreshes at the platform and says how it went. */
    async check(connectionId: string): Promise<RefreshOutcome> {
      const { held } = await heldOf(connectionId);
      const answer = await request('POST', `/v1/grants/${held.grantId}/check`);
      const connection = await storeOne(answer.grant);
      const code = OAUTH_CODES.find((known) => known === answer.problem);
      // `current`: a colleague (or the holder) refreshed it within the last minute.
      if (answer.result === 'refreshed' || answer.result === 'current') return { status: 'refreshed', connection, recovered: false };
      if (answer.result === 'sign-in-needed') return { status: 'reconsent-needed' };
      const problem = connection.problem;
      if (answer.result === 'retry-later' && problem?.retryAt) return { status: 'retry-later', code: problem.code, retryAt: problem.retryAt };
      return { status: 'failed', code: problem?.code ?? (code === 'client-rejected' ? 'client-rejected' : 'invalid-response') };
    },

    /** Asks the holder to revoke the grant and forget it; the history stays there. */
    async remove(connectionId: string): Promise<{ revoked: boolean }> {
      const { held } = await heldOf(connectionId);
      // Removed at the holder already (by a colleague): gone here too.
      const answer = await request('DELETE', `/v1/grants/${held.grantId}`).catch((error: unknown) => {
        if (error instanceof NotFoundError) return { revocation: 'not-needed' };
        throw error;
      });
      await (await deps.repository()).replaceHeld([], [connectionId]);
      await deps.changed();
      return { revoked: answer.revocation === 'done' };
    },

    status,
    summary,
  };

  /** The link as the pages show it, from what is stored (no request to the holder). */
  async function summary(): Promise<HolderSummary | null> {
    return holderSummaryOf(await (await deps.repository()).holderLink());
  }

  /** The link with the platforms a new grant can be signed in for (asked of the holder). */
  async function status(): Promise<HolderStatus | null> {
    const shown = await summary();
    if (!shown) return null;
    const custom = await (await deps.repository()).platforms();
    const known = await apps().catch(() => []);
    const platforms = known.map((app) => {
      const platform = findPlatform(app.platformId, app.platform ? [app.platform] : custom);
      return {
        id: app.platformId,
        name: platform?.name ?? app.platformId,
        fields: (platform?.oauth?.fields ?? []).map((field) => field.name),
        scopeChoices: [...(platform?.oauth?.scopeChoices ?? [])],
      };
    });
    return { ...shown, platforms };
  }
}

export type HolderCompanion = ReturnType<typeof createHolderCompanion>;
