import { describe, expect, it } from 'vitest';
import { createConnectionRepository, openTokenWatchDb } from '../../../utils/storage/db';
import { createVault, VaultError } from '../../../utils/storage/vault';

async function vault() {
  const repository = createConnectionRepository(await openTokenWatchDb());
  return { vault: createVault(repository.keyStore), repository };
}

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
    const key = await repository.keyStore.getKey('secrets-v1');
    expect(key?.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('raw', key!)).rejects.toThrow();
    const afterRestart = createVault(repository.keyStore);
    expect(await afterRestart.open(sealed)).toBe('token');
  });

  it('refuses damaged data with a VaultError, not garbage', async () => {
    const { vault: v } = await vault();
    const sealed = await v.seal('token');
    const damaged = new Uint8Array(sealed.data.slice(0));
    damaged[0] = damaged[0]! ^ 0xff;
    await expect(v.open({ iv: sealed.iv, data: damaged.buffer })).rejects.toBeInstanceOf(VaultError);
  });

  it('cannot open what another installation sealed', async () => {
    const { vault: mine } = await vault();
    globalThis.indexedDB = new (await import('fake-indexeddb')).IDBFactory();
    const { vault: theirs } = await vault();
    await expect(theirs.open(await mine.seal('token'))).rejects.toBeInstanceOf(VaultError);
  });
});

describe('lazyVault', () => {
  it('keeps one vault per opened database, and makes a new one when the database is opened anew', async () => {
    const { lazyRepository, lazyVault } = await import('../../../utils/storage/db');
    let closeFirst: () => void = () => undefined;
    let opened = 0;
    const { openTokenWatchDb } = await import('../../../utils/storage/db');
    const repository = lazyRepository((onClose) => {
      opened += 1;
      if (opened === 1) closeFirst = onClose;
      return openTokenWatchDb(`lazy-vault-${opened}`);
    });
    const vault = lazyVault(repository);
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
