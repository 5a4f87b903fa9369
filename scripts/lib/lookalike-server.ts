/**
 * Look-alikes of real platforms for the end-to-end tests: one local HTTPS server, and behind it one
 * authorization server (oidc-provider) per platform, answering under the platform's real host names
 * (Chromium's `--host-resolver-rules` maps them all to this server). What makes each one look like
 * its platform is data (lookalike-platforms.ts, lookalike-endpoints.ts): where its endpoints are, how
 * its client authenticates, what its callback and token response carry, and what it refuses. Every
 * request the extension sends is recorded as it arrived, before the platform's words are turned
 * into the provider's.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration } from 'oidc-provider';
import type { ClientAuthentication, LookalikeProfile } from './lookalike-profile';

export type { ClientAuthentication, LookalikeProfile } from './lookalike-profile';
import { certificateFor, testAuthority } from './tls';

/** One token endpoint request: how the client authenticated, and the form without its secrets. */
export interface TokenRequest {
  host: string;
  path: string;
  auth: ClientAuthentication;
  form: Record<string, string>;
  status?: number;
}

export interface Lookalike {
  profile: LookalikeProfile;
  clientId: string;
  clientSecret: string;
  /** The platform's second, confidential app, where it has one (LookalikeProfile.confidentialAuth). */
  confidential?: { clientId: string; clientSecret: string };
  /** The query of every authorization request, as the extension sent it. */
  authorizationRequests: URLSearchParams[];
  tokenRequests: TokenRequest[];
  /** Every other request: path and status (discovery, userinfo). */
  otherRequests: { host: string; path: string; status?: number }[];
}

export interface LookalikeServer {
  lookalikes: Record<string, Lookalike>;
  /** For `--host-resolver-rules`: every platform's hosts to this server. */
  hostResolverRules: string;
  port: number;
  /**
   * The certificate authority (PEM) that signed this server's certificate, which names every
   * platform host and no other: the browser under test trusts it (chromium.ts, trustedAuthority).
   */
  authority: string;
  close(): Promise<void>;
}

/** A request as it reached the platform: its own path, kept for the provider's answers. */
type PlatformRequest = IncomingMessage & { originalUrl?: string; platformPath?: string; body?: string };

const SECRET_FIELDS = new Set(['client_secret', 'code', 'code_verifier', 'refresh_token']);

function provide(profile: LookalikeProfile, lookalike: Lookalike, redirectUris: string[]): Provider {
  const app = { redirect_uris: redirectUris, grant_types: ['authorization_code', 'refresh_token'], response_types: ['code' as const] };
  const configuration: Configuration = {
    clients: [
      {
        client_id: lookalike.clientId,
        ...(profile.clientAuth === 'none' ? {} : { client_secret: lookalike.clientSecret }),
        ...app,
        token_endpoint_auth_method: profile.clientAuth,
      },
      ...(lookalike.confidential && profile.confidentialAuth
        ? [{ client_id: lookalike.confidential.clientId, client_secret: lookalike.confidential.clientSecret, ...app, token_endpoint_auth_method: profile.confidentialAuth }]
        : []),
    ],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub', ...Object.keys(profile.claims ?? {})], email: ['email', 'email_verified'], profile: ['preferred_username', 'name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', ...profile.scopes],
    conformIdTokenClaims: profile.claimsInIdToken !== true,
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    // Every platform here hands out a refresh token for a consent, whether or not it names offline_access.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => profile.pkce === true },
    ttl: { Interaction: 3600, Session: 3600, Grant: profile.refreshTokenSeconds, IdToken: 3600, AccessToken: profile.accessTokenSeconds, RefreshToken: profile.refreshTokenSeconds },
    rotateRefreshToken: true,
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: `${id}@example.com`, email_verified: true, preferred_username: id, name: id, ...profile.claims }),
      };
    },
  };
  const provider = new Provider(profile.issuer, configuration);
  provider.use(async (ctx, next) => {
    await next();
    const location = ctx.response.get('location');
    if (profile.callback && location && redirectUris.some((uri) => location.startsWith(uri))) {
      const url = new URL(location);
      profile.callback(url.searchParams);
      ctx.redirect(url.href);
    }
    const body = ctx.body as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object' || ctx.status !== 200) return;
    if (ctx.path === '/token') profile.tokenResponse?.(body);
    if (ctx.path === '/.well-known/openid-configuration') profile.metadata?.(body, ctx.hostname, (ctx.req as PlatformRequest).platformPath ?? ctx.path);
  });
  return provider;
}

async function readForm(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** Whose app a request names: its client_id in the query or form, else in HTTP Basic. */
function clientIdOf(query: URLSearchParams, form: URLSearchParams | undefined, authorization = ''): string | undefined {
  const basic = /^Basic (.+)$/.exec(authorization)?.[1];
  return query.get('client_id') ?? form?.get('client_id') ?? (basic ? decodeURIComponent(Buffer.from(basic, 'base64').toString().split(':')[0]!) : undefined);
}

export async function startLookalikes(profiles: LookalikeProfile[], { redirectUris }: { redirectUris: string[] }): Promise<LookalikeServer> {
  const hosts = [...new Set(profiles.flatMap((profile) => profile.hosts))];
  const server: Server = createServer(await certificateFor(hosts));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const port = (server.address() as AddressInfo).port;
  const lookalikes: Record<string, Lookalike> = {};
  type Target = { lookalike: Lookalike; handle: ReturnType<Provider['callback']> };
  // Platforms may share a host (Login with Amazon's token host serves every region, DATEV's sandbox
  // signs in on its production host under another path): the path, then the app, says whose request it is.
  const byHost = new Map<string, Target[]>();
  for (const profile of profiles) {
    const lookalike: Lookalike = {
      profile,
      clientId: `${profile.presetId}-app-4711`,
      clientSecret: randomBytes(24).toString('base64url'),
      ...(profile.confidentialAuth ? { confidential: { clientId: `${profile.presetId}-web-app-4711`, clientSecret: randomBytes(24).toString('base64url') } } : {}),
      authorizationRequests: [],
      tokenRequests: [],
      otherRequests: [],
    };
    lookalikes[profile.presetId] = lookalike;
    const handle = provide(profile, lookalike, redirectUris).callback();
    for (const host of profile.hosts) byHost.set(host, [...(byHost.get(host) ?? []), { lookalike, handle }]);
  }

  server.on('request', (request, response) => {
    void (async () => {
      const host = (request.headers.host ?? '').replace(/:\d+$/, '');
      const url = new URL(request.url ?? '/', `https://${host}`);
      const candidates = (byHost.get(host) ?? []).filter((candidate) => candidate.lookalike.profile.route(host, url.pathname));
      const tokenRequest = candidates[0]?.lookalike.profile.route(host, url.pathname) === '/token' && request.method === 'POST';
      const form = tokenRequest ? new URLSearchParams(await readForm(request)) : undefined;
      const clientId = candidates.length > 1 ? clientIdOf(url.searchParams, form, request.headers.authorization) : undefined;
      const target = candidates.find(({ lookalike }) => clientId !== undefined && [lookalike.clientId, lookalike.confidential?.clientId].includes(clientId)) ?? candidates[0];
      const path = target?.lookalike.profile.route(host, url.pathname);
      if (!target || !path) {
        response.writeHead(404).end();
        return;
      }
      const { lookalike, handle } = target;
      const { profile } = lookalike;
      if (path === '/auth' && request.method === 'GET') {
        lookalike.authorizationRequests.push(new URLSearchParams(url.search));
        const refusal = profile.refuse?.(url.searchParams);
        if (refusal) {
          response.writeHead(400, { 'content-type': 'text/plain' }).end(refusal);
          return;
        }
        profile.toProvider?.(url.searchParams);
      }
      if (form) {
        const basic = /^Basic /.test(request.headers.authorization ?? '');
        const record: TokenRequest = {
          host,
          path: url.pathname,
          auth: basic ? 'client_secret_basic' : form.has('client_secret') ? 'client_secret_post' : 'none',
          form: Object.fromEntries([...form].filter(([name]) => !SECRET_FIELDS.has(name))),
        };
        lookalike.tokenRequests.push(record);
        response.on('finish', () => (record.status = response.statusCode));
        profile.toProvider?.(form);
        (request as PlatformRequest).body = form.toString();
        request.headers['content-length'] = String(Buffer.byteLength(form.toString()));
      } else if (!/^\/(auth|interaction)\b/.test(path)) {
        const record: Lookalike['otherRequests'][number] = { host, path: url.pathname };
        lookalike.otherRequests.push(record);
        response.on('finish', () => (record.status = response.statusCode));
      }
      // Under the issuer's own path the provider is mounted there (its links keep the path); the platform's other paths are aliases.
      const mount = new URL(profile.issuer).pathname.replace(/\/$/, '');
      if (mount && url.pathname.startsWith(`${mount}/`)) (request as PlatformRequest).originalUrl = `${url.pathname}${url.search}`;
      (request as PlatformRequest).platformPath = url.pathname;
      request.url = `${path}${url.search}`;
      // Like servers that ignore the Origin header: no CORS headers, so only the host access the extension asked for lets answers through.
      delete request.headers.origin;
      await handle(request, response);
    })();
  });

  return {
    lookalikes,
    hostResolverRules: [...byHost.keys()].map((host) => `MAP ${host} 127.0.0.1:${port}`).join(','),
    port,
    authority: (await testAuthority()).cert,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        server.closeAllConnections();
      }),
  };
}
