import { randomBytes } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { ACCESS_MEMORY_MS } from '../../server/grants/access';
import { addPlatform, setApp } from '../../server/grants/apps';
import { REVOCATION_ATTEMPTS } from '../../server/grants/revocation';
import { createHolder } from '../../server/holder';
import { issueKey, KEY_MEMORY_MS, listKeys, revokeKey } from '../../server/keys';
import { createSealer } from '../../server/sealing';
import { serve, startOffice, stop } from './fixtures/office';
import type { startTokenEndpoint } from './fixtures/token-endpoint';

const sealer = createSealer(randomBytes(32).toString('base64'));
const DAY = 86_400_000;
let db: Database;
let server: Server;
let hook: Server;
let holder: ReturnType<typeof createHolder>;
let base: string;
let endpoint: Awaited<ReturnType<typeof startTokenEndpoint>>;
const keys = { member: '', colleague: '', server: '' };
const logged: string[] = [];
const webhook: { event: string; grant: { id: string } }[] = [];
/** The holder's clock: real time plus what a test moves it on by. */
let offset = 0;
const now = () => Date.now() + offset;

const VERIFIER = 'v'.repeat(43);
const REDIRECT = 'https://nbcciljdmbmgpmklgkcafonbdgigmaoj.chromiumapp.org/';
let codes = 0;
/** A code the platform will take once, as the colleague's browser would bring it back. */
function authorization() {
  codes += 1;
  endpoint.issueCode(`code-${codes}`, VERIFIER);
  return { code: `code-${codes}`, codeVerifier: VERIFIER, redirectUri: REDIRECT };
}

beforeAll(async () => {
  const office = await startOffice(sealer);
  ({ db, endpoint } = office);
  Object.assign(keys, { member: office.keys.anna, colleague: office.keys.bernd, server: office.keys.erp });
  await setApp(db, sealer, { platformId: 'datev', clientId: 'datev-app', clientSecret: 'datev-secret' });
  // The team's webhook: a chat or ticket system, here one that writes down what it was told.
  hook = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      webhook.push(JSON.parse(body) as (typeof webhook)[number]);
      response.writeHead(204).end();
    });
  });
  const hookBase = await serve(hook);
  holder = createHolder({
    db,
    sealer,
    fetch: (input, init) => fetch(input, init),
    now,
    webhookUrl: `${hookBase}/webhook`,
    allowLoopbackHttp: true,
    log: (line) => logged.push(line),
  });
  server = holder.server;
  base = await serve(server);
});
afterAll(async () => {
  await stop(server);
  await stop(hook);
  await endpoint.close();
  await db.close();
});
beforeEach(() => {
  offset = 0;
});

const call = async (path: string, { key, method = 'GET', body, type = 'application/json' }: { key?: string; method?: string; body?: unknown; type?: string } = {}) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': type } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

/** Everything the holder stores, to show that a refused request changed nothing. */
const snapshot = async () => ({
  grants: await db.query('SELECT * FROM grants ORDER BY id'),
  events: await db.query('SELECT grant_id, type FROM grant_events ORDER BY id'),
  revocations: await db.query('SELECT * FROM revocations ORDER BY id'),
});

async function signIn(label = 'Shop Berlin', key = keys.member) {
  const answer = await call('/v1/grants', { key, method: 'POST', body: { platformId: 'custom-shop', label, authorization: authorization() } });
  expect(answer.status).toBe(201);
  return answer.body as { id: string } & Record<string, unknown>;
}

describe('the holder’s HTTP API', () => {
  it('answers its health check without a key', async () => {
    expect(await call('/v1/health')).toEqual({ status: 200, body: { ok: true } });
  });

  it.each<[string, string | undefined]>([
    ['no key', undefined],
    ['an unknown key', 'twm_not-a-key'],
    ['a key of the wrong form', 'Basic abc'],
    ['the business software’s key on a colleague’s route', 'server'],
  ])('refuses %s with 401 and no detail', async (_, key) => {
    const sent = key === 'server' ? keys.server : key;
    expect(await call('/v1/grants', { key: sent })).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(await call('/v1/grants', { key: sent, method: 'POST', body: { platformId: 'custom-shop' } })).toEqual({ status: 401, body: { error: 'unauthorized' } });
  });

  it.each<[string, string]>([
    ['GET', '/v1/me'],
    ['GET', '/v1/apps'],
    ['GET', '/v1/grants'],
    ['POST', '/v1/grants'],
    ['GET', '/v1/grants/shop'],
    ['POST', '/v1/grants/shop/sign-in'],
    ['POST', '/v1/grants/shop/check'],
    ['DELETE', '/v1/grants/shop'],
    ['GET', '/v1/grants/shop/access-token'],
  ])('answers %s %s without a valid key with 401 and nothing more, changing nothing', async (method, path) => {
    const before = await snapshot();
    for (const key of [undefined, 'twm_wrong', 'tws_wrong', `twm_${'x'.repeat(200)}`]) {
      expect(await call(path, { ...(key ? { key } : {}), method, ...(method === 'POST' ? { body: {} } : {}) })).toEqual({ status: 401, body: { error: 'unauthorized' } });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('tells a colleague who the key belongs to', async () => {
    expect(await call('/v1/me', { key: keys.colleague })).toEqual({ status: 200, body: { name: 'Bernd Kaiser' } });
  });

  it('answers an extension’s origin with CORS headers, and a web page with none', async () => {
    const preflight = (origin: string) =>
      fetch(`${base}/v1/grants`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });
    const extension = await preflight('chrome-extension://nbcciljdmbmgpmklgkcafonbdgigmaoj');
    expect(extension.status).toBe(204);
    expect(extension.headers.get('access-control-allow-origin')).toBe('chrome-extension://nbcciljdmbmgpmklgkcafonbdgigmaoj');
    expect(extension.headers.get('access-control-allow-headers')).toContain('authorization');
    const page = await preflight('https://evil.example');
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('tells a colleague’s extension which apps it can sign in with, never a secret', async () => {
    const { status, body } = await call('/v1/apps', { key: keys.member });
    expect(status).toBe(200);
    expect(body.apps).toEqual([
      expect.objectContaining({ platformId: 'custom-shop', clientId: 'app', platform: expect.objectContaining({ name: 'Local shop' }) }),
      { platformId: 'datev', clientId: 'datev-app' },
    ]);
    expect(JSON.stringify(body)).not.toMatch(/app-secret|datev-secret/);
  });

  it('redeems a colleague’s code with the app’s secret, keeps the tokens sealed, and answers with metadata only', async () => {
    const exchanges = endpoint.exchanges();
    const grant = await signIn();
    expect(endpoint.exchanges()).toBe(exchanges + 1);
    expect(endpoint.authorizations().at(-1)).toBe(`Basic ${Buffer.from('app:app%2Dsecret').toString('base64')}`);
    expect(grant).toMatchObject({ platformId: 'custom-shop', label: 'Shop Berlin', consentedBy: 'Anna Becker', needsReconsent: false, scopes: ['orders'], grantExpirySource: 'documented' });
    // The catalogue's rule for this platform: 90 days, sliding, from the consent.
    expect(Date.parse(String(grant.grantExpiresAt)) - Date.parse(String(grant.consentedAt))).toBe(90 * DAY);
    expect(JSON.stringify(grant)).not.toMatch(/rt-|at-code|app-secret|v1\./);
    const [row] = await db.query<{ refresh_token_sealed: string; access_token_sealed: string }>('SELECT * FROM grants WHERE id = $1', [grant.id]);
    expect(sealer.open(row!.refresh_token_sealed)).toBe(endpoint.currentRefreshToken());
    expect(JSON.stringify(row)).not.toMatch(/rt-code|at-code/);
    // A colleague sees the same grant, with who signed in.
    const { body } = await call('/v1/grants', { key: keys.colleague });
    expect(body.grants).toContainEqual(expect.objectContaining({ id: grant.id, consentedBy: 'Anna Becker' }));
  });

  it.each<[string, unknown, number, Record<string, unknown>]>([
    ['no fields at all', {}, 400, { error: 'invalid-input', field: 'platformId' }],
    ['a platform id of the wrong form', { platformId: '../etc', label: 'x', authorization: {} }, 400, { error: 'invalid-input', field: 'platformId' }],
    ['an empty label', { platformId: 'custom-shop', label: '  ', authorization: {} }, 400, { error: 'invalid-input', field: 'label' }],
    ['a label of 301 characters', { platformId: 'custom-shop', label: 'x'.repeat(301), authorization: {} }, 400, { error: 'invalid-input', field: 'label' }],
    ['no code', { platformId: 'custom-shop', label: 'x', authorization: { codeVerifier: VERIFIER, redirectUri: REDIRECT } }, 400, { error: 'invalid-input', field: 'code' }],
    ['a code verifier too short for PKCE', { platformId: 'custom-shop', label: 'x', authorization: { code: 'c', codeVerifier: 'short', redirectUri: REDIRECT } }, 400, { error: 'invalid-input', field: 'codeVerifier' }],
    ['a redirect that is not HTTPS', { platformId: 'custom-shop', label: 'x', authorization: { code: 'c', codeVerifier: VERIFIER, redirectUri: 'http://evil.example/' } }, 400, { error: 'invalid-input', field: 'redirectUri' }],
    ['a number for a code', { platformId: 'custom-shop', label: 'x', authorization: { code: 5, codeVerifier: VERIFIER, redirectUri: REDIRECT } }, 400, { error: 'invalid-input', field: 'code' }],
    ['a platform the holder does not know', { platformId: 'nowhere', label: 'x', authorization: { code: 'c', codeVerifier: VERIFIER, redirectUri: REDIRECT } }, 404, { error: 'platform-not-found' }],
    ['a catalogue platform without the company’s app', { platformId: 'ebay', label: 'x', authorization: { code: 'c', codeVerifier: VERIFIER, redirectUri: REDIRECT } }, 409, { error: 'app-missing' }],
    ['a code the platform does not take', { platformId: 'custom-shop', label: 'x', authorization: { code: 'never-issued', codeVerifier: VERIFIER, redirectUri: REDIRECT } }, 400, { error: 'grant-rejected' }],
    ['an array instead of an object', [1, 2], 400, { error: 'invalid-input', field: 'platformId' }],
    [
      'DATEV without the API the grant is for',
      { platformId: 'datev', label: 'Mandant', endpointValues: { consultant: '12345', client: '10001' }, authorization: { code: 'c', codeVerifier: VERIFIER, redirectUri: REDIRECT } },
      400,
      { error: 'invalid-input', field: 'client.scopes' },
    ],
    [
      'DATEV without its consultant number',
      { platformId: 'datev', label: 'Mandant', scopes: ['accounting:documents'], endpointValues: { client: '10001' }, authorization: { code: 'c', codeVerifier: VERIFIER, redirectUri: REDIRECT } },
      400,
      { error: 'invalid-input', field: 'client.endpointValues.consultant' },
    ],
    ['a scope with a space in it', { platformId: 'datev', label: 'x', scopes: ['a b'], authorization: { code: 'c', codeVerifier: VERIFIER, redirectUri: REDIRECT } }, 400, { error: 'invalid-input', field: 'scopes' }],
  ])('refuses a sign-in with %s, storing nothing', async (_, body, status, error) => {
    const before = await snapshot();
    expect(await call('/v1/grants', { key: keys.member, method: 'POST', body })).toEqual({ status, body: error });
    expect(await snapshot()).toEqual(before);
  });

  it.each<[string, { body: string; type?: string }, number, string]>([
    ['text that is not JSON', { body: '{"platformId":' }, 400, 'invalid-json'],
    ['a body that is not JSON by its type', { body: '{}', type: 'text/plain' }, 415, 'unsupported-media-type'],
    ['a form instead of JSON', { body: 'platformId=x', type: 'application/x-www-form-urlencoded' }, 415, 'unsupported-media-type'],
    ['a body of 17 KB', { body: JSON.stringify({ platformId: 'custom-shop', label: 'x'.repeat(17_000) }) }, 413, 'body-too-large'],
  ])('refuses %s with a clear status, storing nothing', async (_, request, status, error) => {
    const before = await snapshot();
    expect(await call('/v1/grants', { key: keys.member, method: 'POST', ...request })).toEqual({ status, body: { error } });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a body sent in chunks past its limit, without a content-length', async () => {
    const before = await snapshot();
    const status = await new Promise<number>((resolve, reject) => {
      const sending = httpRequest(`${base}/v1/grants`, { method: 'POST', headers: { authorization: `Bearer ${keys.member}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      sending.on('error', reject);
      for (let part = 0; part < 20; part += 1) sending.write('x'.repeat(1_024));
      sending.end();
    });
    expect(status).toBe(413);
    expect(await snapshot()).toEqual(before);
  });

  it('signs in again on the same grant: the new tokens replace the old, and the old refresh token is revoked', async () => {
    const grant = await signIn('Shop Hamburg');
    const [{ refresh_token_sealed: old } = { refresh_token_sealed: '' }] = await db.query<{ refresh_token_sealed: string }>('SELECT refresh_token_sealed FROM grants WHERE id = $1', [grant.id]);
    const again = await call(`/v1/grants/${grant.id}/sign-in`, { key: keys.colleague, method: 'POST', body: { authorization: authorization() } });
    expect(again).toMatchObject({ status: 200, body: { id: grant.id, consentedBy: 'Bernd Kaiser', needsReconsent: false } });
    expect(endpoint.revoked()).toContain(sealer.open(old));
    const events = await db.query<{ type: string; actor: string }>('SELECT type, actor FROM grant_events WHERE grant_id = $1 ORDER BY id', [grant.id]);
    expect(events).toEqual([
      { type: 'consented', actor: 'Anna Becker' },
      { type: 'consented', actor: 'Bernd Kaiser' },
      { type: 'revoked', actor: 'holder' },
    ]);
  });

  it('names whose data a grant is for on its account line, as the extension does (DATEV’s client), and keeps it at the next sign-in', async () => {
    // A platform whose scope names the client the grant is for, as DATEV's datev:iam:client:… does.
    await addPlatform(db, {
      id: 'custom-office',
      name: 'Local office platform',
      kind: 'oauth',
      oauth: {
        endpoints: { authorization: 'http://127.0.0.1/authorize', token: endpoint.url, revocation: endpoint.revocationUrl },
        scopes: ['orders', 'office:client:{client}'],
        fields: [{ name: 'client', pattern: '^[0-9]{1,5}$' }],
        accountScope: 'office:client:',
        exchanges: ['secret'],
      },
      grantRule: { kind: 'fixed', lifetime: { days: 730 } },
      ruleSource: 'test',
      createdAt: 0,
    });
    await setApp(db, sealer, { platformId: 'custom-office', clientId: 'app', clientSecret: 'app-secret' });
    // The platform names the user in its callback at the first sign-in, and none at the second.
    const created = await call('/v1/grants', {
      key: keys.member,
      method: 'POST',
      body: { platformId: 'custom-office', label: 'Mandant 10001', endpointValues: { client: '10001' }, authorization: { ...authorization(), account: 'a.becker' } },
    });
    expect(created).toMatchObject({ status: 201, body: { account: '10001 · a.becker', scopes: ['orders', 'office:client:10001'] } });
    const again = await call(`/v1/grants/${String(created.body.id)}/sign-in`, { key: keys.colleague, method: 'POST', body: { authorization: authorization() } });
    expect(again).toMatchObject({ status: 200, body: { account: '10001 · a.becker' } });
    const third = await call(`/v1/grants/${String(created.body.id)}/sign-in`, { key: keys.colleague, method: 'POST', body: { authorization: { ...authorization(), account: 'b.kaiser' } } });
    expect(third).toMatchObject({ status: 200, body: { account: '10001 · b.kaiser' } });
  });

  it('hands the business software a fresh access token, refreshing at the platform once', async () => {
    const grant = await signIn('Shop Köln');
    await db.query('UPDATE grants SET access_expires_at = $2 WHERE id = $1', [grant.id, new Date(Date.now() - 1000)]);
    const refreshes = endpoint.refreshes();
    const first = await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server });
    expect(first).toMatchObject({ status: 200, body: { access_token: expect.stringMatching(/^at-\d+$/), token_type: 'Bearer' } });
    expect(Date.parse(String(first.body.expires_at))).toBeGreaterThan(Date.now() + 3_000_000);
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).toEqual(first);
    expect(endpoint.refreshes()).toBe(refreshes + 1);
  });

  it('hands out the token it remembers for a few seconds, then reads the grant again', async () => {
    const grant = await signIn('Shop Bremen');
    const first = await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server });
    await db.query('UPDATE grants SET access_expires_at = $2 WHERE id = $1', [grant.id, new Date(Date.now() - 1000)]);
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).toEqual(first);
    offset = ACCESS_MEMORY_MS;
    const refreshes = endpoint.refreshes();
    expect((await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).body.access_token).not.toBe(first.body.access_token);
    expect(endpoint.refreshes()).toBe(refreshes + 1);
  });

  it('hands out no token of a grant it removed, not even one it remembers', async () => {
    const grant = await signIn('Shop Rostock');
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).toMatchObject({ status: 200 });
    await call(`/v1/grants/${grant.id}`, { key: keys.member, method: 'DELETE' });
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).toEqual({ status: 404, body: { error: 'grant-not-found' } });
  });

  it('checks a grant now, records invalid_grant as “sign in again” for everyone, and tells the webhook both ways', async () => {
    const grant = await signIn('Shop München');
    expect(await call(`/v1/grants/${grant.id}/check`, { key: keys.member, method: 'POST' })).toMatchObject({ status: 200, body: { result: 'refreshed', grant: { id: grant.id } } });
    // Pressed again within the minute: the platform is not asked again.
    const refreshes = endpoint.refreshes();
    expect(await call(`/v1/grants/${grant.id}/check`, { key: keys.colleague, method: 'POST' })).toMatchObject({ status: 200, body: { result: 'current' } });
    expect(endpoint.refreshes()).toBe(refreshes);
    endpoint.forgetGrants();
    offset = 61_000;
    expect(await call(`/v1/grants/${grant.id}/check`, { key: keys.member, method: 'POST' })).toMatchObject({ status: 200, body: { result: 'sign-in-needed', grant: { needsReconsent: true } } });
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).toEqual({ status: 409, body: { error: 'sign-in-needed' } });
    const { body } = await call('/v1/grants', { key: keys.colleague });
    expect(body.grants).toContainEqual(expect.objectContaining({ id: grant.id, needsReconsent: true }));
    await expect.poll(() => webhook.filter((entry) => entry.grant.id === grant.id).map((entry) => entry.event)).toEqual(['sign-in-needed']);
    await call(`/v1/grants/${grant.id}/sign-in`, { key: keys.colleague, method: 'POST', body: { authorization: authorization() } });
    await expect.poll(() => webhook.filter((entry) => entry.grant.id === grant.id).map((entry) => entry.event)).toEqual(['sign-in-needed', 'working-again']);
    expect(JSON.stringify(webhook)).not.toMatch(/rt-|at-/);
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).toMatchObject({ status: 200 });
  });

  it('does not ask a platform in its back-off again, and hands out an access token that still works meanwhile', async () => {
    const grant = await signIn('Shop Trier');
    const problem = { code: 'platform-unavailable', at: Date.now(), attempts: 1, retryAt: Date.now() + 600_000 };
    await db.query('UPDATE grants SET problem = $2, access_expires_at = $3 WHERE id = $1', [grant.id, problem, new Date(Date.now() + 30_000)]);
    const refreshes = endpoint.refreshes();
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).toMatchObject({ status: 200, body: { access_token: expect.stringMatching(/^at-code-/) } });
    await db.query('UPDATE grants SET access_expires_at = $2 WHERE id = $1', [grant.id, new Date(Date.now() - 1_000)]);
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).toEqual({ status: 503, body: { error: 'platform-unavailable' } });
    expect(endpoint.refreshes()).toBe(refreshes);
  });

  it('removes a grant the platform had refused already: nothing left to revoke', async () => {
    const grant = await signIn('Shop Ulm');
    await db.query('UPDATE grants SET refresh_token_sealed = NULL, needs_reconsent = true WHERE id = $1', [grant.id]);
    expect(await call(`/v1/grants/${grant.id}`, { key: keys.member, method: 'DELETE' })).toEqual({ status: 200, body: { removed: true, revocation: 'not-needed' } });
  });

  it('removes a grant: revoked at the platform, gone from the list, its history kept', async () => {
    const grant = await signIn('Shop Dresden');
    const token = endpoint.currentRefreshToken();
    expect(await call(`/v1/grants/${grant.id}`, { key: keys.member, method: 'DELETE' })).toEqual({ status: 200, body: { removed: true, revocation: 'done' } });
    expect(endpoint.revoked()).toContain(token);
    expect(await call(`/v1/grants/${grant.id}`, { key: keys.member })).toEqual({ status: 404, body: { error: 'grant-not-found' } });
    expect(await call(`/v1/grants/${grant.id}`, { key: keys.member, method: 'DELETE' })).toEqual({ status: 404, body: { error: 'grant-not-found' } });
    const events = await db.query<{ type: string }>('SELECT type FROM grant_events WHERE grant_id = $1 ORDER BY id', [grant.id]);
    expect(events.map((event) => event.type)).toEqual(['consented', 'removed', 'revoked']);
  });

  it('asks the platform again, later, when a revocation fails; and says so in the history when it never works', async () => {
    const grant = await signIn('Shop Leipzig');
    const token = endpoint.currentRefreshToken();
    endpoint.failNextRevocations(2);
    expect(await call(`/v1/grants/${grant.id}`, { key: keys.member, method: 'DELETE' })).toEqual({ status: 200, body: { removed: true, revocation: 'pending' } });
    expect(await holder.revocations.runDue()).toBe(0);
    offset = 61_000;
    await holder.revocations.runDue();
    expect(endpoint.revoked()).not.toContain(token);
    offset = 10 * 60_000;
    await holder.revocations.runDue();
    expect(endpoint.revoked()).toContain(token);

    const given = await signIn('Shop Erfurt');
    endpoint.failNextRevocations(100);
    await call(`/v1/grants/${given.id}`, { key: keys.member, method: 'DELETE' });
    for (let round = 0; round < REVOCATION_ATTEMPTS; round += 1) {
      offset += 7 * 3_600_000;
      await holder.revocations.runDue();
    }
    endpoint.failNextRevocations(0);
    const events = await db.query<{ type: string }>('SELECT type FROM grant_events WHERE grant_id = $1 ORDER BY id', [given.id]);
    expect(events.map((event) => event.type)).toEqual(['consented', 'removed', 'revocation-failed']);
    const [left] = await db.query<{ token_sealed: string | null }>('SELECT token_sealed FROM revocations WHERE grant_id = $1', [given.id]);
    expect(left!.token_sealed).toBeNull();
  });

  it('refreshes a sliding grant by itself before it lapses, and leaves a young one alone', async () => {
    const young = await signIn('Shop Bonn');
    const old = await signIn('Shop Essen');
    await db.query('UPDATE grants SET grant_expires_at = $2 WHERE id = $1', [old.id, new Date(Date.now() + 3 * DAY)]);
    const refreshes = endpoint.refreshes();
    await holder.upkeep.run();
    expect(endpoint.refreshes()).toBe(refreshes + 1);
    const { body } = await call(`/v1/grants/${old.id}`, { key: keys.member });
    expect(Date.parse(String(body.grantExpiresAt))).toBeGreaterThan(Date.now() + 89 * DAY);
    expect((await call(`/v1/grants/${young.id}`, { key: keys.member })).body.refreshedAt).toBeNull();
  });

  it.each<[string, { path: string; key: 'member' | 'server'; method?: string }, number, string]>([
    ['a colleague asking for an access token', { path: '/v1/grants/x/access-token', key: 'member' }, 401, 'unauthorized'],
    ['an unknown grant', { path: '/v1/grants/nothing/access-token', key: 'server' }, 404, 'grant-not-found'],
    ['a check of an unknown grant', { path: '/v1/grants/nothing/check', key: 'member', method: 'POST' }, 404, 'grant-not-found'],
    ['an id with characters no id has', { path: '/v1/grants/a%20b/access-token', key: 'server' }, 404, 'not-found'],
    ['an id longer than any id', { path: `/v1/grants/${'x'.repeat(101)}`, key: 'member' }, 404, 'not-found'],
    ['a method the route does not take', { path: '/v1/grants/x/access-token', key: 'server', method: 'DELETE' }, 405, 'method-not-allowed'],
    ['the business software removing a grant', { path: '/v1/grants/x', key: 'server', method: 'DELETE' }, 401, 'unauthorized'],
  ])('answers %s with a clear status, and changes nothing', async (_, request, status, error) => {
    const before = await snapshot();
    expect(await call(request.path, { key: keys[request.key], ...(request.method ? { method: request.method } : {}) })).toEqual({ status, body: { error } });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses a new sign-in on a grant that does not exist, storing nothing', async () => {
    const before = await snapshot();
    expect(await call('/v1/grants/nothing/sign-in', { key: keys.member, method: 'POST', body: { authorization: authorization() } })).toEqual({ status: 404, body: { error: 'grant-not-found' } });
    expect(await snapshot()).toEqual(before);
  });

  it('logs a failure by name only, never a token', async () => {
    const grant = await signIn('Shop Kiel');
    const foreign = createSealer(randomBytes(32).toString('base64')).seal('rt-stale-secret');
    await db.query('UPDATE grants SET access_expires_at = $2, refresh_token_sealed = $3 WHERE id = $1', [grant.id, new Date(0), foreign]);
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: keys.server })).toEqual({ status: 500, body: { error: 'unexpected' } });
    expect(logged.join('\n')).not.toContain('rt-stale-secret');
    expect(logged.at(-1)).toMatch(/^Token Watch holder: GET \/v1\/grants\/[\w-]+\/access-token failed \(\w+\)$/);
  });
});

describe('keys', () => {
  it('can be withdrawn at once, and are listed without the key itself', async () => {
    const issued = await issueKey(db, 'member', 'Dora Leaving');
    expect(await call('/v1/me', { key: issued.key })).toMatchObject({ status: 200 });
    expect(await listKeys(db)).toContainEqual(expect.objectContaining({ id: issued.id, kind: 'member', name: 'Dora Leaving', revoked_at: null }));
    expect(JSON.stringify(await listKeys(db))).not.toContain(issued.key);
    expect(await revokeKey(db, issued.id)).toBe(true);
    // A holder process trusts a key it found valid for a few seconds (KEY_MEMORY_MS), then asks again.
    offset = KEY_MEMORY_MS + 1;
    expect(await call('/v1/me', { key: issued.key })).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(await revokeKey(db, issued.id)).toBe(false);
  });

  it('are stored as hashes only, and a name is required', async () => {
    const issued = await issueKey(db, 'member', '  Clara Vogt ');
    expect(issued).toMatchObject({ kind: 'member', name: 'Clara Vogt', key: expect.stringMatching(/^twm_[\w-]{43}$/) });
    const rows = await db.query<{ key_hash: string }>('SELECT key_hash FROM members WHERE id = $1', [issued.id]);
    expect(rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(issued.key);
    await expect(issueKey(db, 'member', '   ')).rejects.toThrow('Give a name of 1 to 200 characters');
  });

  it('stop working within a few seconds of their revocation', async () => {
    const issued = await issueKey(db, 'server', 'Old ERP');
    const grant = await signIn('Shop Mainz');
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: issued.key })).toMatchObject({ status: 200 });
    await db.query('UPDATE server_keys SET revoked_at = now() WHERE id = $1', [issued.id]);
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: issued.key })).toMatchObject({ status: 200 });
    offset = KEY_MEMORY_MS;
    expect(await call(`/v1/grants/${grant.id}/access-token`, { key: issued.key })).toEqual({ status: 401, body: { error: 'unauthorized' } });
  });
});
