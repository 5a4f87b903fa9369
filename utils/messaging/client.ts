import { browser } from 'wxt/browser';
import { TokenWatchError, type ErrorCode } from '../errors';
import type { Connection } from '../connection';
import type { CustomPlatform, CustomPlatformInput } from '../catalogue/types';
import type { ConnectionChanges, NewTrackedConnection, PreferencesChange } from '../records/input';
import type { NewOAuthConnection } from '../records/oauth-input';
import type { MessageType, NewHeldGrant, Protocol, Reply, RequestMessage } from './protocol';

export { errorCodeOf } from '../errors';

/** The background answered with an error the page can explain to the user. */
export class BackgroundError extends TokenWatchError {
  override name = 'BackgroundError';
  constructor(code: ErrorCode) {
    super(code);
  }
}

type Send = (message: RequestMessage) => Promise<unknown>;

/** The pages' only way to the background; tests and previews hand in their own `send`. */
export function createBackgroundClient(send: Send = (message) => browser.runtime.sendMessage(message)) {
  async function request<T extends MessageType>(message: RequestMessage<T>): Promise<Protocol[T]['response']> {
    // The background answers every message of the protocol with a Reply (utils/messaging/router.ts).
    const reply = (await send(message)) as Reply<T> | undefined;
    if (!reply) throw new BackgroundError('unexpected');
    if (!reply.ok) throw new BackgroundError(reply.error);
    return reply.value;
  }

  return {
    listConnections: () => request({ type: 'connections/list' }),
    importConnections: (connections: Connection[], platforms: CustomPlatform[]) => request({ type: 'connections/import', connections, platforms }),
    createConnection: (connection: NewOAuthConnection) => request({ type: 'connections/create', connection }),
    addPlatform: (platform: CustomPlatformInput) => request({ type: 'platforms/add', platform }),
    startConsent: (connectionId: string) => request({ type: 'consent/start', connectionId }),
    activeConsent: async () => (await request({ type: 'consent/active' })).connectionId,
    refresh: (connectionId: string) => request({ type: 'tokens/refresh', connectionId }),
    remove: (connectionId: string) => request({ type: 'connections/remove', connectionId }),
    track: (connection: NewTrackedConnection) => request({ type: 'connections/track', connection }),
    update: (connectionId: string, changes: ConnectionChanges) => request({ type: 'connections/update', connectionId, changes }),
    renewed: (connectionId: string, expiresOn?: string) =>
      request({ type: 'connections/renewed', connectionId, ...(expiresOn ? { expiresOn } : {}) }),
    events: (connectionId: string) => request({ type: 'connections/events', connectionId }),
    listPlatforms: () => request({ type: 'platforms/list' }),
    preferences: () => request({ type: 'preferences/get' }),
    savePreferences: (preferences: PreferencesChange) => request({ type: 'preferences/save', preferences }),
    holderStatus: () => request({ type: 'holder/status' }),
    connectHolder: (url: string, memberKey: string) => request({ type: 'holder/connect', url, memberKey }),
    disconnectHolder: () => request({ type: 'holder/disconnect' }),
    syncHolder: (ifStale: boolean) => request({ type: 'holder/sync', ifStale }),
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

export type BackgroundClient = ReturnType<typeof createBackgroundClient>;
