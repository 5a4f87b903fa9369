/**
 * The reference token broker: a small HTTPS service that holds the client
 * secrets of the platforms' apps, so the extension never does. It accepts
 *   POST /token  {"platform", "code", "code_verifier", "redirect_uri"}
 *   POST /token  {"platform", "grant_type": "refresh_token", "refresh_token"}
 *   POST /revoke {"platform", "token"}
 * as JSON, calls the platform's token endpoint (or its revocation endpoint, RFC 7009) with the
 * app's credentials and answers with the platform's JSON response and status. It validates every
 * field, answers CORS only for the configured extension origins, bounds every
 * upstream call in time, and logs neither codes, tokens nor secrets.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

export interface BrokerPlatform {
  tokenUrl: string;
  /** The platform's revocation endpoint (RFC 7009); without it /revoke answers `unsupported_token_type`. */
  revocationUrl?: string;
  clientId: string;
  clientSecret: string;
  /** redirect_uri values this app may use (the extension's redirect URLs, or eBay's RuName). */
  redirectUris: string[];
}

export interface BrokerConfig {
  platforms: Record<string, BrokerPlatform>;
  allowedOrigins: string[];
  host?: string;
  port?: number;
  tls?: { key: string; cert: string };
  /** Trust a self-signed platform certificate (the local test platforms only). */
  fetch?: typeof fetch;
  log?: (line: string) => void;
  upstreamTimeoutMs?: number;
  /** How long a caller may take to send its whole request body. */
  bodyTimeoutMs?: number;
}

const MAX_BODY_BYTES = 16 * 1024;
const FIELD_MAX = 4096;

class BadRequest extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

/** A slow body is not waited for: Node's own limit is 300 seconds. */
class SlowBody extends Error {}

async function readJson(request: IncomingMessage, bodyTimeoutMs: number): Promise<Record<string, unknown>> {
  // Exactly JSON (parameters such as charset allowed): `application/jsonxyz` is not JSON.
  if (request.headers['content-type']?.split(';')[0]?.trim().toLowerCase() !== 'application/json') {
    throw new BadRequest('content-type must be application/json');
  }
  let size = 0;
  const chunks: Buffer[] = [];
  const deadline = setTimeout(() => request.destroy(new SlowBody()), bodyTimeoutMs);
  try {
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) throw new BadRequest('request body too large');
      chunks.push(chunk as Buffer);
    }
  } finally {
    clearTimeout(deadline);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new BadRequest('request body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('request body must be an object');
  return body as Record<string, unknown>;
}

function field(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string' || value.length === 0 || value.length > FIELD_MAX) {
    throw new BadRequest(`"${name}" must be a non-empty string`);
  }
  return value;
}

/** The form the platform's token endpoint expects, built from a validated request. */
function tokenForm(body: Record<string, unknown>, platform: BrokerPlatform): URLSearchParams {
  const grantType = body.grant_type === undefined ? 'authorization_code' : field(body, 'grant_type');
  if (grantType === 'refresh_token') {
    return new URLSearchParams({ grant_type: grantType, refresh_token: field(body, 'refresh_token') });
  }
  if (grantType !== 'authorization_code') throw new BadRequest('"grant_type" must be authorization_code or refresh_token');
  const redirectUri = field(body, 'redirect_uri');
  if (!platform.redirectUris.includes(redirectUri)) throw new BadRequest('"redirect_uri" is not registered for this platform');
  return new URLSearchParams({
    grant_type: grantType,
    code: field(body, 'code'),
    code_verifier: field(body, 'code_verifier'),
    redirect_uri: redirectUri,
  });
}

export async function startBroker(config: BrokerConfig) {
  const log = config.log ?? ((line: string) => console.log(line));
  const fetchUpstream = config.fetch ?? fetch;
  const timeoutMs = config.upstreamTimeoutMs ?? 10_000;

  function send(response: ServerResponse, status: number, body: unknown, origin?: string) {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
    if (origin) Object.assign(headers, { 'access-control-allow-origin': origin, vary: 'origin' });
    response.writeHead(status, headers).end(JSON.stringify(body));
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const origin = request.headers.origin;
    const allowedOrigin = origin && config.allowedOrigins.includes(origin) ? origin : undefined;
    // Only the extension's own pages and worker are answered: a request without an allowed Origin
    // (another site, a script that sends none) is refused. A program can forge the header, so this
    // keeps browsers and casual callers out, no more: what guards the exchange then is what a caller
    // must already hold (a code with its PKCE verifier, or a refresh token), see docs/security.md.
    if (!allowedOrigin) return send(response, 403, { error: 'origin_not_allowed' });
    if (request.method === 'OPTIONS') {
      response
        .writeHead(204, {
          'access-control-allow-origin': allowedOrigin,
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers': 'content-type',
          'access-control-max-age': '600',
          vary: 'origin',
        })
        .end();
      return;
    }
    const revoking = request.url === '/revoke';
    if (request.method !== 'POST' || (request.url !== '/token' && !revoking)) return send(response, 404, { error: 'not_found' }, allowedOrigin);

    let platformId = '?';
    try {
      const body = await readJson(request, config.bodyTimeoutMs ?? 5_000);
      const requested = field(body, 'platform');
      const platform = Object.hasOwn(config.platforms, requested) ? config.platforms[requested] : undefined;
      if (!platform) throw new BadRequest('unknown "platform"');
      // Only a configured name reaches the log, never what a caller typed.
      platformId = requested;
      // RFC 7009, section 2.2.1: the answer of a server that cannot revoke this kind of token.
      if (revoking && !platform.revocationUrl) return send(response, 400, { error: 'unsupported_token_type' }, allowedOrigin);
      const form = revoking ? new URLSearchParams({ token: field(body, 'token'), token_type_hint: 'refresh_token' }) : tokenForm(body, platform);
      const upstream = await fetchUpstream(revoking ? platform.revocationUrl! : platform.tokenUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(platform.clientId)}:${encodeURIComponent(platform.clientSecret)}`).toString('base64')}`,
        },
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const action = form.get('grant_type') ?? 'revoke';
      const text = await upstream.text();
      let json: unknown;
      try {
        // A confirmed revocation's body means nothing (RFC 7009, section 2.2), and is often empty.
        json = revoking && upstream.status === 200 ? {} : JSON.parse(text);
      } catch {
        log(`broker: ${platformId} ${action} -> upstream ${upstream.status}, not JSON`);
        return send(response, 502, { error: 'upstream_invalid_response' }, allowedOrigin);
      }
      log(`broker: ${platformId} ${action} -> upstream ${upstream.status}`);
      return send(response, upstream.status, json, allowedOrigin);
    } catch (error) {
      if (error instanceof SlowBody) {
        log(`broker: ${platformId} refused: request body too slow`);
        return;
      }
      if (error instanceof BadRequest) {
        log(`broker: ${platformId} refused: ${error.description}`);
        return send(response, 400, { error: 'invalid_request', error_description: error.description }, allowedOrigin);
      }
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      log(`broker: ${platformId} upstream ${timedOut ? 'timed out' : 'unreachable'}`);
      return send(response, timedOut ? 504 : 502, { error: timedOut ? 'upstream_timeout' : 'upstream_unreachable' }, allowedOrigin);
    }
  }

  const listener = (request: IncomingMessage, response: ServerResponse) => void handle(request, response);
  const server = config.tls ? createHttpsServer(config.tls, listener) : createHttpServer(listener);
  await new Promise<void>((listening) => server.listen(config.port ?? 0, config.host ?? '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${config.tls ? 'https' : 'http'}://${config.host ?? '127.0.0.1'}:${port}/token`,
    close: () =>
      new Promise<void>((closed) => {
        server.close(() => closed());
        // Browsers keep connections open; a closed platform must really be gone.
        server.closeAllConnections();
      }),
  };
}
