/**
 * Reading a platform's metadata from its issuer address: OpenID Connect
 * discovery, then RFC 8414. The background uses it before a consent; the
 * settings page uses it to check a platform the user adds.
 */
import * as oauth from 'oauth4webapi';
import type { ExchangeMode } from '../connection';
import { isAllowedUrl } from '../records/fields';
import { classifyTokenError, OAuthFailure } from './oauth-errors';

export interface DiscoveryOptions {
  fetch: typeof fetch;
  timeoutMs?: number;
  /** Development builds only: an authorization server on this machine over plain HTTP. */
  allowLoopbackHttp?: boolean;
}

/** What a discovered platform offers, as the settings page shows it before adding it. */
export interface PlatformMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
  scopesSupported: string[];
  /** How the token endpoint accepts an app: `none` is a sign-in without an app secret (PKCE only). */
  tokenAuthMethods: string[];
  /** Whether the platform hands out refresh tokens; null where its metadata does not say. */
  refreshTokens: boolean | null;
}

/** What the metadata suggests for adding the platform, so that a sign-in works and ends up dated. */
export interface SuggestedSetup {
  exchanges: ExchangeMode[];
  scopes: string[];
  /** The lifetime question matters: a refresh token outlives the sign-in, and the metadata never says how long. */
  asksLifetime: boolean;
}

export function suggestedSetup({ tokenAuthMethods, scopesSupported, refreshTokens }: PlatformMetadata): SuggestedSetup {
  const wanted = refreshTokens === false ? ['openid'] : ['openid', 'offline_access'];
  return {
    exchanges: tokenAuthMethods.includes('none') ? ['public'] : ['secret'],
    // A platform that lists its scopes is asked only for those it knows.
    scopes: scopesSupported.length > 0 ? wanted.filter((scope) => scopesSupported.includes(scope)) : wanted,
    asksLifetime: refreshTokens !== false,
  };
}

export async function discoverServer(issuer: URL, { fetch, timeoutMs = 10_000, allowLoopbackHttp }: DiscoveryOptions): Promise<oauth.AuthorizationServer> {
  const request = (algorithm: 'oidc' | 'oauth2') =>
    oauth.discoveryRequest(issuer, {
      algorithm,
      signal: AbortSignal.timeout(timeoutMs),
      [oauth.customFetch]: fetch,
      ...(allowLoopbackHttp ? { [oauth.allowInsecureRequests]: true } : {}),
    });
  try {
    return await oauth.processDiscoveryResponse(issuer, await request('oidc'));
  } catch (oidcError) {
    // Not every OAuth server is an OpenID provider: RFC 8414 metadata is the fallback.
    try {
      return await oauth.processDiscoveryResponse(issuer, await request('oauth2'));
    } catch {
      const failure = classifyTokenError(oidcError);
      throw failure.code === 'network' || failure.code === 'platform-unavailable'
        ? failure
        : new OAuthFailure('platform-misconfigured', {}, { cause: oidcError });
    }
  }
}

/**
 * Checks a platform the user adds by its address: HTTPS, reachable, the issuer
 * it claims, and PKCE with S256 (RFC 7636), which every consent here uses.
 */
export async function inspectPlatform(issuerUrl: string, options: DiscoveryOptions): Promise<PlatformMetadata> {
  const url = URL.parse(issuerUrl);
  if (!url || !isAllowedUrl(issuerUrl, { allowLoopbackHttp: options.allowLoopbackHttp === true })) {
    throw new OAuthFailure('discovery-insecure');
  }
  let as: oauth.AuthorizationServer;
  try {
    as = await discoverServer(url, options);
  } catch (error) {
    const cause = error instanceof OAuthFailure ? error.cause : error;
    if (cause instanceof oauth.OperationProcessingError && cause.code === oauth.JSON_ATTRIBUTE_COMPARISON) {
      throw new OAuthFailure('discovery-issuer-mismatch');
    }
    const failure = classifyTokenError(error);
    throw new OAuthFailure(failure.code === 'network' || failure.code === 'platform-unavailable' ? 'discovery-unreachable' : 'discovery-failed');
  }
  if (!as.code_challenge_methods_supported?.includes('S256')) throw new OAuthFailure('discovery-no-pkce');
  if (!as.authorization_endpoint || !as.token_endpoint) throw new OAuthFailure('discovery-failed');
  return {
    issuer: as.issuer,
    authorizationEndpoint: as.authorization_endpoint,
    tokenEndpoint: as.token_endpoint,
    ...(as.revocation_endpoint ? { revocationEndpoint: as.revocation_endpoint } : {}),
    scopesSupported: as.scopes_supported ?? [],
    // RFC 8414, section 2: without the list, the token endpoint takes client_secret_basic only.
    tokenAuthMethods: as.token_endpoint_auth_methods_supported ?? ['client_secret_basic'],
    refreshTokens: as.grant_types_supported ? as.grant_types_supported.includes('refresh_token') : null,
  };
}
