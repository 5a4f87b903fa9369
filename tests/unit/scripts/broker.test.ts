import { connect } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBroker } from '../../../scripts/lib/broker-server';

const ORIGIN = 'chrome-extension://nbcciljdmbmgpmklgkcafonbdgigmaoj';
const REDIRECT = 'https://nbcciljdmbmgpmklgkcafonbdgigmaoj.chromiumapp.org/';
let close: (() => Promise<void>) | undefined;

afterEach(async () => {
  await close?.();
  close = undefined;
});

async function broker(upstream: (url: string, init: RequestInit) => Promise<Response>) {
  const log: string[] = [];
  const fetchUpstream = vi.fn(upstream);
  const started = await startBroker({
    platforms: { ebay: { tokenUrl: 'https://api.ebay.example/token', clientId: 'app-id', clientSecret: 'app-secret', redirectUris: [REDIRECT] } },
    allowedOrigins: [ORIGIN],
    fetch: fetchUpstream as unknown as typeof fetch,
    log: (line) => log.push(line),
    upstreamTimeoutMs: 50,
    bodyTimeoutMs: 300,
  });
  close = started.close;
  const post = (body: unknown, origin: string | null = ORIGIN, type = 'application/json') =>
    fetch(started.url, { method: 'POST', headers: { 'content-type': type, ...(origin ? { origin } : {}) }, body: JSON.stringify(body) });
  return { post, fetchUpstream, log, url: started.url };
}

const ok = () => Promise.resolve(new Response(JSON.stringify({ access_token: 'at', token_type: 'User Access Token', refresh_token: 'rt', refresh_token_expires_in: 47304000 }), { status: 200 }));
const codeRequest = { platform: 'ebay', code: 'the-code', code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT };

describe('the reference broker’s access control', () => {
  it('refuses a request without an Origin (a script that knows the address) before anything reaches the platform', async () => {
    const { post, fetchUpstream } = await broker(ok);
    const response = await post({ platform: 'ebay', grant_type: 'refresh_token', refresh_token: 'stolen' }, null);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: 'origin_not_allowed' });
    expect(fetchUpstream).not.toHaveBeenCalled();
  });

  it.each(['application/jsonxyz', 'text/plain', 'application/json-patch+json'])('refuses the content type %s', async (type) => {
    const { post, fetchUpstream } = await broker(ok);
    const response = await post(codeRequest, ORIGIN, type);
    expect(response.status).toBe(400);
    expect(fetchUpstream).not.toHaveBeenCalled();
  });

  it('takes JSON with a charset', async () => {
    const { post } = await broker(ok);
    expect((await post(codeRequest, ORIGIN, 'application/json; charset=utf-8')).status).toBe(200);
  });

  it('closes a request whose body does not arrive within its deadline', async () => {
    const { url, fetchUpstream, log } = await broker(ok);
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((done) => socket.once('connect', () => done()));
    socket.write(`POST /token HTTP/1.1\r\nhost: ${hostname}\r\norigin: ${ORIGIN}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"platform":`);
    const started = Date.now();
    await new Promise<void>((done) => socket.once('close', () => done()));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(fetchUpstream).not.toHaveBeenCalled();
    expect(log).toContain('broker: ? refused: request body too slow');
  });
});

describe('the reference broker', () => {
  it('adds the app’s credentials and passes the platform’s answer through', async () => {
    const { post, fetchUpstream, log } = await broker(ok);
    const response = await post(codeRequest);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(await response.json()).toMatchObject({ token_type: 'User Access Token', refresh_token_expires_in: 47304000 });
    const [url, init] = fetchUpstream.mock.calls[0]!;
    expect(url).toBe('https://api.ebay.example/token');
    expect(new Headers(init.headers).get('authorization')).toBe(`Basic ${btoa('app-id:app-secret')}`);
    expect(Object.fromEntries(init.body as URLSearchParams)).toEqual({ grant_type: 'authorization_code', code: 'the-code', code_verifier: 'v'.repeat(43), redirect_uri: REDIRECT });
    expect(log.join('\n')).not.toMatch(/the-code|app-secret|rt|at"/);
  });

  it('refreshes with the app’s credentials', async () => {
    const { post, fetchUpstream } = await broker(ok);
    await post({ platform: 'ebay', grant_type: 'refresh_token', refresh_token: 'old-rt' });
    expect(Object.fromEntries(fetchUpstream.mock.calls[0]![1].body as URLSearchParams)).toEqual({ grant_type: 'refresh_token', refresh_token: 'old-rt' });
  });

  it('passes the platform’s error and status through', async () => {
    const { post } = await broker(() => Promise.resolve(new Response(JSON.stringify({ error: 'invalid_grant' }), { status: 400 })));
    const response = await post(codeRequest);
    expect([response.status, await response.json()]).toEqual([400, { error: 'invalid_grant' }]);
  });

  it.each<[string, unknown, string]>([
    ['an unknown platform', { ...codeRequest, platform: 'myspace' }, 'unknown "platform"'],
    ['a prototype key as platform', { ...codeRequest, platform: '__proto__' }, 'unknown "platform"'],
    ['a missing code', { ...codeRequest, code: undefined }, '"code" must be a non-empty string'],
    ['a redirect_uri nobody registered', { ...codeRequest, redirect_uri: 'https://evil.example/' }, '"redirect_uri" is not registered for this platform'],
    ['another grant type', { ...codeRequest, grant_type: 'client_credentials' }, '"grant_type" must be authorization_code or refresh_token'],
    ['a list instead of an object', [codeRequest], 'request body must be an object'],
  ])('refuses %s without calling the platform', async (_, body, description) => {
    const { post, fetchUpstream } = await broker(ok);
    const response = await post(body);
    expect([response.status, await response.json()]).toEqual([400, { error: 'invalid_request', error_description: description }]);
    expect(fetchUpstream).not.toHaveBeenCalled();
  });

  it('refuses pages of other origins', async () => {
    const { post, fetchUpstream } = await broker(ok);
    expect((await post(codeRequest, 'https://evil.example')).status).toBe(403);
    expect(fetchUpstream).not.toHaveBeenCalled();
  });

  it('answers 502 when the platform sends no JSON, and 504 when it hangs', async () => {
    const html = await broker(() => Promise.resolve(new Response('<html>down</html>', { status: 503 })));
    expect(await (await html.post(codeRequest)).json()).toEqual({ error: 'upstream_invalid_response' });
    await close?.();
    const hanging = await broker((_url, init) => new Promise((_, reject) => init.signal?.addEventListener('abort', () => reject(init.signal!.reason))));
    const response = await hanging.post(codeRequest);
    expect([response.status, await response.json()]).toEqual([504, { error: 'upstream_timeout' }]);
  });
});

describe('the reference broker’s revocation route', () => {
  const REVOKE_URL = 'https://api.ebay.example/revoke';

  async function revoking(upstream: (url: string, init: RequestInit) => Promise<Response>, revocationUrl: string | null = REVOKE_URL) {
    const log: string[] = [];
    const fetchUpstream = vi.fn(upstream);
    const started = await startBroker({
      platforms: { ebay: { tokenUrl: 'https://api.ebay.example/token', ...(revocationUrl ? { revocationUrl } : {}), clientId: 'app-id', clientSecret: 'app-secret', redirectUris: [REDIRECT] } },
      allowedOrigins: [ORIGIN],
      fetch: fetchUpstream as unknown as typeof fetch,
      log: (line) => log.push(line),
      bodyTimeoutMs: 300,
    });
    close = started.close;
    const url = started.url.replace(/token$/, 'revoke');
    const post = (body: unknown, origin: string | null = ORIGIN, type = 'application/json') =>
      fetch(url, { method: 'POST', headers: { 'content-type': type, ...(origin ? { origin } : {}) }, body: JSON.stringify(body) });
    return { post, fetchUpstream, log, url };
  }

  it('revokes at the platform with the app’s credentials (RFC 7009), and answers 200 for its empty confirmation', async () => {
    const { post, fetchUpstream, log } = await revoking(() => Promise.resolve(new Response(null, { status: 200 })));
    const response = await post({ platform: 'ebay', token: 'old-rt' });
    expect([response.status, await response.json(), response.headers.get('access-control-allow-origin')]).toEqual([200, {}, ORIGIN]);
    const [url, init] = fetchUpstream.mock.calls[0]!;
    expect(url).toBe(REVOKE_URL);
    expect(new Headers(init.headers).get('authorization')).toBe(`Basic ${btoa('app-id:app-secret')}`);
    expect(Object.fromEntries(init.body as URLSearchParams)).toEqual({ token: 'old-rt', token_type_hint: 'refresh_token' });
    expect(log).toEqual(['broker: ebay revoke -> upstream 200']);
  });

  it('passes a platform’s 503 through, so the extension tries again', async () => {
    const { post } = await revoking(() => Promise.resolve(Response.json({ error: 'temporarily_unavailable' }, { status: 503 })));
    const response = await post({ platform: 'ebay', token: 'old-rt' });
    expect([response.status, await response.json()]).toEqual([503, { error: 'temporarily_unavailable' }]);
  });

  it('answers unsupported_token_type for a platform without a revocation endpoint, without calling it', async () => {
    const { post, fetchUpstream } = await revoking(() => Promise.resolve(new Response(null)), null);
    const response = await post({ platform: 'ebay', token: 'old-rt' });
    expect([response.status, await response.json()]).toEqual([400, { error: 'unsupported_token_type' }]);
    expect(fetchUpstream).not.toHaveBeenCalled();
  });

  it.each<[string, unknown, string | null, string, number]>([
    ['a request without an Origin', { platform: 'ebay', token: 'stolen' }, null, 'application/json', 403],
    ['another site’s page', { platform: 'ebay', token: 'stolen' }, 'https://evil.example', 'application/json', 403],
    ['a content type that is not exactly JSON', { platform: 'ebay', token: 'old-rt' }, ORIGIN, 'application/jsonxyz', 400],
    ['a missing token', { platform: 'ebay' }, ORIGIN, 'application/json', 400],
    ['an unknown platform', { platform: 'myspace', token: 'old-rt' }, ORIGIN, 'application/json', 400],
  ])('refuses %s without calling the platform', async (_, body, origin, type, status) => {
    const { post, fetchUpstream } = await revoking(() => Promise.resolve(new Response(null)));
    expect((await post(body, origin, type)).status).toBe(status);
    expect(fetchUpstream).not.toHaveBeenCalled();
  });

  it('closes a request whose body does not arrive within its deadline', async () => {
    const { url, fetchUpstream, log } = await revoking(() => Promise.resolve(new Response(null)));
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((done) => socket.once('connect', () => done()));
    socket.write(`POST /revoke HTTP/1.1\r\nhost: ${hostname}\r\norigin: ${ORIGIN}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"platform":`);
    await new Promise<void>((done) => socket.once('close', () => done()));
    expect(fetchUpstream).not.toHaveBeenCalled();
    expect(log).toContain('broker: ? refused: request body too slow');
  });
});
