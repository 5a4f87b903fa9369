/**
 * Reading a platform's metadata from its issuer address: OpenID Connect
 * discovery, then RFC 8414. The background uses it before a consent; the
 * settings page uses it to check a platform the user adds.
 */
import * as oauth from 'oauth4webapi';
import type { ExchangeMode } from '../connection';
import { isAllowedUrl } from '../records/fields';
import { classifyTokenError, OAuthFailure } from './oauth-errors';
import { expectedTenantIssuer, isTenantIssuer } from './tenant-issuer';

export interface DiscoveryOptions {
  fetch: typeof fetch;
  timeoutMs?: number;
  /** Development builds only: an authorization server on this machine over plain HTTP. */
  allowLoopbackHttp?: boolean;
  /** Microsoft: an issuer that names the tenant (tenant-issuer.ts) instead of the address asked. */
  tenantIssuer?: boolean;
  /** inspectPlatform: refuse metadata without PKCE (S256); true unless the platform is the catalogue's, which is known to take it. */
  requirePkce?: boolean;
}

/**
 * oauth4webapi's hook for the issuer an ID token must name (the one openid-client uses for Microsoft's
 * tenants). Should a release drop it, the exact match applies and such a sign-in fails; it never passes.
 */
const EXPECTED_ISSUER = (oauth as unknown as { _expectedIssuer?: symbol })._expectedIssuer;

/** What a discovered platform offers, as the settings page shows it before adding it. */
export interface PlatformMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  revocationEndpoint?: string;
  scopesSupported: string[];
  /** Hosts other than the issuer's that the flow will call (token, userinfo, revocation), kept so that all are asked for at once. */
  hosts: string[];
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

function otherHosts(as: oauth.AuthorizationServer): string[] {
  const issuerHost = URL.parse(as.issuer)?.hostname;
  const hosts = [as.token_endpoint, as.userinfo_endpoint, as.revocation_endpoint].flatMap((url) => {
    const host = url ? URL.parse(url)?.hostname : undefined;
    return host && host !== issuerHost ? [host] : [];
  });
  return [...new Set(hosts)];
}

/**
 * The metadata as oauth4webapi checks it. With `tenantIssuer`, one whose issuer names the tenant is
 * accepted as Microsoft documents, and each ID token is then checked against its own `tid`.
 */
async function processMetadata(issuer: URL, response: Response, tenantIssuer?: boolean): Promise<oauth.AuthorizationServer> {
  try {
    return await oauth.processDiscoveryResponse(issuer, response);
  } catch (error) {
    // The metadata refused for naming another issuer comes with the refusal.
    const as = tenantIssuer && error instanceof oauth.OperationProcessingError ? (error.cause as { body?: oauth.AuthorizationServer } | undefined)?.body : undefined;
    if (!as || !isTenantIssuer(issuer.href, as.issuer)) throw error;
    return EXPECTED_ISSUER ? { ...as, [EXPECTED_ISSUER]: (result: { claims: Record<string, unknown> }) => expectedTenantIssuer(as.issuer, result.claims) } : as;
  }
}

export async function discoverServer(issuer: URL, { fetch, timeoutMs = 10_000, allowLoopbackHttp, tenantIssuer }: DiscoveryOptions): Promise<oauth.AuthorizationServer> {
  const request = (algorithm: 'oidc' | 'oauth2') =>
    oauth.discoveryRequest(issuer, {
      algorithm,
      signal: AbortSignal.timeout(timeoutMs),
      [oauth.customFetch]: fetch,
      ...(allowLoopbackHttp ? { [oauth.allowInsecureRequests]: true } : {}),
    });
  try {
    return await processMetadata(issuer, await request('oidc'), tenantIssuer);
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
 * The checks a platform's metadata must pass, when the platform is added and again at every sign-in
 * (metadata can change after it was added): HTTPS for every address the flow uses (no `http:`,
 * `javascript:` or `data:`), both endpoints present, and, where asked, PKCE with S256.
 */
export function checkMetadata(as: oauth.AuthorizationServer, { allowLoopbackHttp = false, requirePkce = true }: { allowLoopbackHttp?: boolean; requirePkce?: boolean } = {}): void {
  if (!as.authorization_endpoint || !as.token_endpoint) throw new OAuthFailure('discovery-failed');
  const addresses = [as.authorization_endpoint, as.token_endpoint, as.revocation_endpoint, as.userinfo_endpoint].filter((url): url is string => url !== undefined);
  if (!addresses.every((url) => isAllowedUrl(url, { allowLoopbackHttp }))) throw new OAuthFailure('discovery-insecure');
  if (requirePkce && !as.code_challenge_methods_supported?.includes('S256')) throw new OAuthFailure('discovery-no-pkce');
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
  checkMetadata(as, { allowLoopbackHttp: options.allowLoopbackHttp === true, requirePkce: options.requirePkce !== false });
  return {
    issuer: as.issuer,
    authorizationEndpoint: as.authorization_endpoint!,
    tokenEndpoint: as.token_endpoint!,
    ...(as.revocation_endpoint ? { revocationEndpoint: as.revocation_endpoint } : {}),
    scopesSupported: as.scopes_supported ?? [],
    hosts: otherHosts(as),
    // RFC 8414, section 2: without the list, the token endpoint takes client_secret_basic only.
    tokenAuthMethods: as.token_endpoint_auth_methods_supported ?? ['client_secret_basic'],
    refreshTokens: as.grant_types_supported ? as.grant_types_supported.includes('refresh_token') : null,
  };
}
