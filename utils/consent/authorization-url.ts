import type { OAuthSettings } from '../catalogue/types';
import type { OAuthClient } from '../connection';

/** What one attempt adds to the platform's and the app's parameters. */
export interface AuthorizationAttempt {
  redirectUri: string;
  state: string;
  codeChallenge: string;
}

/** The address the sign-in window opens: the platform's parameters, the app's, then the flow's own, which neither may change. */
export function authorizationUrl(endpoint: string, settings: OAuthSettings, client: OAuthClient, attempt: AuthorizationAttempt): URL {
  const url = new URL(endpoint);
  const scope = settings.scopes.join(' ');
  url.search = new URLSearchParams({
    // OpenID Connect Core, section 11: offline_access is only honoured with prompt=consent.
    ...(settings.scopes.includes('offline_access') ? { prompt: 'consent' } : {}),
    ...settings.authorizationParams,
    ...client.authorizationParams,
    client_id: client.clientId,
    redirect_uri: attempt.redirectUri,
    response_type: 'code',
    // Amazon's consent page takes no scope at all, and an empty one is not the same as none.
    ...(scope ? { scope } : {}),
    state: attempt.state,
    code_challenge: attempt.codeChallenge,
    code_challenge_method: 'S256',
  }).toString();
  return url;
}
