import { describe, expect, it } from 'vitest';
import { connectionEvent } from '../../../utils/connection';
import { createConnectionRepository, openTokenWatchDb, type ConnectionRepository, type HolderLink, type PendingRevocation } from '../../../utils/storage/db';
import { createVault, PASSPHRASE_ITERATIONS, VaultError, type SealedRecord, type Vault } from '../../../utils/storage/vault';
import { aConnection, memorySession } from '../fixtures';

const PASSPHRASE = 'Sommer im Büro 2026';

async function vault() {
  const repository = createConnectionRepository(await openTokenWatchDb());
  const session = memorySession();
  return { vault: createVault(repository.vaultStore, session), repository, session };
}

/** Every value stored anywhere in the database, for a look at what a copy of the profile would hold. */
async function everythingStored(): Promise<unknown[]> {
  const db = await openTokenWatchDb();
  const values = await Promise.all([...db.objectStoreNames].map((name) => db.getAll(name)));
  db.close();
  return values.flat();
}

/** A connection with a sealed refresh token and app secret, a pending revocation and the holder's link: every place a secret is kept. */
async function storeSecrets(repository: ConnectionRepository, v: Vault) {
  const connection = aConnection({ hasRefreshToken: true });
  await repository.save({
    connection,
    event: connectionEvent(connection.id, 'consented', 0, 'Anna'),
    secrets: { connectionId: connection.id, refreshToken: await v.seal('rt-shop'), clientSecret: await v.seal('app-secret') },
  });
  const revocation: PendingRevocation = {
    connectionId: 'removed-one',
    platformId: 'ebay',
    settings: {} as PendingRevocation['settings'],
    client: { clientId: 'app', exchange: 'secret' },
    refreshToken: await v.seal('rt-removed'),
    actor: 'Anna',
    attempts: 0,
    dueAt: 0,
  };
  await repository.settleRevocation(revocation, null, revocation);
  const link: HolderLink = { url: 'https://holder.example', memberKey: await v.seal('member-key'), member: 'Anna', managed: false, managedEntry: null, syncedAt: null, unreachableSince: null, problem: null };
  await repository.saveHolderLink(link);
  return connection;
}

/** Opens every stored secret with `v`, by where it is kept. */
async function openAll(repository: ConnectionRepository, v: Vault, connectionId: string) {
  const secrets = await repository.secrets(connectionId);
  const [revocation] = await repository.revocations();
  return {
    refreshToken: await v.open(secrets!.refreshToken!),
    clientSecret: await v.open(secrets!.clientSecret!),
    revocation: await v.open(revocation!.refreshToken),
    memberKey: await v.open((await repository.holderLink())!.memberKey),
  };
}
const ALL_OPEN = { refreshToken: 'rt-shop', clientSecret: 'app-secret', revocation: 'rt-removed', memberKey: 'member-key' };

describe('the vault', () => {
  it('seals a refresh token so that the stored bytes do not contain it, and opens it again', async () => {
    const { vault: v } = await vault();
    const sealed = await v.seal('rt-very-secret-refresh-token');
    expect(new TextDecoder().decode(sealed.data)).not.toContain('rt-very-secret');
    expect(await v.open(sealed)).toBe('rt-very-secret-refresh-token');
  });

  it('uses a fresh nonce for every seal', async () => {
    const { vault: v } = await vault();
    const [a, b] = [await v.seal('same'), await v.seal('same')];
    expect(a.iv).not.toEqual(b.iv);
  });

  it('keeps its key non-extractable, across restarts of the background', async () => {
    const { vault: first, repository } = await vault();
    const sealed = await first.seal('token');
    const key = await repository.vaultStore.getKey('secrets-v1');
    expect(key?.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key!)).rejects.toThrow();
    const afterRestart = createVault(repository.vaultStore, memorySession());
    expect(await afterRestart.open(sealed)).toBe('token');
  });

  it('opens what the first releases sealed, which carries no key name', async () => {
    const { vault: v } = await vault();
    const { iv, data } = await v.seal('token');
    expect(await v.open({ iv, data })).toBe('token');
  });

  it('refuses damaged data with a VaultError, not garbage', async () => {
    const { vault: v } = await vault();
    const sealed = await v.seal('token');
    const damaged = new Uint8Array(sealed.data.slice(0));
    damaged[0] = damaged[0]! ^ 0xff;
    await expect(v.open({ ...sealed, data: damaged.buffer })).rejects.toBeInstanceOf(VaultError);
  });

  it('cannot open what another installation sealed', async () => {
    const { vault: mine } = await vault();
    globalThis.indexedDB = new (await import('fake-indexeddb')).IDBFactory();
    const { vault: theirs } = await vault();
    await expect(theirs.open(await mine.seal('token'))).rejects.toBeInstanceOf(VaultError);
  });
});

describe('the passphrase lock', () => {
  it('is off until turned on', async () => {
    const { vault: v } = await vault();
    expect(await v.lockState()).toBe('off');
    await expect(v.unlock(PASSPHRASE)).rejects.toMatchObject({ code: 'lock-off' });
  });

  it('seals every stored secret anew under a key kept only behind the passphrase', async () => {
    const { vault: v, repository, session } = await vault();
    const connection = await storeSecrets(repository, v);
    await v.enable(PASSPHRASE);

    expect(await v.lockState()).toBe('unlocked');
    expect(await openAll(repository, v, connection.id)).toEqual(ALL_OPEN);
    // No key is left in the profile's database: not the device key, not the new one.
    expect((await everythingStored()).some((value) => value instanceof CryptoKey)).toBe(false);
    const lock = await repository.vaultStore.lock();
    expect(lock?.iterations).toBeGreaterThanOrEqual(600_000);
    expect(PASSPHRASE_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    // Every sealed value names the lock's key; the unlocked key is in the session only.
    const sealed = (await repository.vaultStore.sealedRecords()).flatMap((record: SealedRecord) => Object.values(record.value)).filter((value) => value?.data instanceof ArrayBuffer);
    expect(sealed.map((value: { key?: string }) => value.key)).toEqual(Array(4).fill(lock!.keyName));
    expect(session.held()?.name).toBe(lock!.keyName);
  });

  it('opens nothing after a restart of the browser until unlocked, and refuses a wrong passphrase', async () => {
    const { vault: v, repository } = await vault();
    const connection = await storeSecrets(repository, v);
    await v.enable(PASSPHRASE);

    // A new browser session (or a copy of the profile started elsewhere): the session storage is empty.
    const restarted = createVault(repository.vaultStore, memorySession());
    expect(await restarted.lockState()).toBe('locked');
    await expect(openAll(repository, restarted, connection.id)).rejects.toMatchObject({ code: 'vault-locked' });
    await expect(restarted.seal('new refresh token')).rejects.toMatchObject({ code: 'vault-locked' });
    await expect(restarted.unlock('Winter im Büro 2026')).rejects.toMatchObject({ code: 'passphrase-wrong' });
    expect(await restarted.lockState()).toBe('locked');

    await restarted.unlock(PASSPHRASE);
    expect(await openAll(repository, restarted, connection.id)).toEqual(ALL_OPEN);
    // The worker restarting within the same browser session finds the key in the session.
    expect(await restarted.lockState()).toBe('unlocked');
  });

  it('locks at once when asked', async () => {
    const { vault: v, repository } = await vault();
    const connection = await storeSecrets(repository, v);
    await v.enable(PASSPHRASE);
    await v.lockNow();
    expect(await v.lockState()).toBe('locked');
    await expect(openAll(repository, v, connection.id)).rejects.toMatchObject({ code: 'vault-locked' });
  });

  it('refuses a passphrase shorter than 10 characters, and changes nothing', async () => {
    const { vault: v, repository } = await vault();
    const connection = await storeSecrets(repository, v);
    await expect(v.enable('kurz')).rejects.toMatchObject({ code: 'passphrase-too-short' });
    expect(await v.lockState()).toBe('off');
    expect(await openAll(repository, v, connection.id)).toEqual(ALL_OPEN);
  });

  it('changes the passphrase without sealing anything anew', async () => {
    const { vault: v, repository } = await vault();
    const connection = await storeSecrets(repository, v);
    await v.enable(PASSPHRASE);
    const before = (await repository.secrets(connection.id))!.refreshToken!.iv;
    await expect(v.change('Winter im Büro 2026', 'Herbst im Lager 2027')).rejects.toMatchObject({ code: 'passphrase-wrong' });
    await v.change(PASSPHRASE, 'Herbst im Lager 2027');
    expect((await repository.secrets(connection.id))!.refreshToken!.iv).toEqual(before);

    const restarted = createVault(repository.vaultStore, memorySession());
    await expect(restarted.unlock(PASSPHRASE)).rejects.toMatchObject({ code: 'passphrase-wrong' });
    await restarted.unlock('Herbst im Lager 2027');
    expect(await openAll(repository, restarted, connection.id)).toEqual(ALL_OPEN);
  });

  it('turned off, keeps the same key in the profile again, opened without a passphrase', async () => {
    const { vault: v, repository } = await vault();
    const connection = await storeSecrets(repository, v);
    await v.enable(PASSPHRASE);
    await expect(v.disable('Winter im Büro 2026')).rejects.toMatchObject({ code: 'passphrase-wrong' });
    await v.disable(PASSPHRASE);
    expect(await v.lockState()).toBe('off');

    const restarted = createVault(repository.vaultStore, memorySession());
    expect(await restarted.lockState()).toBe('off');
    expect(await openAll(repository, restarted, connection.id)).toEqual(ALL_OPEN);
    expect(await restarted.open(await restarted.seal('new'))).toBe('new');
    // Turned on again later: a new key, and the old one goes.
    await restarted.enable('Herbst im Lager 2027');
    expect((await everythingStored()).some((value) => value instanceof CryptoKey)).toBe(false);
    expect(await openAll(repository, restarted, connection.id)).toEqual(ALL_OPEN);
  });

  it('a forgotten passphrase deletes the secrets, keeps the connections and asks for a new sign-in', async () => {
    const { vault: v, repository } = await vault();
    const connection = await storeSecrets(repository, v);
    await v.enable(PASSPHRASE);
    const restarted = createVault(repository.vaultStore, memorySession());
    await restarted.forget();

    expect(await restarted.lockState()).toBe('off');
    expect(await repository.secrets(connection.id)).toBeUndefined();
    expect(await repository.revocations()).toEqual([]);
    expect(await repository.holderLink()).toBeUndefined();
    const kept = await repository.get(connection.id);
    expect(kept).toMatchObject({ hasRefreshToken: false, needsReconsent: true, problem: { code: 'secret-unreadable' }, grantExpiry: connection.grantExpiry });
    expect((await repository.events(connection.id)).map((e) => e.type)).toEqual(['consented', 'secrets-forgotten']);
    // New secrets are sealed under a new device key.
    expect(await restarted.open(await restarted.seal('fresh'))).toBe('fresh');
  });

  it('seals again what changed while it was sealing, never storing an older secret over a newer one', async () => {
    const { repository, session } = await vault();
    const plain = createVault(repository.vaultStore, session);
    const connection = await storeSecrets(repository, plain);
    // A renewal stores a rotated refresh token (under the old key) right after the lock read the records.
    let rotated = false;
    const store = {
      ...repository.vaultStore,
      async sealedRecords() {
        const records = await repository.vaultStore.sealedRecords();
        if (!rotated) {
          rotated = true;
          const current = (await repository.secrets(connection.id))!;
          await repository.saveSecrets({ ...current, refreshToken: await plain.seal('rt-rotated') });
        }
        return records;
      },
    };
    const v = createVault(store, session);
    await v.enable(PASSPHRASE);
    expect(await openAll(repository, v, connection.id)).toEqual({ ...ALL_OPEN, refreshToken: 'rt-rotated' });
    expect((await repository.secrets(connection.id))!.refreshToken!.key).toBe((await repository.vaultStore.lock())!.keyName);
  });

  it('drops a value no key opens any more instead of refusing to turn on', async () => {
    const { vault: v, repository } = await vault();
    const connection = await storeSecrets(repository, v);
    const secrets = (await repository.secrets(connection.id))!;
    await repository.saveSecrets({ ...secrets, clientSecret: { ...secrets.clientSecret!, key: 'a-key-long-gone' } });
    await v.enable(PASSPHRASE);
    const after = (await repository.secrets(connection.id))!;
    expect(after.clientSecret).toBeUndefined();
    expect(await v.open(after.refreshToken!)).toBe('rt-shop');
  });
});

describe('lazyVault', () => {
  it('keeps one vault per opened database, and makes a new one when the database is opened anew', async () => {
    const { lazyRepository, lazyVault } = await import('../../../utils/storage/db');
    let closeFirst: () => void = () => undefined;
    let opened = 0;
    const repository = lazyRepository((onClose) => {
      opened += 1;
      if (opened === 1) closeFirst = onClose;
      return openTokenWatchDb(`lazy-vault-${opened}`);
    });
    const vault = lazyVault(repository, memorySession());
    const first = await vault();
    expect(await vault()).toBe(first);
    const sealed = await first.seal('secret');
    closeFirst();
    const second = await vault();
    expect(second).not.toBe(first);
    // A database opened anew has its own key store: what the old one sealed is not opened with another key.
    await expect(second.open(sealed)).rejects.toMatchObject({ code: 'secret-unreadable' });
  });
});
