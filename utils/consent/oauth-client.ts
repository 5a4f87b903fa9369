/**
 * The OAuth conversations with a platform, each one straight line of
 * request → process, as oauth4webapi lays them out. Platform quirks come in as
 * settings; browser and network come in as dependencies, so tests hand in fakes.
 */
import * as oauth from 'oauth4webapi';
import type { TokenResult } from '../expiry/renewal';
import type { OAuthClient } from '../connection';
import { isAllowedUrl } from '../records/fields';
import { authorizationUrl } from './authorization-url';
import { tokenAuthMethod } from './client-auth';
import { checkMetadata, discoverServer } from './discovery';
import { classifyAuthorizationError, classifyLaunchError, classifyTokenError, OAuthFailure } from './oauth-errors';
import type { OAuthSettings } from '../catalogue/presets';

export interface OAuthDeps {
  fetch: typeof fetch;
  launchWebAuthFlow(details: { url: string; interactive: boolean }): Promise<string | undefined>;
  /** identity.getRedirectURL(): where the platform sends the browser back to. */
  redirectUrl: string;
  /** Bound for each request: well under the service worker's 30 s. */
  timeoutMs?: number;
  /**
   * Development builds only: talk to an authorization server on this machine over
   * plain HTTP. Production builds never set it (RFC 9700: HTTPS everywhere).
   */
  allowLoopbackHttp?: boolean;
}

export type { TokenResult };

/** What the browser brings back from a consent: enough to redeem the code, here or at the token holder. */
export interface Authorization {
  code: string;
  /** The issuer the platform named in its callback (RFC 9207), where it names one. */
  iss?: string;
  codeVerifier: string;
  redirectUri: string;
  /** The account the platform named in its callback (Amazon's selling_partner_id). */
  account?: string;
}

export interface ConsentRequest {
  platformId: string;
  settings: OAuthSettings;
  client: OAuthClient;
  clientSecret?: string;
}

const TOKEN_FIELDS = new Set(['access_token', 'refresh_token', 'id_token']);

function withoutTokens(result: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(result).filter(([key]) => !TOKEN_FIELDS.has(key)));
}

function recognizedTokenTypes(settings: OAuthSettings): oauth.RecognizedTokenTypes {
  return Object.fromEntries((settings.tokenTypes ?? []).map((type) => [type.toLowerCase(), () => undefined]));
}

/**
 * A token response without token_type, as Shopify sends, carries a bearer token: RFC 6749 (section
 * 5.1) requires the field and oauth4webapi refuses an answer without it.
 */
async function withTokenType(response: Response, settings: OAuthSettings): Promise<Response> {
  if (!settings.omitsTokenType || !response.ok) return response;
  const body: unknown = await response.clone().json().catch(() => null);
  if (!body || typeof body !== 'object' || 'token_type' in body) return response;
  return new Response(JSON.stringify({ ...body, token_type: 'bearer' }), response);
}

export function createOAuthClient(deps: OAuthDeps, now: () => number = Date.now) {
  const timeoutMs = deps.timeoutMs ?? 10_000;
  const loopback = { allowLoopbackHttp: deps.allowLoopbackHttp === true };
  const requestOptions = () => ({
    signal: AbortSignal.timeout(timeoutMs),
    [oauth.customFetch]: deps.fetch,
    // Input validation lets plain HTTP through only for loopback hosts, and only in development builds.
    ...(loopback.allowLoopbackHttp ? { [oauth.allowInsecureRequests]: true } : {}),
  });
  const discovered = new Map<string, Promise<oauth.AuthorizationServer>>();

  function authorizationServer(settings: OAuthSettings): Promise<oauth.AuthorizationServer> {
    if (settings.issuer) {
      const issuer = settings.issuer;
      let server = discovered.get(issuer);
      if (!server) {
        // Metadata may have changed since the platform was added: it is checked again before any use.
        server = discoverServer(new URL(issuer), { fetch: deps.fetch, timeoutMs, ...loopback, tenantIssuer: settings.tenantIssuer === true }).then((as) => {
          checkMetadata(as, { ...loopback, requirePkce: false });
          return as;
        });
        discovered.set(issuer, server);
        server.catch(() => discovered.delete(issuer));
      }
      return server;
    }
    if (!settings.endpoints) return Promise.reject(new OAuthFailure('platform-misconfigured'));
    return Promise.resolve({
      // oauth4webapi needs an issuer; callbacks are never checked against this stand-in (checkCallback).
      issuer: new URL(settings.endpoints.authorization).origin,
      authorization_endpoint: settings.endpoints.authorization,
      token_endpoint: settings.endpoints.token,
      revocation_endpoint: settings.endpoints.revocation,
    });
  }

  /**
   * What a token endpoint request carries for this app: the secret the platform's way, decided when
   * the request is made (discovered metadata by then at hand), and the code exchange's own parameters.
   */
  const clientAuth =
    (request: ConsentRequest): oauth.ClientAuth =>
    (as, client, body, headers) => {
      if (body.get('grant_type') === 'authorization_code') {
        for (const [name, value] of Object.entries(request.settings.codeExchangeParams ?? {})) body.set(name, value);
      }
      const method = tokenAuthMethod(request.client.exchange, request.settings.tokenAuth, as.token_endpoint_auth_methods_supported);
      const auth = method === 'client_secret_post' ? oauth.ClientSecretPost : method === 'none' ? oauth.None : oauth.ClientSecretBasic;
      return auth(request.clientSecret ?? '')(as, client, body, headers);
    };

  /** Where the platform must send the browser back to, and what to call it there. */
  const redirectUriFor = (client: OAuthClient) => client.redirectName ?? deps.redirectUrl;

  /**
   * The callback must come back to exactly our redirect URL, with the code in
   * the query (never the fragment) and no token in it (RFC 9700, section 4.1).
   */
  function checkCallback(responseUrl: string | undefined, settings: OAuthSettings): { url: URL; account?: string } {
    const url = responseUrl ? URL.parse(responseUrl) : null;
    const expected = new URL(deps.redirectUrl);
    if (!url || url.origin !== expected.origin || url.pathname !== expected.pathname || url.hash !== '') {
      throw new OAuthFailure('untrusted-response');
    }
    if (url.searchParams.has('access_token') || url.searchParams.has('id_token')) throw new OAuthFailure('untrusted-response');
    const rename = settings.callback?.code;
    if (rename && url.searchParams.has(rename)) {
      url.searchParams.set('code', url.searchParams.get(rename)!);
      url.searchParams.delete(rename);
    }
    // A platform with fixed addresses names no issuer we know (RFC 9207 needs metadata): its `iss`
    // could only be compared with one made up from the sign-in address, often another host than the
    // real issuer's. The state already ties the answer to this attempt at this platform.
    if (!settings.issuer) url.searchParams.delete('iss');
    const accountParam = settings.callback?.account;
    const account = accountParam ? url.searchParams.get(accountParam) ?? undefined : undefined;
    return { url, account };
  }

  const firstText = (...values: unknown[]) => values.find((value): value is string => typeof value === 'string' && value !== '');

  /** Who signed in: the ID token's e-mail or user name, else the userinfo endpoint's, else the subject. */
  async function accountOf(as: oauth.AuthorizationServer, client: oauth.Client, result: oauth.TokenEndpointResponse) {
    const claims = result.id_token ? oauth.getValidatedIdTokenClaims(result) : undefined;
    const fromIdToken = firstText(claims?.email, claims?.preferred_username);
    if (fromIdToken || !claims || !as.userinfo_endpoint) return fromIdToken ?? claims?.sub;
    try {
      const response = await oauth.userInfoRequest(as, client, result.access_token, requestOptions());
      const info = await oauth.processUserInfoResponse(as, client, claims.sub, response);
      return firstText(info.email, info.preferred_username, claims.sub);
    } catch {
      // The account name is a convenience; the consent itself has succeeded.
      return claims.sub;
    }
  }

  function tokenResult(result: oauth.TokenEndpointResponse, receivedAt: number, account?: string): TokenResult {
    return {
      receivedAt,
      fields: withoutTokens(result),
      accessTokenExpiresIn: result.expires_in,
      accessToken: result.access_token,
      refreshToken: result.refresh_token,
      scope: result.scope,
      account,
    };
  }

  /**
   * The broker's address, checked. A revocation goes to its route `revoke` beside its `…/token`
   * address; a broker address of another shape names no such route (null), and no token is sent
   * to a path nobody configured.
   */
  function brokerAddress(request: ConsentRequest): string;
  function brokerAddress(request: ConsentRequest, route: 'revoke'): string | null;
  function brokerAddress(request: ConsentRequest, route?: 'revoke'): string | null {
    const url = request.client.brokerUrl;
    if (!url || !isAllowedUrl(url, loopback)) throw new OAuthFailure('platform-misconfigured');
    if (!route) return url;
    const target = new URL(url);
    if (!target.pathname.endsWith('/token') || target.search) return null;
    target.pathname = `${target.pathname.slice(0, -'token'.length)}${route}`;
    return target.href;
  }

  /** Posts the code (or a refresh token) to the broker, which adds the app's secret. */
  function brokerRequest(url: string, request: ConsentRequest, body: Record<string, string>): Promise<Response> {
    return deps.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ platform: request.platformId, ...body }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  }

  const api = {
    authorizationServer,

    /**
     * The browser half of a consent: discover, build the URL, launch, validate the callback. The
     * code it brings back is redeemed here (`consent`) or by the company's token holder.
     */
    async authorize(request: ConsentRequest): Promise<Authorization> {
      const { settings, client } = request;
      const as = await authorizationServer(settings);
      // A platform added by its address promised PKCE with S256 then; it must still offer it (the catalogue's are known to).
      if (settings.issuer && request.platformId.startsWith('custom-')) checkMetadata(as, { ...loopback, requirePkce: true });
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const redirectUri = redirectUriFor(client);

      const url = authorizationUrl(as.authorization_endpoint!, settings, client, {
        redirectUri,
        state,
        codeChallenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
      });

      // No time limit of our own: the browser ends the flow when its window closes, and
      // giving up earlier would leave the window open while another sign-in is refused.
      let responseUrl: string | undefined;
      try {
        responseUrl = await deps.launchWebAuthFlow({ url: url.href, interactive: true });
      } catch (error) {
        throw classifyLaunchError(error);
      }

      const callback = checkCallback(responseUrl, settings);
      let params: URLSearchParams;
      try {
        params = oauth.validateAuthResponse(as, { client_id: client.clientId }, callback.url, state);
      } catch (error) {
        throw classifyAuthorizationError(error);
      }
      return {
        code: params.get('code')!,
        ...(params.get('iss') ? { iss: params.get('iss')! } : {}),
        codeVerifier,
        redirectUri,
        ...(callback.account ? { account: callback.account } : {}),
      };
    },

    /**
     * Redeems a code at the platform's token endpoint. The state was checked where the browser
     * came back; the issuer is checked again here, so a code from elsewhere is refused.
     */
    async redeem(request: ConsentRequest, authorization: Authorization): Promise<TokenResult> {
      try {
        const as = await authorizationServer(request.settings);
        const oauthClient: oauth.Client = { client_id: request.client.clientId };
        const callback = new URLSearchParams({ code: authorization.code, ...(authorization.iss ? { iss: authorization.iss } : {}) });
        const params = oauth.validateAuthResponse(as, oauthClient, callback, oauth.skipStateCheck);
        const { codeVerifier, redirectUri } = authorization;
        const response =
          request.client.exchange === 'broker'
            ? await brokerRequest(brokerAddress(request), request, { code: authorization.code, code_verifier: codeVerifier, redirect_uri: redirectUri })
            : await oauth.authorizationCodeGrantRequest(as, oauthClient, clientAuth(request), params, redirectUri, codeVerifier, requestOptions());
        const receivedAt = now();
        const result = await oauth.processAuthorizationCodeResponse(as, oauthClient, await withTokenType(response, request.settings), {
          recognizedTokenTypes: recognizedTokenTypes(request.settings),
        });
        return tokenResult(result, receivedAt, (await accountOf(as, oauthClient, result)) ?? authorization.account);
      } catch (error) {
        throw classifyTokenError(error);
      }
    },

    /** A whole consent in the extension: the browser half, then the code redeemed here. */
    async consent(request: ConsentRequest): Promise<TokenResult> {
      return api.redeem(request, await api.authorize(request));
    },

    /** Exchanges a refresh token for new tokens, without any window. */
    async refresh(request: ConsentRequest, refreshToken: string): Promise<TokenResult> {
      try {
        const as = await authorizationServer(request.settings);
        const oauthClient: oauth.Client = { client_id: request.client.clientId };
        const response =
          request.client.exchange === 'broker'
            ? await brokerRequest(brokerAddress(request), request, { grant_type: 'refresh_token', refresh_token: refreshToken })
            : await oauth.refreshTokenGrantRequest(as, oauthClient, clientAuth(request), refreshToken, requestOptions());
        const receivedAt = now();
        const result = await oauth.processRefreshTokenResponse(as, oauthClient, await withTokenType(response, request.settings), {
          recognizedTokenTypes: recognizedTokenTypes(request.settings),
        });
        return tokenResult(result, receivedAt);
      } catch (error) {
        throw classifyTokenError(error);
      }
    },

    /** Revokes a refresh token (RFC 7009), at the broker for its connections; false where the platform has no revocation endpoint. */
    async revoke(request: ConsentRequest, refreshToken: string): Promise<boolean> {
      try {
        if (request.client.exchange === 'broker') {
          const route = brokerAddress(request, 'revoke');
          if (!route) return false;
          const response = await brokerRequest(route, request, { token: refreshToken });
          // The broker knows no revocation endpoint for this platform (RFC 7009, section 2.2.1).
          if (response.status === 400 && (await response.clone().json().catch(() => null))?.error === 'unsupported_token_type') return false;
          await oauth.processRevocationResponse(response);
          return true;
        }
        const as = await authorizationServer(request.settings);
        if (!as.revocation_endpoint) return false;
        const oauthClient: oauth.Client = { client_id: request.client.clientId };
        const response = await oauth.revocationRequest(as, oauthClient, clientAuth(request), refreshToken, {
          ...requestOptions(),
          additionalParameters: { token_type_hint: 'refresh_token' },
        });
        await oauth.processRevocationResponse(response);
        return true;
      } catch (error) {
        throw classifyTokenError(error);
      }
    },
  };
  return api;
}

export type OAuthClientApi = ReturnType<typeof createOAuthClient>;
