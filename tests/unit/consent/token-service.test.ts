import { memorySession } from '../fixtures';
import { describe, expect, it, vi } from 'vitest';
import { newOAuthConnection } from '../../../utils/records/oauth-input';
import { lazyRepository } from '../../../utils/storage/db';
import type { OAuthClientApi, TokenResult } from '../../../utils/consent/oauth-client';
import { OAuthFailure } from '../../../utils/consent/oauth-errors';
import { createTokenService } from '../../../utils/consent/token-service';
import { createVault } from '../../../utils/storage/vault';
import type { OAuthClient } from '../../../utils/connection';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const tokens = (overrides: Partial<TokenResult> = {}): TokenResult => ({
  receivedAt: NOW,
  fields: { token_type: 'bearer', expires_in: 3600 },
  accessTokenExpiresIn: 3600,
  refreshToken: 'rt-1',
  account: 'anna@example.com',
  ...overrides,
});

async function setup(oauth: Partial<OAuthClientApi> = {}, seed: { platformId: string; client: OAuthClient } = { platformId: 'datev', client: { clientId: 'app', exchange: 'secret' } }) {
  const repository = lazyRepository();
  const vault = async () => createVault((await repository()).vaultStore, memorySession());
  const changed = vi.fn(async () => undefined);
  const clock = { now: NOW };
  const api = {
    authorizationServer: vi.fn(),
    consent: vi.fn(async () => tokens()),
    refresh: vi.fn(async () => tokens({ refreshToken: 'rt-2' })),
    revoke: vi.fn(async () => true),
    ...oauth,
  } as unknown as OAuthClientApi;
  const service = createTokenService({ repository, vault, oauth: api, now: () => clock.now, changed });
  const connection = newOAuthConnection(
    { platformId: seed.platformId, label: 'Mandant 1', account: '', client: seed.client },
    { id: 'c1', now: NOW, actor: 'Anna' },
  );
  const sealedSecret = await (await vault()).seal('client-secret');
  await (await repository()).save({ connection, event: { connectionId: 'c1', type: 'added', at: NOW, actor: 'Anna' }, secrets: { connectionId: 'c1', clientSecret: sealedSecret } });
  const refreshToken = async () => {
    const sealed = (await (await repository()).secrets('c1'))?.refreshToken;
    return sealed ? (await vault()).open(sealed) : undefined;
  };
  return { service, api, repository, refreshToken, changed, clock, stored: async () => (await repository()).get('c1') };
}

describe('consent', () => {
  it('stores the dates and the sealed refresh token, and keeps the client secret', async () => {
    const { service, api, refreshToken, stored, repository, changed } = await setup();
    await service.consent('c1', 'Anna');
    expect(vi.mocked(api.consent).mock.calls[0]![0]).toMatchObject({ clientSecret: 'client-secret', platformId: 'datev' });
    expect(await refreshToken()).toBe('rt-1');
    expect(await stored()).toMatchObject({ needsReconsent: false, hasRefreshToken: true, account: 'anna@example.com', grantExpiry: { source: 'documented' } });
    expect((await (await repository()).secrets('c1'))?.clientSecret).toBeDefined();
    expect(changed).toHaveBeenCalled();
  });

  it('asks for the connection’s own DATEV client and APIs, and records them as asked when the answer names none', async () => {
    const client: OAuthClient = { clientId: 'app', exchange: 'secret', endpointValues: { consultant: '455148', client: '2' }, scopes: ['accounting:documents'] };
    const { service, api, stored } = await setup({}, { platformId: 'datev', client });
    await service.consent('c1', 'Anna');
    const asked = vi.mocked(api.consent).mock.calls[0]![0].settings.scopes;
    expect(asked).toEqual(expect.arrayContaining(['offline_access', 'datev:iam:client:455148-2', 'accounting:documents']));
    expect((await stored())!.scopes).toEqual(asked);
    // The DATEV client the long-term token is for, beside the user that signed in.
    expect((await stored())!.account).toBe('455148-2 · anna@example.com');
  });

  it.each<[OAuthClient['exchange'], number]>([
    ['public', 1],
    ['broker', 90],
  ])('gives a Microsoft connection whose code %s redeems the rule for that way (%i days)', async (exchange, days) => {
    const client: OAuthClient = { clientId: 'app', exchange, endpointValues: { tenant: 'organizations' }, ...(exchange === 'broker' ? { brokerUrl: 'https://broker.example/' } : {}) };
    const { service, stored } = await setup({}, { platformId: 'microsoft', client });
    await service.consent('c1', 'Anna');
    expect((await stored())!.grantExpiry).toEqual({ at: NOW + days * 86_400_000, source: 'documented' });
  });

  it('dates an access token without expires_in by the platform’s own lifetime (DATEV: 15 minutes), marked documented (catalogue A1)', async () => {
    const unstated = () => tokens({ accessTokenExpiresIn: undefined, fields: { token_type: 'bearer' } });
    const { service, stored, clock } = await setup({ consent: vi.fn(async () => unstated()), refresh: vi.fn(async () => ({ ...unstated(), receivedAt: clock.now })) });
    await service.consent('c1', 'Anna');
    expect((await stored())!.accessTokenExpiry).toEqual({ at: NOW + 900_000, source: 'documented' });
    clock.now = NOW + 600_000;
    await service.refresh('c1', 'alarm');
    expect((await stored())!.accessTokenExpiry).toEqual({ at: NOW + 600_000 + 900_000, source: 'documented' });
  });

  it('runs one consent at a time', async () => {
    let finish: (value: TokenResult) => void = () => undefined;
    const { service, api } = await setup({ consent: vi.fn(() => new Promise<TokenResult>((resolve) => (finish = resolve))) });
    const first = service.consent('c1', 'Anna');
    expect(service.activeConsent()).toBe('c1');
    await vi.waitFor(() => expect(api.consent).toHaveBeenCalled());
    await expect(service.consent('c1', 'Anna')).rejects.toMatchObject({ code: 'busy' });
    finish(tokens());
    await first;
    expect(service.activeConsent()).toBeNull();
  });

  it('records a failed consent, but not a cancelled one', async () => {
    const { service, repository } = await setup({ consent: vi.fn().mockRejectedValueOnce(new OAuthFailure('cancelled')).mockRejectedValueOnce(new OAuthFailure('untrusted-response')) });
    await expect(service.consent('c1', 'Anna')).rejects.toMatchObject({ code: 'cancelled' });
    await expect(service.consent('c1', 'Anna')).rejects.toMatchObject({ code: 'untrusted-response' });
    expect((await (await repository()).events('c1')).map((e) => [e.type, e.detail])).toEqual([
      ['added', undefined],
      ['consent-failed', 'untrusted-response'],
    ]);
  });
});

describe('refresh', () => {
  it('stores the rotated refresh token', async () => {
    const { service, refreshToken } = await setup();
    await service.consent('c1', 'Anna');
    expect(await service.refresh('c1', 'alarm')).toMatchObject({ status: 'refreshed', recovered: false });
    expect(await refreshToken()).toBe('rt-2');
  });

  it('keeps the old refresh token when the answer brings none', async () => {
    const { service, refreshToken } = await setup({ refresh: vi.fn(async () => tokens({ refreshToken: undefined })) });
    await service.consent('c1', 'Anna');
    await service.refresh('c1', 'alarm');
    expect(await refreshToken()).toBe('rt-1');
  });

  it('makes one request for callers that come at once, and gives each the same result', async () => {
    const { service, api } = await setup();
    await service.consent('c1', 'Anna');
    const [a, b] = await Promise.all([service.refresh('c1', 'alarm'), service.refresh('c1', 'button')]);
    expect(api.refresh).toHaveBeenCalledTimes(1);
    expect(a).toBe(b);
  });

  it('invalid_grant: needs a new consent, drops the refresh token, does not retry', async () => {
    const { service, refreshToken, stored } = await setup({ refresh: vi.fn(async () => Promise.reject(new OAuthFailure('grant-rejected'))) });
    await service.consent('c1', 'Anna');
    expect(await service.refresh('c1', 'alarm')).toEqual({ status: 'reconsent-needed' });
    expect(await refreshToken()).toBeUndefined();
    expect(await stored()).toMatchObject({ needsReconsent: true, hasRefreshToken: false, problem: null });
  });

  it.each(['network', 'platform-unavailable', 'rate-limited', 'invalid-response'] as const)('%s: keeps everything and plans a retry', async (code) => {
    const { service, refreshToken, stored } = await setup({ refresh: vi.fn(async () => Promise.reject(new OAuthFailure(code, { retryAfterSeconds: 300 }))) });
    await service.consent('c1', 'Anna');
    const before = (await stored())!.grantExpiry;
    const outcome = await service.refresh('c1', 'alarm');
    expect(outcome).toMatchObject({ status: 'retry-later', retryAt: NOW + 300_000 });
    expect(await refreshToken()).toBe('rt-1');
    expect(await stored()).toMatchObject({ needsReconsent: false, grantExpiry: before, problem: { attempts: 1, retryAt: NOW + 300_000 } });
  });

  it('invalid_client: a configuration problem, no retry storm, refresh token kept', async () => {
    const { service, refreshToken, stored } = await setup({ refresh: vi.fn(async () => Promise.reject(new OAuthFailure('client-rejected'))) });
    await service.consent('c1', 'Anna');
    expect(await service.refresh('c1', 'alarm')).toEqual({ status: 'failed', code: 'client-rejected' });
    expect(await refreshToken()).toBe('rt-1');
    expect((await stored())!.problem).toEqual({ code: 'client-rejected', at: NOW, attempts: 1 });
  });

  it('invalid_request: the request as sent, named as such, no retry storm, refresh token kept', async () => {
    const { service, refreshToken, stored } = await setup({ refresh: vi.fn(async () => Promise.reject(new OAuthFailure('request-rejected'))) });
    await service.consent('c1', 'Anna');
    expect(await service.refresh('c1', 'alarm')).toEqual({ status: 'failed', code: 'request-rejected' });
    expect(await refreshToken()).toBe('rt-1');
    expect((await stored())!.problem).toEqual({ code: 'request-rejected', at: NOW, attempts: 1 });
  });

  it('says "works again" after a failure', async () => {
    const refresh = vi.fn().mockRejectedValueOnce(new OAuthFailure('network')).mockResolvedValueOnce(tokens());
    const { service } = await setup({ refresh });
    await service.consent('c1', 'Anna');
    await service.refresh('c1', 'alarm');
    expect(await service.refresh('c1', 'alarm')).toMatchObject({ status: 'refreshed', recovered: true });
  });

  it('a refresh token that cannot be opened flags only this connection for a new sign-in', async () => {
    const { service, repository, stored, api } = await setup();
    await service.consent('c1', 'Anna');
    const secrets = (await (await repository()).secrets('c1'))!;
    await (await repository()).saveSecrets({ ...secrets, refreshToken: { iv: new Uint8Array(12), data: new ArrayBuffer(32) } });
    expect(await service.refresh('c1', 'alarm')).toEqual({ status: 'reconsent-needed' });
    expect(api.refresh).not.toHaveBeenCalled();
    expect(await stored()).toMatchObject({ needsReconsent: true, hasRefreshToken: false });
  });

  it('an app secret that cannot be opened asks for it again and keeps the refresh token', async () => {
    const { service, repository, stored, refreshToken } = await setup();
    await service.consent('c1', 'Anna');
    const secrets = (await (await repository()).secrets('c1'))!;
    await (await repository()).saveSecrets({ ...secrets, clientSecret: { iv: new Uint8Array(12), data: new ArrayBuffer(32) } });
    expect(await service.refresh('c1', 'alarm')).toEqual({ status: 'failed', code: 'secret-unreadable' });
    expect(await refreshToken()).toBe('rt-1');
    expect(await stored()).toMatchObject({ needsReconsent: false, problem: { code: 'secret-unreadable' } });
  });

  it('a storage fault while opening a secret costs no secret', async () => {
    const { service, refreshToken, stored } = await setup();
    await service.consent('c1', 'Anna');
    const failingVault = createTokenService({
      repository: lazyRepository(),
      vault: async () => {
        throw new DOMException('gone', 'UnknownError');
      },
      oauth: {} as OAuthClientApi,
      now: () => NOW,
      changed: async () => undefined,
    });
    await expect(failingVault.refresh('c1', 'alarm')).rejects.toThrow();
    expect(await refreshToken()).toBe('rt-1');
    expect(await stored()).toMatchObject({ needsReconsent: false, hasRefreshToken: true });
  });
});

describe('a full disk', () => {
  it('a rotated refresh token that cannot be stored fails the refresh as storage-full, never as refreshed', async () => {
    const { service, stored, refreshToken } = await setup();
    await service.consent('c1', 'Anna');
    const before = await stored();
    const { put } = IDBObjectStore.prototype;
    const full = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'secrets') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    await expect(service.refresh('c1', 'alarm')).rejects.toMatchObject({ code: 'storage-full' });
    full.mockRestore();
    // Nothing half-stored: no new dates without the token that goes with them.
    expect(await stored()).toEqual(before);
    expect(await refreshToken()).toBe('rt-1');
  });
});

describe('changes to one connection never interleave', () => {
  it('a removal during a refresh waits for it, and the refresh cannot bring the connection back', async () => {
    let answer: (value: TokenResult) => void = () => undefined;
    const { service, api, repository } = await setup({ refresh: vi.fn(() => new Promise<TokenResult>((resolve) => (answer = resolve))) });
    await service.consent('c1', 'Anna');
    const refreshing = service.refresh('c1', 'alarm');
    await vi.waitFor(() => expect(api.refresh).toHaveBeenCalled());
    const removing = service.remove('c1', 'Anna');
    answer(tokens({ refreshToken: 'rt-2' }));
    await refreshing;
    await removing;
    expect(await (await repository()).get('c1')).toBeUndefined();
    expect(await (await repository()).secrets('c1')).toBeUndefined();
    expect(vi.mocked(api.revoke).mock.calls[0]![1]).toBe('rt-2');
  });

  it('a consent stores onto what a refresh wrote while its window was open', async () => {
    let signIn: (value: TokenResult) => void = () => undefined;
    const consent = vi.fn().mockResolvedValueOnce(tokens()).mockImplementationOnce(() => new Promise<TokenResult>((resolve) => (signIn = resolve)));
    const { service, repository, refreshToken } = await setup({ consent });
    await service.consent('c1', 'Anna');
    const signingIn = service.consent('c1', 'Anna');
    await vi.waitFor(() => expect(consent).toHaveBeenCalledTimes(2));
    await service.refresh('c1', 'alarm');
    signIn(tokens({ refreshToken: 'rt-new-consent' }));
    await signingIn;
    expect(await refreshToken()).toBe('rt-new-consent');
    expect((await (await repository()).events('c1')).map((e) => e.type)).toEqual(['added', 'consented', 'refreshed', 'consented']);
    expect((await (await repository()).get('c1'))!.refreshedAt).toBeNull();
  });

  it('a consent for a connection removed while its window was open stores nothing', async () => {
    let signIn: (value: TokenResult) => void = () => undefined;
    const { service, repository, api } = await setup({ consent: vi.fn(() => new Promise<TokenResult>((resolve) => (signIn = resolve))) });
    const signingIn = service.consent('c1', 'Anna');
    await vi.waitFor(() => expect(api.consent).toHaveBeenCalled());
    await service.remove('c1', 'Anna');
    signIn(tokens());
    await expect(signingIn).rejects.toMatchObject({ code: 'not-found' });
    expect(await (await repository()).secrets('c1')).toBeUndefined();
    // The grant the platform gave meanwhile is withdrawn, not left alive without anyone knowing it.
    expect(vi.mocked(api.revoke).mock.calls[0]).toEqual([expect.objectContaining({ clientSecret: 'client-secret' }), 'rt-1']);
    expect((await (await repository()).events('c1')).map((e) => e.type)).toEqual(['added', 'removed', 'revoked']);
    expect(await (await repository()).revocations()).toEqual([]);
  });

  it('keeps the late grant’s revocation beside the removed connection’s own, when both still wait to be sent', async () => {
    let signIn: (value: TokenResult) => void = () => undefined;
    const down = () => Promise.reject(new OAuthFailure('platform-unavailable'));
    const { service, repository, api, clock } = await setup({ consent: vi.fn().mockResolvedValueOnce(tokens({ refreshToken: 'rt-old' })).mockImplementationOnce(() => new Promise<TokenResult>((resolve) => (signIn = resolve))), revoke: vi.fn(down) });
    await service.consent('c1', 'Anna');
    // A new sign-in is under way when the connection is removed; the platform is down meanwhile.
    const signingIn = service.consent('c1', 'Anna');
    await vi.waitFor(() => expect(api.consent).toHaveBeenCalledTimes(2));
    await service.remove('c1', 'Anna');
    signIn(tokens({ refreshToken: 'rt-late' }));
    await expect(signingIn).rejects.toMatchObject({ code: 'not-found' });
    expect(await (await repository()).revocations()).toHaveLength(2);
    // Back up: both grants are withdrawn at the next wake-ups, neither lost.
    vi.mocked(api.revoke).mockResolvedValue(true);
    clock.now += 24 * 3_600_000;
    await service.retryRevocations();
    expect(vi.mocked(api.revoke).mock.calls.map((call) => call[1]).slice(-2).sort()).toEqual(['rt-late', 'rt-old']);
    expect(await (await repository()).revocations()).toEqual([]);
  });

  it('revokes the grant of a broker connection removed while its window was open', async () => {
    let signIn: (value: TokenResult) => void = () => undefined;
    const client: OAuthClient = { clientId: 'app', exchange: 'broker', brokerUrl: 'https://broker.example/token', endpointValues: { tenant: 'organizations' } };
    const { service, api } = await setup({ consent: vi.fn(() => new Promise<TokenResult>((resolve) => (signIn = resolve))) }, { platformId: 'microsoft', client });
    const signingIn = service.consent('c1', 'Anna');
    await vi.waitFor(() => expect(api.consent).toHaveBeenCalled());
    await service.remove('c1', 'Anna');
    signIn(tokens({ refreshToken: 'rt-late' }));
    await expect(signingIn).rejects.toMatchObject({ code: 'not-found' });
    expect(vi.mocked(api.revoke).mock.calls).toEqual([[expect.objectContaining({ client }), 'rt-late']]);
  });
});

describe('remove', () => {
  it('revokes, then wipes the connection and its secrets', async () => {
    const { service, api, repository } = await setup();
    await service.consent('c1', 'Anna');
    expect(await service.remove('c1', 'Anna')).toEqual({ revoked: true });
    expect(vi.mocked(api.revoke).mock.calls[0]![1]).toBe('rt-1');
    expect(await (await repository()).get('c1')).toBeUndefined();
    expect(await (await repository()).secrets('c1')).toBeUndefined();
  });

  it('wipes locally even when revocation fails, and notes it in the history', async () => {
    const { service, repository } = await setup({ revoke: vi.fn(async () => Promise.reject(new OAuthFailure('platform-unavailable'))) });
    await service.consent('c1', 'Anna');
    expect(await service.remove('c1', 'Anna')).toEqual({ revoked: false });
    expect(await (await repository()).get('c1')).toBeUndefined();
    expect((await (await repository()).events('c1')).slice(-2)).toMatchObject([
      { type: 'removed' },
      { type: 'revoke-failed', detail: 'platform-unavailable, retrying' },
    ]);
  });
});

describe('revocation until the platform confirms', () => {
  const unavailable = () => Promise.reject(new OAuthFailure('platform-unavailable'));

  it('keeps the sealed token after a 503 and revokes it at the retry, a minute later', async () => {
    const { service, api, repository, clock } = await setup({ revoke: vi.fn().mockImplementationOnce(unavailable).mockResolvedValueOnce(true) });
    await service.consent('c1', 'Anna');
    expect(await service.remove('c1', 'Anna')).toEqual({ revoked: false });
    expect(await (await repository()).get('c1')).toBeUndefined();
    expect(await (await repository()).secrets('c1')).toBeUndefined();
    const [pending] = await (await repository()).revocations();
    expect(pending).toMatchObject({ connectionId: 'c1', attempts: 1, dueAt: NOW + 60_000 });
    expect(JSON.stringify(pending)).not.toContain('rt-1');

    await service.retryRevocations();
    expect(api.revoke).toHaveBeenCalledTimes(1);
    clock.now = NOW + 60_000;
    await service.retryRevocations();
    expect(vi.mocked(api.revoke).mock.calls[1]).toEqual([expect.objectContaining({ platformId: 'datev', clientSecret: 'client-secret' }), 'rt-1']);
    expect(await (await repository()).revocations()).toEqual([]);
    expect((await (await repository()).events('c1')).map((e) => [e.type, e.detail])).toEqual([
      ['added', undefined],
      ['consented', undefined],
      ['removed', undefined],
      ['revoke-failed', 'platform-unavailable, retrying'],
      ['revoked', undefined],
    ]);
  });

  it('wipes the token after the last of 8 attempts, waiting 1 minute and doubling, and says so in the history', async () => {
    const { service, api, repository, clock } = await setup({ revoke: vi.fn(unavailable) });
    await service.consent('c1', 'Anna');
    await service.remove('c1', 'Anna');
    const waits: number[] = [];
    for (let pending = (await (await repository()).revocations())[0]; pending; pending = (await (await repository()).revocations())[0]) {
      waits.push(pending.dueAt - clock.now);
      clock.now = pending.dueAt;
      await service.retryRevocations();
    }
    expect(waits.map((ms) => ms / 60_000)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(api.revoke).toHaveBeenCalledTimes(8);
    expect((await (await repository()).events('c1')).at(-1)).toMatchObject({ type: 'revoke-failed', detail: 'platform-unavailable' });
  });

  it('wipes at once when the platform refuses for good', async () => {
    const { service, repository } = await setup({ revoke: vi.fn(() => Promise.reject(new OAuthFailure('client-rejected'))) });
    await service.consent('c1', 'Anna');
    await service.remove('c1', 'Anna');
    expect(await (await repository()).revocations()).toEqual([]);
  });

  it('keeps a broker connection’s grant until the broker confirms its revocation, retrying as for any other', async () => {
    const client: OAuthClient = { clientId: 'app', exchange: 'broker', brokerUrl: 'https://broker.example/', endpointValues: { tenant: 'organizations' } };
    const { service, api, repository, clock } = await setup({ revoke: vi.fn().mockImplementationOnce(unavailable).mockResolvedValueOnce(true) }, { platformId: 'microsoft', client });
    await service.consent('c1', 'Anna');
    expect(await service.remove('c1', 'Anna')).toEqual({ revoked: false });
    expect(await (await repository()).revocations()).toEqual([expect.objectContaining({ connectionId: 'c1', client, attempts: 1 })]);
    clock.now = NOW + 60_000;
    await service.retryRevocations();
    expect(vi.mocked(api.revoke).mock.calls.map(([request, token]) => [request.client, token])).toEqual([[client, 'rt-1'], [client, 'rt-1']]);
    expect(await (await repository()).revocations()).toEqual([]);
    expect((await (await repository()).events('c1')).at(-1)).toMatchObject({ type: 'revoked' });
  });
});

describe('a worker stopped halfway (the browser ends an idle service worker)', () => {
  /** The next start of the worker: a new service over the same database, knowing nothing of the last one. */
  function nextWorker(oauth: Partial<OAuthClientApi>) {
    const repository = lazyRepository();
    const api = { consent: vi.fn(async () => tokens({ refreshToken: 'rt-next' })), refresh: vi.fn(async () => tokens({ refreshToken: 'rt-3' })), revoke: vi.fn(async () => true), ...oauth } as unknown as OAuthClientApi;
    return { api, service: createTokenService({ repository, vault: async () => createVault((await repository()).vaultStore, memorySession()), oauth: api, now: () => NOW, changed: async () => undefined }) };
  }
  const snapshot = async (repository: ReturnType<typeof lazyRepository>) => {
    const store = await repository();
    return { connection: await store.get('c1'), events: await store.events('c1'), secrets: await store.secrets('c1') };
  };

  it('while the sign-in window is open: nothing is stored, and the next worker signs in afresh', async () => {
    const { service, repository, refreshToken } = await setup({ consent: vi.fn(() => new Promise<TokenResult>(() => undefined)) });
    const before = await snapshot(repository);
    void service.consent('c1', 'Anna');
    await vi.waitFor(() => expect(service.activeConsent()).toBe('c1'));
    const next = nextWorker({});
    expect(next.service.activeConsent()).toBeNull();
    expect(await snapshot(repository)).toEqual(before);
    await next.service.consent('c1', 'Anna');
    expect(await refreshToken()).toBe('rt-next');
  });

  it('while a refresh was under way: the stored tokens are as they were, and the next worker renews with them', async () => {
    const { service, repository, refreshToken } = await setup({ refresh: vi.fn(() => new Promise<TokenResult>(() => undefined)) });
    await service.consent('c1', 'Anna');
    const before = await snapshot(repository);
    void service.refresh('c1', 'alarm');
    const next = nextWorker({});
    expect(await snapshot(repository)).toEqual(before);
    await expect(next.service.refresh('c1', 'alarm')).resolves.toMatchObject({ status: 'refreshed' });
    expect(vi.mocked(next.api.refresh).mock.calls[0]![1]).toBe('rt-1');
    expect(await refreshToken()).toBe('rt-3');
  });
});

describe('with the passphrase lock on and locked', () => {
  /** A signed-in connection, the lock turned on, then the browser restarted: the session holds no key. */
  async function locked() {
    const repository = lazyRepository();
    let session = memorySession();
    let vault = createVault((await repository()).vaultStore, session);
    const api = {
      consent: vi.fn(async () => tokens()),
      refresh: vi.fn(async () => tokens({ refreshToken: 'rt-2' })),
      revoke: vi.fn(async () => true),
    } as unknown as OAuthClientApi;
    const changed = vi.fn(async () => undefined);
    const service = createTokenService({ repository, vault: async () => vault, oauth: api, now: () => NOW, changed });
    const connection = newOAuthConnection({ platformId: 'ebay', label: 'Shop', account: '', client: { clientId: 'app', exchange: 'public' } }, { id: 'c1', now: NOW, actor: 'Anna' });
    await (await repository()).save({ connection, event: { connectionId: 'c1', type: 'added', at: NOW, actor: 'Anna' } });
    await service.consent('c1', 'Anna');
    await vault.enable('Sommer im Büro 2026');
    session = memorySession();
    vault = createVault((await repository()).vaultStore, session);
    vi.mocked(api.consent).mockClear();
    return { service, api, vault: () => vault, stored: async () => (await repository()).get('c1'), repository };
  }

  it('lets a renewal wait, without asking the platform and without retries, until unlocked', async () => {
    const { service, api, stored } = await locked();
    expect(await service.refresh('c1', 'Token Watch')).toEqual({ status: 'failed', code: 'vault-locked' });
    expect(api.refresh).not.toHaveBeenCalled();
    const waiting = await stored();
    expect(waiting).toMatchObject({ hasRefreshToken: true, needsReconsent: false, problem: { code: 'vault-locked' } });
    // No retry is planned: it waits for the user, not for a wake-up every minute.
    expect(waiting!.problem!.retryAt).toBeUndefined();
  });

  it('renews what waited once unlocked, and stores the new token sealed under the lock', async () => {
    const { service, api, vault, stored, repository } = await locked();
    await service.refresh('c1', 'Token Watch');
    await vault().unlock('Sommer im Büro 2026');
    await service.resumeLocked('Token Watch');
    expect(api.refresh).toHaveBeenCalledOnce();
    expect(await stored()).toMatchObject({ problem: null, hasRefreshToken: true });
    const sealed = (await (await repository()).secrets('c1'))!.refreshToken!;
    expect(sealed.key).toMatch(/^lock-/);
    expect(await vault().open(sealed)).toBe('rt-2');
  });

  it('lets a removal’s revocation wait for the key: none tried at ten wake-ups, no attempt used up, no time it is due', async () => {
    const { service, api, repository } = await locked();
    expect(await service.remove('c1', 'Anna')).toEqual({ revoked: false });
    for (let wakeUp = 0; wakeUp < 10; wakeUp++) await service.retryRevocations();
    expect(api.revoke).not.toHaveBeenCalled();
    expect(await (await repository()).revocations()).toEqual([expect.objectContaining({ connectionId: 'c1', attempts: 0, dueAt: Infinity })]);
    expect((await (await repository()).events('c1')).map((e) => e.type)).toEqual(['added', 'consented', 'removed']);
  });

  it('revokes what waited for the key as soon as it is unlocked', async () => {
    const { service, api, vault, repository } = await locked();
    await service.remove('c1', 'Anna');
    await vault().unlock('Sommer im Büro 2026');
    await service.resumeLocked('Token Watch');
    expect(vi.mocked(api.revoke).mock.calls).toEqual([[expect.objectContaining({ platformId: 'ebay' }), 'rt-1']]);
    expect(await (await repository()).revocations()).toEqual([]);
    expect((await (await repository()).events('c1')).at(-1)).toMatchObject({ type: 'revoked', actor: 'Anna' });
  });

  it('stops a sign-in before its window opens', async () => {
    const { service, api } = await locked();
    await expect(service.consent('c1', 'Anna')).rejects.toMatchObject({ code: 'vault-locked' });
    expect(api.consent).not.toHaveBeenCalled();
  });

  it('keeps a rotated token that arrives after the lock was pressed during the call', async () => {
    const { service, api, vault, repository } = await locked();
    await vault().unlock('Sommer im Büro 2026');
    vi.mocked(api.refresh).mockImplementationOnce(async () => {
      await vault().lockNow();
      return tokens({ refreshToken: 'rt-rotated' });
    });
    expect(await service.refresh('c1', 'Token Watch')).toMatchObject({ status: 'refreshed' });
    await vault().unlock('Sommer im Büro 2026');
    expect(await vault().open((await (await repository()).secrets('c1'))!.refreshToken!)).toBe('rt-rotated');
  });
});
