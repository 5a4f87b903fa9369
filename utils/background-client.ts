import { browser } from 'wxt/browser';
import type { ErrorCode, MessageType, Protocol, Reply, RequestMessage } from './protocol';

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
  };
}

export type BackgroundClient = ReturnType<typeof createBackgroundClient>;
