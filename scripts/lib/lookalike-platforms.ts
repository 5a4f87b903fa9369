/**
 * A local authorization server (oidc-provider) that looks like DATEV to the extension, reached
 * under DATEV's real host names through Chromium's host mapping: its metadata at
 * `login.datev.de/openid`, its token, userinfo and revocation endpoints on `api.datev.de`, a
 * confidential client that authenticates with HTTP Basic, PKCE required, and a consent refused
 * without `offline_access` and the client scope `datev:iam:client:<consultant>-<client>`. Its API
 * host sends no CORS headers: only the host access the extension asked for lets the answers through.
 * It records what the extension sent, so the tests can check the requests themselves.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import { loopbackTls } from './tls';

const DAY = 86_400;
const LOGIN_HOST = 'login.datev.de';
const API_HOST = 'api.datev.de';
const ISSUER_PATH = '/openid';
/** DATEV's API host paths, and where this provider serves them. */
const API_PATHS: Record<string, string> = { '/token': '/token', '/userinfo': '/me', '/revoke': '/token/revocation' };

export interface DatevLookalike {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** For `--host-resolver-rules`: both DATEV hosts to this server. */
  hostResolverRules: string;
  /** The query of every authorization request. */
  authorizationRequests: URLSearchParams[];
  /** Every request that reached the API host: its path, whether it came with HTTP Basic, and its grant type. */
  apiRequests: { path: string; basic: boolean; grantType?: string; status: number }[];
  close(): Promise<void>;
}

export async function startDatevLookalike({ redirectUris, clientScope }: { redirectUris: string[]; clientScope: string }): Promise<DatevLookalike> {
  const clientId = 'datev-app-4711';
  const clientSecret = randomBytes(24).toString('base64url');
  const authorizationRequests: URLSearchParams[] = [];
  const apiRequests: DatevLookalike['apiRequests'] = [];
  const server: Server = createServer(await loopbackTls());
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const port = (server.address() as AddressInfo).port;
  const issuer = `https://${LOGIN_HOST}${ISSUER_PATH}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username', 'name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'accounting:documents', clientScope],
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    pkce: { required: () => true },
    ttl: { Interaction: 3600, Session: 3600, Grant: 730 * DAY, IdToken: 3600, AccessToken: 900, RefreshToken: 730 * DAY },
    rotateRefreshToken: true,
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: `${id}@example.com`, email_verified: true, preferred_username: id, name: id }),
      };
    },
  };
  const provider = new Provider(issuer, configuration);

  provider.use(async (ctx, next) => {
    if (ctx.path === '/auth' && ctx.method === 'GET') {
      const query = new URLSearchParams(ctx.querystring);
      authorizationRequests.push(query);
      const scopes = (query.get('scope') ?? '').split(' ');
      // DATEV issues no long-term token for a client the request does not name.
      if (!scopes.includes('offline_access') || !scopes.includes(clientScope)) {
        ctx.status = 400;
        ctx.body = 'offline_access and the client scope are required';
        return;
      }
    }
    await next();
    if (ctx.hostname === API_HOST) {
      const path = Object.keys(API_PATHS).find((candidate) => API_PATHS[candidate] === ctx.path) ?? ctx.path;
      const grantType = ctx.oidc?.params?.grant_type;
      apiRequests.push({ path, basic: /^Basic /.test(ctx.get('authorization')), ...(typeof grantType === 'string' ? { grantType } : {}), status: ctx.status });
    }
    if (ctx.path === '/.well-known/openid-configuration' && ctx.body && typeof ctx.body === 'object') {
      // DATEV's metadata sends token, userinfo and revocation requests to its API host.
      Object.assign(ctx.body, {
        token_endpoint: `https://${API_HOST}/token`,
        userinfo_endpoint: `https://${API_HOST}/userinfo`,
        revocation_endpoint: `https://${API_HOST}/revoke`,
      });
    }
  });

  const handle = provider.callback();
  server.on('request', (request, response) => {
    const url = new URL(request.url ?? '/', `https://${request.headers.host ?? LOGIN_HOST}`);
    if (url.hostname === API_HOST) {
      const served = API_PATHS[url.pathname];
      if (!served) {
        response.writeHead(404).end();
        return;
      }
      request.url = `${served}${url.search}`;
      // Like a server that ignores the Origin header: no CORS headers, so only host access lets the answer through.
      delete request.headers.origin;
      void handle(request, response);
      return;
    }
    // The login host serves the provider under /openid (its issuer's path) and its sign-in pages at the root.
    if (url.pathname.startsWith(`${ISSUER_PATH}/`)) {
      (request as typeof request & { originalUrl?: string }).originalUrl = request.url;
      request.url = request.url!.slice(ISSUER_PATH.length);
    }
    void handle(request, response);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    hostResolverRules: `MAP ${LOGIN_HOST} 127.0.0.1:${port},MAP ${API_HOST} 127.0.0.1:${port}`,
    authorizationRequests,
    apiRequests,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}
