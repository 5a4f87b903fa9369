/**
 * Every host a sign-in and its renewals will call is known at the click, so that it is asked for
 * together. A platform added by its issuer keeps its metadata's endpoints and other hosts; a
 * connection on a built-in platform found by discovery (DATEV, Microsoft, Xero) keeps the other
 * hosts its metadata names for that connection's issuer, read when the connection is added.
 * Metadata can change: it is read again at most once a day, at a wake-up the background has anyway
 * (local midnight at the latest), with the checks a sign-in makes. An answer that fails them, or
 * none, keeps the last good copy.
 */
import { findPreset, resolveSettings } from '../catalogue/presets';
import type { CustomPlatform, OAuthSettings } from '../catalogue/types';
import type { Connection } from '../connection';
import { MS_PER_DAY } from '../expiry/calendar';
import type { ConnectionRepository } from '../storage/db';
import { inspectPlatform, type PlatformMetadata } from './discovery';

export const METADATA_REFRESH_MS = MS_PER_DAY;

export interface MetadataRefreshDeps {
  repository: () => Promise<ConnectionRepository>;
  fetch: typeof fetch;
  now: () => number;
  /** Development builds only, as for a sign-in: an authorization server on this machine over plain HTTP. */
  allowLoopbackHttp?: boolean;
}

/** Whether a platform's metadata is read again now: it was found by its issuer and last asked for a day ago or more. */
export function metadataDue(platform: CustomPlatform, now: number): boolean {
  return platform.oauth.issuer !== undefined && (platform.metadataCheckedAt ?? platform.createdAt) + METADATA_REFRESH_MS <= now;
}

/** The settings with the endpoints and hosts of the new metadata; what the user chose (scopes, exchanges) stays. */
export function withMetadata({ hosts: _before, ...oauth }: OAuthSettings, found: PlatformMetadata): OAuthSettings {
  return {
    ...oauth,
    endpoints: {
      authorization: found.authorizationEndpoint,
      token: found.tokenEndpoint,
      ...(found.revocationEndpoint ? { revocation: found.revocationEndpoint } : {}),
    },
    ...(found.hosts.length > 0 ? { hosts: found.hosts } : {}),
  };
}

export function createMetadataRefresh({ repository: open, fetch, now: clock, allowLoopbackHttp = false }: MetadataRefreshDeps) {
  // Asked before a write's transaction opens: IndexedDB ends a transaction that waits on the network.
  // Unreachable or refused (plain HTTP, another issuer, no PKCE where required), the last good copy stays.
  const inspect = (issuer: string, oauth: OAuthSettings, requirePkce: boolean) =>
    inspectPlatform(issuer, { fetch, allowLoopbackHttp, tenantIssuer: oauth.tenantIssuer === true, requirePkce }).catch(() => null);

  /**
   * Reads the metadata of a connection on a built-in platform found by discovery, from the issuer
   * its address parts give (Microsoft's tenant), and keeps the hosts it names.
   */
  async function readForConnection(connection: Connection, now: number, read = new Map<string, Promise<PlatformMetadata | null>>()): Promise<void> {
    const oauth = findPreset(connection.platformId)?.oauth;
    if (!oauth?.issuer || !connection.client) return;
    // The connections of one issuer (every DATEV client, a Microsoft tenant's) share one read.
    const issuer = resolveSettings(oauth, connection.client.endpointValues).issuer!;
    if (!read.has(issuer)) read.set(issuer, inspect(issuer, oauth, false));
    const found = await read.get(issuer)!;
    await (await open()).update(connection.id, (current) => ({
      connection: { ...current, discovered: { ...current.discovered, ...(found && { hosts: found.hosts }), checkedAt: now } },
    }));
  }

  return {
    /** A new connection's built-in platform is read at once (the form asked for the catalogue's hosts just before). */
    connectionAdded: (connection: Connection): Promise<void> => readForConnection(connection, clock()).catch(() => undefined),

    /** Reads again what is due and in use by a connection (a platform no connection uses may have given its hosts back). */
    refreshDue: async (): Promise<void> => {
      const repository = await open();
      const [platforms, connections] = await Promise.all([repository.platforms(), repository.list()]);
      const inUse = new Set(connections.map((connection) => connection.platformId));
      const now = clock();
      for (const platform of platforms.filter((candidate) => inUse.has(candidate.id) && metadataDue(candidate, now))) {
        const found = await inspect(platform.oauth.issuer!, platform.oauth, true);
        await repository.updatePlatform(platform.id, (current) => ({
          ...current,
          ...(found ? { oauth: withMetadata(current.oauth, found) } : {}),
          metadataCheckedAt: now,
        }));
      }
      const read = new Map<string, Promise<PlatformMetadata | null>>();
      for (const connection of connections.filter((candidate) => (candidate.discovered?.checkedAt ?? 0) + METADATA_REFRESH_MS <= now)) {
        // One connection removed meanwhile must not keep the others from being read.
        await readForConnection(connection, now, read).catch(() => undefined);
      }
    },
  };
}

export type MetadataRefresh = ReturnType<typeof createMetadataRefresh>;
