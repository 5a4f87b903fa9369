import { browser } from 'wxt/browser';
import type { ErrorCode, MessageType, Protocol, Reply, RequestMessage } from './protocol';

/** The error code of anything a background call threw. */
export function errorCodeOf(error: unknown): ErrorCode {
  return error instanceof BackgroundError ? error.code : 'unexpected';
}

/** The background answered with an error the page can explain to the user. */
export class BackgroundError extends Error {
  constructor(readonly code: ErrorCode) {
    super(code);
    this.name = 'BackgroundError';
  }
}

type Send = (message: RequestMessage) => Promise<unknown>;

/** The pages' only way to the background; tests and previews hand in their own `send`. */
export function createBackgroundClient(send: Send = (message) => browser.runtime.sendMessage(message)) {
  async function request<T extends MessageType>(message: RequestMessage<T>): Promise<Protocol[T]['response']> {
    const reply = (await send(message)) as Reply<T> | undefined;
    if (!reply) throw new BackgroundError('unexpected');
    if (!reply.ok) throw new BackgroundError(reply.error);
    return reply.value;
  }

  return {
    listConnections: () => request({ type: 'connections/list' }),
    importConnections: (document: unknown, actor: string) =>
      request({ type: 'connections/import', document, actor }),
    createConnection: (connection: unknown, actor: string) => request({ type: 'connections/create', connection, actor }),
    addPlatform: (platform: unknown) => request({ type: 'platforms/add', platform }),
    startConsent: (connectionId: string, actor: string) => request({ type: 'consent/start', connectionId, actor }),
    refresh: (connectionId: string, actor: string) => request({ type: 'tokens/refresh', connectionId, actor }),
    remove: (connectionId: string, actor: string) => request({ type: 'connections/remove', connectionId, actor }),
    track: (connection: unknown, actor: string) => request({ type: 'connections/track', connection, actor }),
    update: (connectionId: string, changes: unknown, actor: string) => request({ type: 'connections/update', connectionId, changes, actor }),
    renewed: (connectionId: string, actor: string, expiresOn?: string) =>
      request({ type: 'connections/renewed', connectionId, actor, ...(expiresOn ? { expiresOn } : {}) }),
    events: (connectionId: string) => request({ type: 'connections/events', connectionId }),
    listPlatforms: () => request({ type: 'platforms/list' }),
    preferences: () => request({ type: 'preferences/get' }),
    savePreferences: (preferences: unknown) => request({ type: 'preferences/save', preferences }),
  };
}

export type BackgroundClient = ReturnType<typeof createBackgroundClient>;
