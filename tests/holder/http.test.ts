import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations';
import { createAccess } from '../../server/grants/access';
import { createPlatformRefresh } from '../../server/grants/platform';
import { createHolderServer } from '../../server/http/server';
import { issueKey } from '../../server/keys';
import { createSealer } from '../../server/sealing';
import { startTokenEndpoint } from './fixtures/token-endpoint';

const sealer = createSealer(randomBytes(32).toString('base64'));
let db: Database;
let server: Server;
let base: string;
let endpoint: Awaited<ReturnType<typeof startTokenEndpoint>>;
const keys = { member: '', server: '' };
const logged: string[] = [];

beforeAll(async () => {
  db = await openDatabase({ dataDir: 'memory://' });
  await migrate(db);
  endpoint = await startTokenEndpoint({ delayMs: 20 });
  keys.member = (await issueKey(db, 'member', 'Anna Becker')).key;
  keys.server = (await issueKey(db, 'server', 'ERP')).key;
  await db.query(`INSERT INTO platforms (id, definition) VALUES ('custom-shop', $1)`, [
    {
      id: 'custom-shop',
      name: 'Local shop',
      kind: 'oauth',
      oauth: { endpoints: { authorization: 'http://127.0.0.1/authorize', token: endpoint.url }, scopes: [], exchanges: ['secret'] },
      grantRule: { kind: 'sliding', lifetime: { days: 90 } },
      ruleSource: 'test',
      createdAt: 0,
    },
  ]);
  await db.query(
    `INSERT INTO grants (id, platform_id, label, account, client, client_secret_sealed, refresh_token_sealed, access_expires_at, needs_reconsent, consented_by)
     VALUES ('shop', 'custom-shop', 'Shop Berlin', 'verkauf@beispiel.de', '{"clientId":"app","exchange":"secret"}', $1, $2, $3, false,
       (SELECT id FROM members WHERE name = 'Anna Becker'))`,
    [sealer.seal('app-secret'), sealer.seal('rt-0'), new Date(Date.now() - 1000)],
  );
  await db.query(`INSERT INTO grants (id, platform_id, label, client) VALUES ('waiting', 'custom-shop', 'Neu', '{"clientId":"app","exchange":"secret"}')`);
  const access = createAccess({ db, sealer, now: Date.now, refresh: createPlatformRefresh({ fetch, allowLoopbackHttp: true }) });
  server = createHolderServer({ db, access }, { log: (line) => logged.push(line) });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
  await endpoint.close();
  await db.close();
});

const call = async (path: string, { key, method = 'GET', body, type = 'application/json' }: { key?: string; method?: string; body?: string; type?: string } = {}) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': type } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

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
  });

  it('lists the team’s grants with who consented, and never a token', async () => {
    const { status, body } = await call('/v1/grants', { key: keys.member });
    expect(status).toBe(200);
    expect(body.grants).toEqual([
      expect.objectContaining({ id: 'waiting', needsReconsent: true, consentedBy: null }),
      expect.objectContaining({ id: 'shop', label: 'Shop Berlin', account: 'verkauf@beispiel.de', consentedBy: 'Anna Becker', needsReconsent: false }),
    ]);
    expect(JSON.stringify(body)).not.toMatch(/rt-|at-|sealed|app-secret|v1\./);
    expect(await call('/v1/grants/shop', { key: keys.member })).toMatchObject({ status: 200, body: { id: 'shop' } });
  });

  it('hands the business software a fresh access token, refreshing at the platform with the app’s secret once', async () => {
    const first = await call('/v1/grants/shop/access-token', { key: keys.server });
    expect(first).toMatchObject({ status: 200, body: { access_token: 'at-1', token_type: 'Bearer' } });
    expect(Date.parse(String(first.body.expires_at))).toBeGreaterThan(Date.now() + 3_000_000);
    // RFC 6749, section 2.3.1: id and secret are form-encoded before Basic (so '-' travels as %2D).
    expect(endpoint.authorizations()).toEqual([`Basic ${Buffer.from('app:app%2Dsecret').toString('base64')}`]);
    expect(await call('/v1/grants/shop/access-token', { key: keys.server })).toMatchObject({ status: 200, body: { access_token: 'at-1' } });
    expect(endpoint.refreshes()).toBe(1);
  });

  it.each<[string, { path: string; key: 'member' | 'server'; method?: string }, number, string]>([
    ['a colleague asking for an access token', { path: '/v1/grants/shop/access-token', key: 'member' }, 401, 'unauthorized'],
    ['an unknown grant', { path: '/v1/grants/nothing/access-token', key: 'server' }, 404, 'grant-not-found'],
    ['a grant that waits for its sign-in', { path: '/v1/grants/waiting/access-token', key: 'server' }, 409, 'sign-in-needed'],
    ['an id with characters no id has', { path: '/v1/grants/a%20b/access-token', key: 'server' }, 404, 'not-found'],
    ['an id longer than any id', { path: `/v1/grants/${'x'.repeat(101)}`, key: 'member' }, 404, 'not-found'],
    ['a method the route does not take', { path: '/v1/grants/shop/access-token', key: 'server', method: 'DELETE' }, 405, 'method-not-allowed'],
  ])('answers %s with a clear status, and changes nothing', async (_, request, status, error) => {
    const before = await db.query('SELECT id, refresh_token_sealed, access_token_sealed FROM grants ORDER BY id');
    expect(await call(request.path, { key: keys[request.key], ...(request.method ? { method: request.method } : {}) })).toEqual({ status, body: { error } });
    expect(await db.query('SELECT id, refresh_token_sealed, access_token_sealed FROM grants ORDER BY id')).toEqual(before);
  });

  it('logs a failure by name only, never a token', async () => {
    await db.query(`UPDATE grants SET access_expires_at = $1, refresh_token_sealed = $2 WHERE id = 'shop'`, [new Date(0), sealer.seal('rt-stale-secret')]);
    expect(await call('/v1/grants/shop/access-token', { key: keys.server })).toEqual({ status: 500, body: { error: 'unexpected' } });
    expect(logged.join('\n')).not.toContain('rt-stale-secret');
    expect(logged.at(-1)).toMatch(/^Token Watch holder: GET \/v1\/grants\/shop\/access-token failed \(\w+\)$/);
  });
});

describe('keys', () => {
  it('are stored as hashes only, and a name is required', async () => {
    const issued = await issueKey(db, 'member', '  Bernd Kaiser ');
    expect(issued).toMatchObject({ kind: 'member', name: 'Bernd Kaiser', key: expect.stringMatching(/^twm_[\w-]{43}$/) });
    const rows = await db.query<{ key_hash: string }>('SELECT key_hash FROM members WHERE id = $1', [issued.id]);
    expect(rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(issued.key);
    await expect(issueKey(db, 'member', '   ')).rejects.toThrow('Give a name of 1 to 200 characters');
  });
});
