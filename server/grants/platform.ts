import { findPlatform, settingsFor, type CustomPlatform, type PlatformPreset } from '../../utils/catalogue/presets';
import type { OAuthClient } from '../../utils/connection';
import { createOAuthClient, type Authorization, type ConsentRequest, type TokenResult } from '../../utils/consent/oauth-client';
import { OAuthFailure } from '../../utils/consent/oauth-errors';
import { readClient } from '../../utils/records/oauth-input';
import type { Sql } from '../db/database';

/** A platform the holder can talk OAuth with: a catalogue preset or a platform added to this holder. */
export type OAuthPlatform = PlatformPreset & { oauth: NonNullable<PlatformPreset['oauth']> };

/** The app a grant was given to, and its secret where it has one. */
export interface GrantClient {
  platformId: string;
  client: unknown;
  clientSecret?: string;
}

/**
 * The platforms' token endpoints, through the extension's own OAuth client (oauth4webapi): the
 * same catalogue, the same quirks, the same error classes. The holder never opens a sign-in
 * window; the colleague's browser did that and hands over the code.
 */
export function createPlatforms({ fetch, allowLoopbackHttp = false, now = Date.now }: {
  fetch: typeof globalThis.fetch;
  /** Tests and the demo only: platforms on this machine over plain HTTP. */
  allowLoopbackHttp?: boolean;
  now?: () => number;
}) {
  const oauth = createOAuthClient(
    {
      fetch,
      launchWebAuthFlow: () => Promise.reject(new OAuthFailure('identity-unavailable')),
      redirectUrl: 'https://holder.invalid/',
      allowLoopbackHttp,
    },
    now,
  );

  async function platformOf(sql: Sql, platformId: string): Promise<OAuthPlatform | undefined> {
    const custom = (await sql.query<{ definition: CustomPlatform }>('SELECT definition FROM platforms WHERE id = $1', [platformId])).map((row) => row.definition);
    const platform = findPlatform(platformId, custom);
    return platform?.oauth ? { ...platform, oauth: platform.oauth } : undefined;
  }

  async function requestFor(sql: Sql, grant: GrantClient): Promise<{ platform: OAuthPlatform; request: ConsentRequest }> {
    const platform = await platformOf(sql, grant.platformId);
    if (!platform) throw new OAuthFailure('platform-misconfigured');
    const client: OAuthClient = readClient(grant.client, { allowLoopbackHttp });
    return {
      platform,
      request: {
        platformId: platform.id,
        settings: settingsFor(platform.oauth, client),
        client,
        ...(grant.clientSecret ? { clientSecret: grant.clientSecret } : {}),
      },
    };
  }

  return {
    platformOf,

    /**
     * Redeems the code a colleague's browser brought back, with the app's credentials added here:
     * the tokens, with the scopes the grant asked for (its address parts filled in, its chosen APIs).
     */
    async redeem(sql: Sql, grant: GrantClient, authorization: Authorization): Promise<{ platform: OAuthPlatform; tokens: TokenResult; requestedScopes: string[] }> {
      const { platform, request } = await requestFor(sql, grant);
      return { platform, tokens: await oauth.redeem(request, authorization), requestedScopes: [...request.settings.scopes] };
    },

    async refresh(sql: Sql, grant: GrantClient, refreshToken: string): Promise<{ platform: OAuthPlatform; tokens: TokenResult }> {
      const { platform, request } = await requestFor(sql, grant);
      return { platform, tokens: await oauth.refresh(request, refreshToken) };
    },

    /** RFC 7009; false where the platform offers no revocation. */
    async revoke(sql: Sql, grant: GrantClient, refreshToken: string): Promise<boolean> {
      const { request } = await requestFor(sql, grant);
      return oauth.revoke(request, refreshToken);
    },
  };
}

export type Platforms = ReturnType<typeof createPlatforms>;
