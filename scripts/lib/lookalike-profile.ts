/**
 * What a look-alike of a platform is made of (see lookalike-server.ts), and the small helpers the
 * platforms' descriptions share. Imports nothing, so the catalogue table can read which presets
 * have a look-alike without loading the server.
 */
export type ClientAuthentication = 'client_secret_basic' | 'client_secret_post' | 'none';

/** What one platform is like. Paths are the platform's; `route` says which of the provider's serves each. */
export interface LookalikeProfile {
  /** The preset it stands for. */
  presetId: string;
  /** The issuer the provider signs with (a platform without discovery: its sign-in origin). */
  issuer: string;
  /** Every host name of the platform that the flow reaches. */
  hosts: string[];
  /** The provider's path for a request to the platform's host and path; undefined answers 404. */
  route(host: string, path: string): string | undefined;
  clientAuth: ClientAuthentication;
  /** A second app registered at the platform, confidential, authenticating this way at the token endpoint (Microsoft: a web app with a secret). */
  confidentialAuth?: Exclude<ClientAuthentication, 'none'>;
  /** Whether the platform refuses a code without PKCE. */
  pkce?: boolean;
  /** Scopes the platform knows, in its own spelling. */
  scopes: string[];
  accessTokenSeconds: number;
  refreshTokenSeconds: number;
  /** Claims of the signed-in account beyond sub, email and name (Microsoft: tid). */
  claims?: Record<string, unknown>;
  /** Whether the ID token carries the account's claims itself (Microsoft), rather than only userinfo. */
  claimsInIdToken?: boolean;
  /** Why the platform refuses this authorization request, if it does. */
  refuse?(query: URLSearchParams): string | undefined;
  /** The platform's authorization request in the provider's words (eBay's RuName, Amazon's missing scope). */
  toProvider?(params: URLSearchParams): void;
  /** The provider's callback in the platform's words (Amazon's spapi_oauth_code, eBay's expires_in). */
  callback?(params: URLSearchParams): void;
  tokenResponse?(body: Record<string, unknown>): void;
  metadata?(body: Record<string, unknown>, host: string, path: string): void;
}

export const DAY = 86_400;

/** Serves the provider's sign-in pages where it puts them, and the platform's endpoints at the platform's paths. */
export function routes(paths: Record<string, string>, signInHost: string) {
  return (host: string, path: string): string | undefined => {
    const mapped = paths[`${host}${path}`];
    if (mapped) return mapped;
    return host === signInHost && /^\/(interaction|auth)\//.test(path) ? path : undefined;
  };
}

/** For a platform whose callback names no issuer (RFC 9207 is not theirs). */
export const withoutIss = (params: URLSearchParams) => params.delete('iss');
