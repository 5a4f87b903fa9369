import { memorySession } from '../fixtures';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { OAuthClientApi, TokenResult } from '../../../utils/consent/oauth-client';
import { OAuthFailure } from '../../../utils/consent/oauth-errors';
import { createTokenService } from '../../../utils/consent/token-service';
import { newOAuthConnection } from '../../../utils/records/oauth-input';
import { lazyRepository } from '../../../utils/storage/db';
import { createVault } from '../../../utils/storage/vault';

/**
 * IndexedDB commits a transaction as soon as no request is pending, so one held across a network
 * call has ended when the answer comes (catalogue C7). Every network call here takes a real turn
 * of the event loop, and every request is checked against the calls begun since its transaction opened.
 */
const NOW = Date.parse('2026-11-23T10:00:00Z');
let networkCalls = 0;
const openedAt = new WeakMap<IDBTransaction, number>();
let lateRequests: string[] = [];

beforeEach(() => {
  networkCalls = 0;
  lateRequests = [];
  const { transaction } = IDBDatabase.prototype;
  vi.spyOn(IDBDatabase.prototype, 'transaction').mockImplementation(function (this: IDBDatabase, ...args: Parameters<IDBDatabase['transaction']>) {
    const tx = transaction.apply(this, args);
    openedAt.set(tx, networkCalls);
    return tx;
  });
  for (const method of ['get', 'getAll', 'put', 'add', 'delete', 'openCursor'] as const) {
    const original = IDBObjectStore.prototype[method] as (...args: unknown[]) => IDBRequest;
    vi.spyOn(IDBObjectStore.prototype, method).mockImplementation(function (this: IDBObjectStore, ...args: unknown[]) {
      if (openedAt.get(this.transaction) !== networkCalls) lateRequests.push(`${method} on ${this.name}`);
      return original.apply(this, args);
    } as never);
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** A platform that answers after a turn of the event loop, as a real one does. */
const network =
  <T>(answer: () => T | Promise<T>) =>
  async () => {
    networkCalls += 1;
    await new Promise((resolve) => setTimeout(resolve, 1));
    return answer();
  };

const tokens = (refreshToken: string): TokenResult => ({ receivedAt: NOW, fields: { token_type: 'bearer' }, accessTokenExpiresIn: 3600, refreshToken });

async function setup(oauth: Partial<OAuthClientApi>) {
  const repository = lazyRepository();
  const vault = async () => createVault((await repository()).vaultStore, memorySession());
  const clock = { now: NOW };
  const api = { consent: vi.fn(network(() => tokens('rt-1'))), refresh: vi.fn(network(() => tokens('rt-2'))), revoke: vi.fn(network(() => true)), ...oauth } as unknown as OAuthClientApi;
  const service = createTokenService({ repository, vault, oauth: api, now: () => clock.now, changed: async () => undefined });
  const connection = newOAuthConnection({ platformId: 'datev', label: 'Mandant 1', account: '', client: { clientId: 'app', exchange: 'secret' } }, { id: 'c1', now: NOW, actor: 'Anna' });
  const clientSecret = await (await vault()).seal('client-secret');
  await (await repository()).save({ connection, event: { connectionId: 'c1', type: 'added', at: NOW, actor: 'Anna' }, secrets: { connectionId: 'c1', clientSecret } });
  return { service, api, repository, clock };
}

describe('no network call inside an IndexedDB transaction', () => {
  it('is noticed where code holds a transaction across a network call (the check itself)', async () => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const open = indexedDB.open('probe', 1);
      open.onupgradeneeded = () => open.result.createObjectStore('s');
      open.onsuccess = () => resolve(open.result);
    });
    const store = db.transaction('s', 'readwrite').objectStore('s');
    store.get('k');
    await network(() => undefined)();
    try {
      store.put('v', 'k');
    } catch {
      // Once the transaction has committed by itself, IndexedDB refuses the request as well.
    }
    expect(lateRequests).toEqual(['put on s']);
  });

  it('consent, refresh and removal with its revocation', async () => {
    const { service, repository } = await setup({});
    await service.consent('c1', 'Anna');
    await expect(service.refresh('c1', 'alarm')).resolves.toMatchObject({ status: 'refreshed' });
    await expect(service.remove('c1', 'Anna')).resolves.toEqual({ revoked: true });
    expect(await (await repository()).revocations()).toEqual([]);
    expect(lateRequests).toEqual([]);
  });

  it('a revocation retried at a wake-up', async () => {
    const revoke = vi.fn(network(() => true)).mockImplementationOnce(network(() => Promise.reject(new OAuthFailure('platform-unavailable'))));
    const { service, api, clock } = await setup({ revoke });
    await service.consent('c1', 'Anna');
    await service.remove('c1', 'Anna');
    clock.now += 60_000;
    await service.retryRevocations();
    expect(api.revoke).toHaveBeenCalledTimes(2);
    expect(lateRequests).toEqual([]);
  });

  it('a grant that arrives for a removed connection', async () => {
    let answer: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (answer = resolve));
    const consent = vi.fn(async () => {
      networkCalls += 1;
      await arrived;
      return tokens('rt-late');
    });
    const { service, api } = await setup({ consent });
    const signingIn = service.consent('c1', 'Anna');
    await vi.waitFor(() => expect(consent).toHaveBeenCalled());
    await service.remove('c1', 'Anna');
    answer();
    await expect(signingIn).rejects.toMatchObject({ code: 'not-found' });
    expect(vi.mocked(api.revoke).mock.calls[0]![1]).toBe('rt-late');
    expect(lateRequests).toEqual([]);
  });
});
