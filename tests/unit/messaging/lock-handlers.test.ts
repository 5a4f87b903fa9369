import { describe, expect, it, vi } from 'vitest';
import { createLockHandlers } from '../../../utils/messaging/lock-handlers';
import { lazyRepository, lazyVault } from '../../../utils/storage/db';
import { memorySession, send } from '../fixtures';

const PASSPHRASE = 'Sommer im Büro 2026';

function setup() {
  const repository = lazyRepository();
  const session = memorySession();
  const resume = vi.fn(async () => undefined);
  const changed = vi.fn(async () => undefined);
  const handlers = createLockHandlers({ vault: lazyVault(repository, session), resume, changed });
  return { handlers, resume, changed, session };
}

describe('the passphrase lock’s messages', () => {
  it('turn it on, lock, and unlock, running what waited once the key is back', async () => {
    const { handlers, resume, session } = setup();
    expect(await send(handlers, { type: 'lock/state' })).toEqual({ state: 'off' });
    expect(await send(handlers, { type: 'lock/enable', passphrase: PASSPHRASE })).toEqual({ state: 'unlocked' });
    expect(await send(handlers, { type: 'lock/lock' })).toEqual({ state: 'locked' });
    expect(session.held()).toBeUndefined();
    await expect(send(handlers, { type: 'lock/unlock', passphrase: 'Winter im Büro 2026' })).rejects.toMatchObject({ code: 'passphrase-wrong' });
    expect(resume).not.toHaveBeenCalled();
    expect(await send(handlers, { type: 'lock/unlock', passphrase: PASSPHRASE })).toEqual({ state: 'unlocked' });
    expect(resume).toHaveBeenCalledOnce();
  });

  it('read a passphrase as typed, refusing none and one beyond any passphrase’s length', async () => {
    const { handlers } = setup();
    await expect(send(handlers, { type: 'lock/enable', passphrase: '' })).rejects.toMatchObject({ code: 'invalid-input', field: 'passphrase' });
    await expect(send(handlers, { type: 'lock/enable', passphrase: 'x'.repeat(1_001) })).rejects.toMatchObject({ code: 'invalid-input', field: 'passphrase' });
    await expect(send(handlers, { type: 'lock/enable', passphrase: 'kurz' })).rejects.toMatchObject({ code: 'passphrase-too-short' });
  });

  it('forget the secrets with a forgotten passphrase, then repaint', async () => {
    const { handlers, changed } = setup();
    await send(handlers, { type: 'lock/enable', passphrase: PASSPHRASE });
    expect(await send(handlers, { type: 'lock/forget' })).toEqual({ state: 'off' });
    expect(changed).toHaveBeenCalled();
  });
});
