import { browser } from 'wxt/browser';
import { TokenWatchError, type ErrorCode } from '../errors';
import type { ConnectionChanges } from '../records/input';
import type { MessageType, Protocol, Reply, RequestMessage } from './protocol';

export { errorCodeOf } from '../errors';

/** The background answered with an error the page can explain to the user. */
export class BackgroundError extends TokenWatchError {
  override name = 'BackgroundError';
  constructor(code: ErrorCode) {
    super(code);
  }
}

export type Send = (message: RequestMessage) => Promise<unknown>;

/** One request to the background: its answer, or its error as a BackgroundError. */
export function createRequest(send: Send = (message) => browser.runtime.sendMessage(message)) {
  return async function request<T extends MessageType>(message: RequestMessage<T>): Promise<Protocol[T]['response']> {
    // The background answers every message of the protocol with a Reply (utils/messaging/router.ts).
    const reply = (await send(message)) as Reply<T> | undefined;
    if (!reply) throw new BackgroundError('unexpected');
    if (!reply.ok) throw new BackgroundError(reply.error);
    return reply.value;
  };
}

/**
 * The popup's messages to the background: the list and what its rows do. The settings page adds
 * its own (utils/messaging/options-client.ts), so that the popup's script carries none of them.
 * Tests and previews hand in their own `send`.
 */
export function createBackgroundClient(send?: Send) {
  const request = createRequest(send);
  return {
    listConnections: () => request({ type: 'connections/list' }),
    startConsent: (connectionId: string) => request({ type: 'consent/start', connectionId }),
    activeConsent: async () => (await request({ type: 'consent/active' })).connectionId,
    refresh: (connectionId: string) => request({ type: 'tokens/refresh', connectionId }),
    remove: (connectionId: string) => request({ type: 'connections/remove', connectionId }),
    update: (connectionId: string, changes: ConnectionChanges) => request({ type: 'connections/update', connectionId, changes }),
    renewed: (connectionId: string, expiresOn?: string) =>
      request({ type: 'connections/renewed', connectionId, ...(expiresOn ? { expiresOn } : {}) }),
    syncHolder: (ifStale: boolean) => request({ type: 'holder/sync', ifStale }),
  };
}

export type BackgroundClient = ReturnType<typeof createBackgroundClient>;
