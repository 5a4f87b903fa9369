import type { HolderCompanion } from '../consent/holder';
import type { Handlers } from './protocol';

type HolderMessages = 'holder/status' | 'holder/connect' | 'holder/disconnect' | 'holder/sync' | 'holder/sign-in-new';

/** The settings page's link to the company's token holder, and the popup's sync when its list is stale. */
export function createHolderHandlers({ holder, syncAlarm }: {
  holder: HolderCompanion;
  /** Plans (or, with false, ends) the hourly sync alarm. */
  syncAlarm: (on: boolean) => Promise<unknown>;
}): Pick<Handlers, HolderMessages> {
  return {
    'holder/status': () => holder.status(),
    'holder/connect': async ({ url, memberKey }) => {
      const status = await holder.connect({ url, memberKey });
      await syncAlarm(true);
      return status;
    },
    'holder/disconnect': async () => {
      await holder.disconnect();
      await syncAlarm(false);
      return { disconnected: true };
    },
    'holder/sync': async ({ ifStale }) => {
      if (ifStale) return { synced: await holder.syncIfStale() };
      await holder.sync();
      return { synced: true };
    },
    'holder/sign-in-new': ({ grant }) => holder.signInNew(grant),
  };
}
