import { findPlatform, resolveSettings, type CustomPlatform } from '../../utils/catalogue/presets';
import type { OAuthClient } from '../../utils/connection';
import { createOAuthClient } from '../../utils/consent/oauth-client';
import { DEFAULT_ACCESS_TOKEN_SECONDS } from '../../utils/expiry/renewal';
import { readClient } from '../../utils/records/oauth-input';
import type { AccessDeps, RefreshedTokens } from './access';

/**
 * The platforms' token endpoints, through the extension's own OAuth client (oauth4webapi): the
 * same catalogue, the same quirks, the same error classes. The holder never opens a sign-in
 * window, so no redirect happens here.
 */
export function createPlatformRefresh({ fetch, allowLoopbackHttp = false, now = Date.now }: {
  fetch: typeof globalThis.fetch;
  /** Tests only: a token endpoint on this machine over plain HTTP. */
  allowLoopbackHttp?: boolean;
  now?: () => number;
}): AccessDeps['refresh'] {
  const oauth = createOAuthClient(
    {
      fetch,
      launchWebAuthFlow: () => Promise.reject(new Error('The holder opens no sign-in windows.')),
      redirectUrl: 'https://holder.invalid/',
      allowLoopbackHttp,
    },
    now,
  );
  return async (grant, refreshToken, tx): Promise<RefreshedTokens> => {
    const custom = (await tx.query<{ definition: CustomPlatform }>('SELECT definition FROM platforms WHERE id = $1', [grant.platformId])).map((row) => row.definition);
    const platform = findPlatform(grant.platformId, custom);
    if (!platform?.oauth) throw new Error(`The platform ${grant.platformId} is not known to this holder.`);
    const client: OAuthClient = readClient(grant.client, { allowLoopbackHttp });
    const tokens = await oauth.refresh(
      {
        platformId: platform.id,
        settings: resolveSettings(platform.oauth, client.endpointValues),
        client,
        ...(grant.clientSecret ? { clientSecret: grant.clientSecret } : {}),
      },
      refreshToken,
    );
    if (!tokens.accessToken) throw new Error('The platform answered without an access token.');
    return {
      accessToken: tokens.accessToken,
      expiresIn: tokens.accessTokenExpiresIn ?? platform.oauth.accessTokenSeconds ?? DEFAULT_ACCESS_TOKEN_SECONDS,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
      ...(tokens.scope ? { scope: tokens.scope } : {}),
    };
  };
}
