/**
 * Authorization servers on 127.0.0.1 (oidc-provider) that behave like the
 * platforms Token Watch meets, for the end-to-end tests and the demo:
 * - `public`: a public client with PKCE and a refresh token that rotates on every use;
 * - `ebay`: a confidential client reached through the token broker, whose token
 *   responses carry `token_type: "User Access Token"` and `refresh_token_expires_in`;
 * - `datev`: a confidential client (secret entered by the user) that requires
 *   PKCE and `offline_access`, with a two-year rotating long-term token.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type Configuration } from 'oidc-provider';
import { loopbackTls } from './tls';

export type PlatformKind = 'public' | 'ebay' | 'datev';

export interface LocalPlatform {
  kind: PlatformKind;
  issuer: string;
  clientId: string;
  /** Only for confidential clients; the tests hand it to the extension or the broker. */
  clientSecret?: string;
  /** Token endpoint requests seen so far, by grant type. */
  tokenRequests: { authorization_code: number; refresh_token: number };
  /** Refresh requests the platform refused (a refresh token used up, revoked or unknown). */
  readonly refusedRefreshes: number;
  revocations: number;
  close(): Promise<void>;
}

export const EBAY_REFRESH_TOKEN_LIFETIME = 47_304_000;
const DAY = 86_400;

interface StartOptions {
  kind: PlatformKind;
  /** The extension's redirect URLs (Chrome and Firefox). */
  redirectUris: string[];
  /** Origins allowed to call the token endpoint from a browser (the extension's). */
  corsOrigins: string[];
  port?: number;
}

function clientFor(kind: PlatformKind, redirectUris: string[]): ClientMetadata & { client_id: string } {
  const common: Partial<ClientMetadata> = {
    redirect_uris: redirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  };
  if (kind === 'public') return { ...common, client_id: 'token-watch-public', token_endpoint_auth_method: 'none' };
  return {
    ...common,
    client_id: kind === 'ebay' ? 'ebay-app-production' : 'datev-app-4711',
    client_secret: randomBytes(24).toString('base64url'),
    token_endpoint_auth_method: 'client_secret_basic',
  };
}

export async function startPlatform({ kind, redirectUris, corsOrigins, port = 0 }: StartOptions): Promise<LocalPlatform> {
  const client = clientFor(kind, redirectUris);
  const tokenRequests = { authorization_code: 0, refresh_token: 0 };
  let refusedRefreshes = 0;
  let revocations = 0;
  const server: Server = createServer(await loopbackTls());
  await new Promise<void>((listening) => server.listen(port, '127.0.0.1', listening));
  const issuer = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const configuration: Configuration = {
    clients: [client],
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['preferred_username', 'name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile', 'orders'],
    features: { devInteractions: { enabled: true }, revocation: { enabled: true } },
    pkce: { required: () => true },
    ttl: {
      Interaction: 3600,
      Session: 3600,
      Grant: 730 * DAY,
      IdToken: 3600,
      AccessToken: kind === 'datev' ? 900 : 3600,
      RefreshToken: kind === 'datev' ? 730 * DAY : kind === 'ebay' ? EBAY_REFRESH_TOKEN_LIFETIME : 90 * DAY,
    },
    rotateRefreshToken: kind !== 'ebay',
    clientBasedCORS: (_ctx, origin) => corsOrigins.includes(origin),
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        claims: async () => ({ sub: id, email: `${id}@example.com`, email_verified: true, preferred_username: id, name: id }),
      };
    },
  };
  const provider = new Provider(issuer, configuration);

  provider.use(async (ctx, next) => {
    // DATEV refuses a consent without offline_access: there is no long-term token without it.
    if (kind === 'datev' && ctx.path === '/auth' && !String(ctx.query.scope ?? '').split(' ').includes('offline_access')) {
      ctx.status = 400;
      ctx.body = 'offline_access is required';
      return;
    }
    if (ctx.path === '/token' && ctx.method === 'POST') {
      await next();
      const grantType = ctx.oidc?.params?.grant_type as keyof typeof tokenRequests | undefined;
      if (ctx.status === 200 && (grantType === 'authorization_code' || grantType === 'refresh_token')) {
        tokenRequests[grantType] += 1;
      }
      if (ctx.status !== 200 && grantType === 'refresh_token') refusedRefreshes += 1;
      if (kind === 'ebay' && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
        // eBay's own words for a bearer token, and the refresh token's lifetime.
        Object.assign(ctx.body, { token_type: 'User Access Token', refresh_token_expires_in: EBAY_REFRESH_TOKEN_LIFETIME });
      }
      return;
    }
    await next();
    if (ctx.path === '/token/revocation' && ctx.status === 200) revocations += 1;
  });

  // Node's request listener ignores what it returns; Koa handles its own errors.
  const handle = provider.callback();
  server.on('request', (request, response) => void handle(request, response));
  return {
    kind,
    issuer,
    clientId: client.client_id,
    ...(client.client_secret ? { clientSecret: client.client_secret } : {}),
    tokenRequests,
    get refusedRefreshes() {
      return refusedRefreshes;
    },
    get revocations() {
      return revocations;
    },
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        // Browsers keep connections open; a closed platform must really be gone.
        server.closeAllConnections();
      }),
  } as LocalPlatform;
}
