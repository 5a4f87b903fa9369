import type { Vault } from '../storage/vault';
import type { Handlers } from './protocol';

type LockMessages = 'lock/state' | 'lock/enable' | 'lock/unlock' | 'lock/lock' | 'lock/change' | 'lock/disable' | 'lock/forget';

/** The settings page's passphrase lock. Once the key is at hand again, what waited for it runs (`resume`). */
export function createLockHandlers({ vault, resume, changed }: {
  vault: () => Promise<Vault>;
  /** Renews what waited while locked, and syncs the token holder. */
  resume: () => Promise<void>;
  /** Repaints the badge and plans the next wake-up (after the secrets were forgotten). */
  changed: () => Promise<void>;
}): Pick<Handlers, LockMessages> {
  const state = async () => ({ state: await (await vault()).lockState() });
  const thenResume = async () => {
    // What waited runs in the background; the page hears at once that the key is back.
    void resume().catch(() => undefined);
    return state();
  };
  return {
    'lock/state': state,
    'lock/enable': async ({ passphrase }) => {
      await (await vault()).enable(passphrase);
      return state();
    },
    'lock/unlock': async ({ passphrase }) => {
      await (await vault()).unlock(passphrase);
      return thenResume();
    },
    'lock/lock': async () => {
      await (await vault()).lockNow();
      return state();
    },
    'lock/change': async ({ current, next }) => {
      await (await vault()).change(current, next);
      return state();
    },
    'lock/disable': async ({ current }) => {
      await (await vault()).disable(current);
      return thenResume();
    },
    'lock/forget': async () => {
      await (await vault()).forget();
      await changed();
      return state();
    },
  };
}
