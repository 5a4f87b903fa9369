import { describe, expect, it, vi } from 'vitest';
import type { TokenService } from '../../../utils/consent/token-service';
import { createOAuthHandlers } from '../../../utils/messaging/oauth-handlers';
import { lazyRepository, lazyVault } from '../../../utils/storage/db';
import { aConnection, memorySession, send } from '../fixtures';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');

function setup({ userName = 'Anna Becker', metadataWaitMs }: { userName?: string; metadataWaitMs?: number } = {}) {
  const repository = lazyRepository();
  const connectionAdded = vi.fn(async (_connection: { id: string }) => undefined);
  const tokens = {
    consent: vi.fn(async (connectionId: string) => (await (await repository()).get(connectionId))!),
    refresh: vi.fn(async () => ({ status: 'reconsent-needed' as const })),
    remove: vi.fn(async () => ({ revoked: false })),
    retryRevocations: vi.fn(async () => undefined),
    resumeLocked: vi.fn(async () => undefined),
    activeConsent: () => null,
  } satisfies TokenService;
  const releaseHosts = vi.fn(async (_origins: string[]) => undefined);
  const changed = vi.fn(async () => undefined);
  const handlers = createOAuthHandlers({
    repository,
    tokens,
    // Held grants are the companion's (tests/holder/companion.test.ts); none here.
    holder: { isHeld: async () => false, signIn: vi.fn(), check: vi.fn(), remove: vi.fn() },
    releaseHosts,
    vault: lazyVault(repository, memorySession()),
    now: () => NOW,
    newId: () => 'c1',
    actor: async () => userName,
    changed,
    connectionAdded,
    ...(metadataWaitMs !== undefined ? { metadataWaitMs } : {}),
  });
  return { handlers, tokens, repository, connectionAdded, releaseHosts, changed };
}

const datev = {
  platformId: 'datev',
  label: 'Mandant 10001',
  client: { clientId: 'app', exchange: 'secret', endpointValues: { consultant: '455148', client: '2' }, scopes: ['accounting:documents'] },
  clientSecret: 's3cret',
};

describe('the OAuth messages', () => {
  it('record the user’s name from the settings as who added and who signs in', async () => {
    const { handlers, tokens, repository } = setup();
    const connection = await send(handlers, { type: 'connections/create', connection: datev });
    expect(connection).toMatchObject({ requestedBy: 'Anna Becker', needsReconsent: true });
    expect(await (await repository()).events('c1')).toMatchObject([{ type: 'added', actor: 'Anna Becker' }]);
    await send(handlers, { type: 'consent/start', connectionId: 'c1' });
    expect(tokens.consent).toHaveBeenCalledWith('c1', 'Anna Becker');
  });

  it('have a new connection’s platform metadata read before the reply, so that the first click knows every host', async () => {
    const { handlers, connectionAdded } = setup();
    await send(handlers, { type: 'connections/create', connection: datev });
    expect(connectionAdded).toHaveBeenCalledWith(expect.objectContaining({ id: 'c1', platformId: 'datev' }));
  });

  it('add a connection without waiting long for a platform that does not answer, and tell the pages when its answer comes', async () => {
    const { handlers, connectionAdded, repository, changed } = setup({ metadataWaitMs: 50 });
    let answer = () => undefined as void;
    connectionAdded.mockImplementation(() => new Promise<undefined>((resolve) => (answer = () => resolve(undefined))));
    expect(await send(handlers, { type: 'connections/create', connection: datev })).toMatchObject({ id: 'c1', platformId: 'datev' });
    expect(await (await repository()).get('c1')).toMatchObject({ label: 'Mandant 10001' });
    expect(changed).toHaveBeenCalledTimes(1);
    answer();
    await vi.waitFor(() => expect(changed).toHaveBeenCalledTimes(2));
  });

  it('wait for a platform that answers in time, and answer once it has', async () => {
    const { handlers, connectionAdded, changed } = setup();
    let read = false;
    connectionAdded.mockImplementation(
      () =>
        new Promise((resolve) =>
          setTimeout(() => {
            read = true;
            resolve(undefined);
          }, 30),
        ),
    );
    await send(handlers, { type: 'connections/create', connection: datev });
    expect(read).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(changed).toHaveBeenCalledTimes(1);
  });

  it('seal the app secret and never return it', async () => {
    const { handlers, repository } = setup();
    const connection = await send(handlers, { type: 'connections/create', connection: datev });
    expect(JSON.stringify(connection)).not.toContain('s3cret');
    expect(JSON.stringify(await (await repository()).secrets('c1'))).not.toContain('s3cret');
  });

  it('check the app’s settings against the platform once the message is read', async () => {
    const { handlers } = setup();
    await expect(send(handlers, { type: 'connections/create', connection: { ...datev, client: { clientId: 'app', exchange: 'public' } } })).rejects.toMatchObject({
      code: 'invalid-input',
      field: 'client.exchange',
    });
    await expect(send(handlers, { type: 'connections/create', connection: { ...datev, platformId: 'sevdesk-api-token' } })).rejects.toMatchObject({ field: 'platformId' });
  });
});

describe('removing all connections', () => {
  it('withdraws each grant as one removal does, removes the rest at once, and keeps the administrator’s and the holder’s', async () => {
    const { handlers, tokens, repository } = setup();
    const store = await repository();
    const signedIn = aConnection({ id: 'signed-in', hasRefreshToken: true, client: { clientId: 'app', exchange: 'public' } });
    const dated = Array.from({ length: 3 }, (_, index) => aConnection({ id: `dated-${index}`, platformId: 'sevdesk-api-token' }));
    const managed = aConnection({ id: 'managed', managed: true });
    const held = aConnection({ id: 'held', held: { grantId: 'g1', consentedBy: 'Ben' } });
    await store.saveAll([signedIn, ...dated, managed, held].map((connection) => ({ connection, event: { connectionId: connection.id, type: 'added', at: NOW, actor: 'Anna' } })));

    expect(await send(handlers, { type: 'connections/remove-all' })).toEqual({ removed: 4 });
    expect(tokens.remove).toHaveBeenCalledExactlyOnceWith('signed-in', 'Anna Becker');
    expect((await store.list()).map((connection) => connection.id).toSorted()).toEqual(['held', 'managed']);
    expect((await store.events('dated-1')).map((event) => [event.type, event.actor])).toEqual([['added', 'Anna'], ['removed', 'Anna Becker']]);
  });
});

describe('giving hosts back when a connection is removed', () => {
  /** Removes the connection as the token service does: its revocation kept where `pending` says it is still to be sent. */
  async function removeWith(pending: boolean) {
    const { handlers, tokens, repository, releaseHosts } = setup();
    const connection = await send(handlers, { type: 'connections/create', connection: datev });
    tokens.remove.mockImplementationOnce(async () => {
      const event = { connectionId: connection.id, type: 'removed' as const, at: NOW, actor: 'Anna' };
      const revocation = { connectionId: connection.id, platformId: 'datev', settings: { scopes: [], exchanges: ['secret' as const], issuer: 'https://login.datev.de/openid' }, client: connection.client!, refreshToken: { iv: new Uint8Array(12), data: new ArrayBuffer(16), key: 'k' }, actor: 'Anna', attempts: 1, dueAt: NOW + 60_000 };
      await (await repository()).remove(connection.id, event, pending ? revocation : undefined);
      return { revoked: false };
    });
    await send(handlers, { type: 'connections/remove', connectionId: connection.id });
    return releaseHosts.mock.calls.flat(2);
  }

  it('gives back the hosts of the last connection that used them', async () => {
    expect(await removeWith(false)).toContain('https://login.datev.de/*');
  });

  it('keeps them while the connection’s revocation is still to be sent (a retry, or one waiting for the lock)', async () => {
    expect(await removeWith(true)).not.toContain('https://login.datev.de/*');
  });
});
