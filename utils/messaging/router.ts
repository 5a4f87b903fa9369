import { errorCodeOf } from '../errors';
import type { ReadOptions } from '../records/fields';
import { readMessage, readPayload, type Handlers, type MessageType, type Protocol, type Reply } from './protocol';

/** The parts of `runtime.MessageSender` the router looks at. */
export interface Sender {
  id?: string;
  url?: string;
}

function handle<T extends MessageType>(handlers: Handlers, type: T, payload: Record<string, unknown>, options: ReadOptions): Promise<Protocol[T]['response']> {
  return handlers[type](readPayload(type, payload, options));
}

/**
 * One listener for `runtime.onMessage`. Only the extension's own pages may
 * talk to the background: a message from a web page, a content script or
 * another extension is refused before any handler runs.
 */
export function createMessageRouter(
  handlers: Handlers,
  { extensionId, extensionOrigin, allowLoopbackHttp = false, log = console.error }: {
    extensionId: string;
    extensionOrigin: string;
    /** Development builds may reach an authorization server on this machine over plain HTTP. */
    allowLoopbackHttp?: boolean;
    log?: (message: string) => void;
  },
) {
  return async (message: unknown, sender: Sender): Promise<Reply> => {
    // A content script shares the extension's id, but its url is the web page's.
    const fromOwnPage = sender.id === extensionId && !!sender.url?.startsWith(extensionOrigin);
    if (!fromOwnPage) return { ok: false, error: 'forbidden-sender' };
    let type: MessageType | undefined;
    try {
      const read = readMessage(message);
      type = read.type;
      return { ok: true, value: await handle(handlers, read.type, read.payload, { allowLoopbackHttp }) };
    } catch (error) {
      const code = errorCodeOf(error);
      // Names only: a message or stack could quote stored data.
      if (type) log(`Token Watch: ${type} failed (${code}${error instanceof Error ? `, ${error.name}` : ''})`);
      return { ok: false, error: code };
    }
  };
}
