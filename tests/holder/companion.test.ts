/**
 * The extension's companion code (utils/consent/holder.ts) against a real holder on 127.0.0.1:
 * two colleagues' extensions (two databases, two member keys), one platform, the business software.
 * The browser's sign-in window is the only stand-in; the end-to-end test runs it in Chromium.
 */
import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { createHolder } from '../../server/holder';
import { issueKey } from '../../server/keys';
import { createSealer } from '../../server/sealing';
import { createHolderCompanion, HolderError } from '../../utils/consent/holder';
import { InvalidInputError } from '../../utils/errors';
import { lazyRepository, lazyVault, openTokenWatchDb } from '../../utils/storage/db';
import { memorySession } from '../unit/fixtures';
import { serve, startOffice, stop } from './fixtures/office';
import type { startTokenEndpoint } from './fixtures/token-endpoint';

const sealer = createSealer(randomBytes(32).toString('base64'));
let db: Database;
let server: Server;
let holder: ReturnType<typeof createHolder>;
let base: string;
let endpoint: Awaited<ReturnType<typeof startTokenEndpoint>>;
let keys = { anna: '', bernd: '', erp: '' };
let codes = 0;

/** One colleague's extension: its own database, and a sign-in window that comes back with a fresh code. */
function extension(name: string) {
  const repository = lazyRepository((onClose) => openTokenWatchDb(`profile-${name}`, { onClose }));
  const windows: string[] = [];
  const companion = createHolderCompanion({
    repository,
    vault: lazyVault(repository, memorySession()),
    oauth: {
      authorize: async (request) => {
        windows.push(request.client.clientId);
        codes += 1;
        const verifier = randomBytes(32).toString('base64url');
        endpoint.issueCode(`code-${codes}`, verifier);
        return { code: `code-${codes}`, codeVerifier: verifier, redirectUri: 'https://nbcciljdmbmgpmklgkcafonbdgigmaoj.chromiumapp.org/' };
      },
    },
    fetch: (input, init) => fetch(input, init),
    now: Date.now,
    changed: async () => undefined,
    options: { allowLoopbackHttp: true },
  });
  return { companion, repository, windows };
}

/** Every value a profile's database holds, as text, to search for tokens. */
async function dump(name: string): Promise<string> {
  const opened = await openTokenWatchDb(`profile-${name}`);
  const parts: unknown[] = [];
  for (const store of opened.objectStoreNames) parts.push(await opened.getAll(store), await opened.getAllKeys(store));
  opened.close();
  return JSON.stringify(parts, (_key, value: unknown) => (value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? Buffer.from(value as ArrayBuffer).toString('latin1') : value));
}

const accessToken = async (grantId: string) => {
  const response = await fetch(`${base}/v1/grants/${grantId}/access-token`, { headers: { authorization: `Bearer ${keys.erp}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  ({ db, endpoint, keys } = await startOffice(sealer, { clientId: 'shop-app', delayMs: 10 }));
  holder = createHolder({ db, sealer, fetch: (input, init) => fetch(input, init), allowLoopbackHttp: true, log: () => undefined });
  server = holder.server;
  base = await serve(server);
});
afterAll(async () => {
  await stop(server);
  await endpoint.close();
  await db.close();
});

describe('the extension as the holder’s companion', () => {
  const anna = extension('anna');
  const bernd = extension('bernd');

  it('refuses a wrong key or address before storing anything', async () => {
    await expect(anna.companion.connect({ url: base, memberKey: `twm_${'x'.repeat(43)}` })).rejects.toEqual(new HolderError('holder-key-refused'));
    await expect(anna.companion.connect({ url: 'http://example.com', memberKey: keys.anna })).rejects.toEqual(new InvalidInputError('holderUrl'));
    await expect(anna.companion.connect({ url: base, memberKey: 'password' })).rejects.toEqual(new InvalidInputError('memberKey'));
    await expect(anna.companion.connect({ url: 'http://127.0.0.1:9', memberKey: keys.anna })).rejects.toEqual(new HolderError('holder-unreachable'));
    expect(await anna.companion.summary()).toBeNull();
  });

  it('signs in through the holder: one exchange at the platform, and no token in the extension', async () => {
    expect(await anna.companion.connect({ url: base, memberKey: keys.anna })).toMatchObject({ member: 'Anna Becker', platforms: [{ id: 'custom-shop', name: 'Local shop' }] });
    const exchanges = endpoint.exchanges();
    const connection = await anna.companion.signInNew({ platformId: 'custom-shop', label: 'Shop Berlin' });
    expect(endpoint.exchanges()).toBe(exchanges + 1);
    expect(anna.windows).toEqual(['shop-app']);
    expect(connection).toMatchObject({ label: 'Shop Berlin', platformId: 'custom-shop', needsReconsent: false, hasRefreshToken: true, held: { consentedBy: 'Anna Becker' } });
    expect(connection.client).toBeUndefined();
    const stored = await dump('anna');
    expect(stored).toContain('Shop Berlin');
    expect(stored).not.toMatch(/rt-code|at-code|rt-\d|at-\d|app-secret/);
    expect(stored).not.toContain(keys.anna);
    // The business software gets its token from the holder.
    expect(await accessToken(connection.held!.grantId)).toMatchObject({ status: 200, body: { access_token: expect.stringMatching(/^at-/) } });
  });

  it('shows a colleague the same grant, with who signed in', async () => {
    await bernd.companion.connect({ url: base, memberKey: keys.bernd });
    const [grant] = await (await bernd.repository()).list();
    expect(grant).toMatchObject({ label: 'Shop Berlin', requestedBy: 'Anna Becker', held: { consentedBy: 'Anna Becker' } });
    expect(await (await bernd.repository()).platforms()).toEqual([expect.objectContaining({ id: 'custom-shop', name: 'Local shop' })]);
  });

  it('turns a grant the platform refused into “sign in again” for everyone, and back after a new sign-in', async () => {
    const [grant] = await (await anna.repository()).list();
    endpoint.forgetGrants();
    await db.query('UPDATE grants SET access_expires_at = $2 WHERE id = $1', [grant!.held!.grantId, new Date(0)]);
    // The holder still remembers the token it handed out a moment ago; the row has changed behind its back.
    holder.access.forget(grant!.held!.grantId);
    expect(await accessToken(grant!.held!.grantId)).toEqual({ status: 409, body: { error: 'sign-in-needed' } });
    for (const colleague of [anna, bernd]) {
      await colleague.companion.sync();
      expect(await (await colleague.repository()).get(grant!.id)).toMatchObject({ needsReconsent: true, hasRefreshToken: false });
    }
    await bernd.companion.signIn(grant!.id);
    await anna.companion.sync();
    expect(await (await anna.repository()).get(grant!.id)).toMatchObject({ needsReconsent: false, held: { consentedBy: 'Bernd Kaiser' } });
    expect(await accessToken(grant!.held!.grantId)).toMatchObject({ status: 200 });
  });

  it('checks a grant now through the holder', async () => {
    const [grant] = await (await anna.repository()).list();
    expect(await anna.companion.check(grant!.id)).toMatchObject({ status: 'refreshed', connection: { id: grant!.id } });
  });

  it('keeps the last known list when the holder does not answer, and says since when', async () => {
    const before = await (await anna.repository()).list();
    const repository = await anna.repository();
    const link = (await repository.holderLink())!;
    await repository.saveHolderLink({ ...link, url: 'http://127.0.0.1:9' });
    await expect(anna.companion.sync()).rejects.toEqual(new HolderError('holder-unreachable'));
    expect(await repository.list()).toEqual(before);
    const down = await anna.companion.summary();
    expect(down).toMatchObject({ problem: 'holder-unreachable', unreachableSince: expect.any(Number) });
    await expect(anna.companion.sync()).rejects.toThrow();
    expect((await anna.companion.summary())!.unreachableSince).toBe(down!.unreachableSince);
    await repository.saveHolderLink({ ...(await repository.holderLink())!, url: base });
    await anna.companion.sync();
    expect(await anna.companion.summary()).toMatchObject({ problem: null, unreachableSince: null });
  });

  it('leaves out a grant the holder sends in a broken form, and keeps the last good copy of it', async () => {
    const [grant] = await (await bernd.repository()).list();
    await db.query(`UPDATE grants SET label = '' WHERE id = $1`, [grant!.held!.grantId]);
    await bernd.companion.sync();
    expect(await (await bernd.repository()).get(grant!.id)).toMatchObject({ label: 'Shop Berlin' });
    await db.query(`UPDATE grants SET label = 'Shop Berlin' WHERE id = $1`, [grant!.held!.grantId]);
  });

  it('removes a grant at the holder, which revokes it; the colleague’s list loses it at the next sync', async () => {
    const [grant] = await (await anna.repository()).list();
    const token = endpoint.currentRefreshToken();
    expect(await anna.companion.remove(grant!.id)).toEqual({ revoked: true });
    expect(endpoint.revoked()).toContain(token);
    expect(await (await anna.repository()).list()).toEqual([]);
    await bernd.companion.sync();
    expect(await (await bernd.repository()).list()).toEqual([]);
  });

  it('forgets the holder on disconnect, here only', async () => {
    await bernd.companion.signInNew({ platformId: 'custom-shop', label: 'Shop Köln' });
    await bernd.companion.disconnect();
    expect(await bernd.companion.summary()).toBeNull();
    expect(await (await bernd.repository()).list()).toEqual([]);
    await anna.companion.sync();
    expect(await (await anna.repository()).list()).toEqual([expect.objectContaining({ label: 'Shop Köln' })]);
  });

  it('takes the holder from the enterprise policy as managed, applies an unchanged entry once, and lets go when it leaves the policy', async () => {
    const clara = extension('clara');
    const key = (await issueKey(db, 'member', 'Clara Vogt')).key;
    await clara.companion.applyPolicy({ url: base, memberKey: key });
    const first = await clara.companion.summary();
    expect(first).toMatchObject({ member: 'Clara Vogt', managed: true, managedEntry: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await clara.companion.applyPolicy({ url: base, memberKey: key });
    expect((await clara.companion.summary())!.syncedAt).toBe(first!.syncedAt);
    await expect(clara.companion.applyPolicy({ url: base, memberKey: 'not-a-key' })).rejects.toEqual(new InvalidInputError('memberKey'));
    expect(await clara.companion.summary()).toMatchObject({ member: 'Clara Vogt', managed: true });
    await clara.companion.applyPolicy(undefined);
    expect(await clara.companion.summary()).toMatchObject({ managed: false, managedEntry: null });
    expect(await dump('clara')).not.toContain(key);
  });
});
