import type { Connection } from '../connection';
import type { CustomPlatform, CustomPlatformInput } from '../catalogue/types';
import type { NewTrackedConnection, PreferencesChange } from '../records/input';
import type { NewOAuthConnection } from '../records/oauth-input';
import { createBackgroundClient, createRequest, type Send } from './client';
import type { NewHeldGrant } from './protocol';

/** The settings page's messages to the background: the popup's, and adding, importing, the holder, the lock. */
export function createOptionsClient(send?: Send) {
  const request = createRequest(send);
  return {
    ...createBackgroundClient(send),
    importConnections: (connections: Connection[], platforms: CustomPlatform[]) => request({ type: 'connections/import', connections, platforms }),
    createConnection: (connection: NewOAuthConnection) => request({ type: 'connections/create', connection }),
    addPlatform: (platform: CustomPlatformInput) => request({ type: 'platforms/add', platform }),
    track: (connection: NewTrackedConnection) => request({ type: 'connections/track', connection }),
    events: (connectionId: string) => request({ type: 'connections/events', connectionId }),
    listPlatforms: () => request({ type: 'platforms/list' }),
    preferences: () => request({ type: 'preferences/get' }),
    savePreferences: (preferences: PreferencesChange) => request({ type: 'preferences/save', preferences }),
    holderStatus: () => request({ type: 'holder/status' }),
    connectHolder: (url: string, memberKey: string) => request({ type: 'holder/connect', url, memberKey }),
    disconnectHolder: () => request({ type: 'holder/disconnect' }),
    signInHeld: (grant: NewHeldGrant) => request({ type: 'holder/sign-in-new', grant }),
    removeAll: () => request({ type: 'connections/remove-all' }),
    lockState: async () => (await request({ type: 'lock/state' })).state,
    enableLock: async (passphrase: string) => (await request({ type: 'lock/enable', passphrase })).state,
    unlock: async (passphrase: string) => (await request({ type: 'lock/unlock', passphrase })).state,
    lockNow: async () => (await request({ type: 'lock/lock' })).state,
    changePassphrase: async (current: string, next: string) => (await request({ type: 'lock/change', current, next })).state,
    disableLock: async (current: string) => (await request({ type: 'lock/disable', current })).state,
    forgetSecrets: async () => (await request({ type: 'lock/forget' })).state,
  };
}

export type OptionsClient = ReturnType<typeof createOptionsClient>;
