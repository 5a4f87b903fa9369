/**
 * A platform added by its issuer keeps its metadata's endpoints and other hosts, so that the
 * sign-in click asks for every host the flow will call. Metadata can change after the platform was
 * added: it is read again at most once a day, at a wake-up the background has anyway (local
 * midnight at the latest), with the checks it passed when it was added.
 */
import type { CustomPlatform, OAuthSettings } from '../catalogue/types';
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

/** Reads again the metadata of the platforms that are due and in use by a connection (the others may have given their hosts back). */
export function createMetadataRefresh({ repository: open, fetch, now: clock, allowLoopbackHttp = false }: MetadataRefreshDeps) {
  return async function refreshDue(): Promise<void> {
    const repository = await open();
    const [platforms, connections] = await Promise.all([repository.platforms(), repository.list()]);
    const inUse = new Set(connections.map((connection) => connection.platformId));
    const now = clock();
    for (const platform of platforms.filter((candidate) => inUse.has(candidate.id) && metadataDue(candidate, now))) {
      // Asked before the write's transaction opens: IndexedDB ends a transaction that waits on the network.
      // Unreachable or refused (plain HTTP, another issuer, no PKCE), the last good copy stays; a sign-in checks again anyway.
      const found = await inspectPlatform(platform.oauth.issuer!, { fetch, allowLoopbackHttp, tenantIssuer: platform.oauth.tenantIssuer === true }).catch(() => null);
      await repository.updatePlatform(platform.id, (current) => ({
        ...current,
        ...(found ? { oauth: withMetadata(current.oauth, found) } : {}),
        metadataCheckedAt: now,
      }));
    }
  };
}
