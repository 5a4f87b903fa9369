import { InvalidInputError } from '../records/input';
import { NotFoundError, StorageError } from '../storage/db';
import { ManagedConnectionError } from './oauth-handlers';
import { OAuthFailure } from '../consent/oauth-errors';
import { isRequestMessage, type ErrorCode, type Handlers, type MessageType, type Reply } from './protocol';
import { ImportError } from '../records/transfer';
import { VaultError } from '../storage/vault';

/** The parts of `runtime.MessageSender` the router looks at. */
export interface Sender {
  id?: string;
  url?: string;
}

const EXPLAINED_ERRORS = [StorageError, ImportError, OAuthFailure, NotFoundError, InvalidInputError, VaultError, ManagedConnectionError];

function errorCode(error: unknown): ErrorCode {
  return EXPLAINED_ERRORS.some((type) => error instanceof type) ? (error as { code: ErrorCode }).code : 'unexpected';
}

/**
 * One listener for `runtime.onMessage`. Only the extension's own pages may
 * talk to the background: a message from a web page, a content script or
 * another extension is refused before any handler runs.
 */
export function createMessageRouter(
  handlers: Handlers,
  { extensionId, extensionOrigin, log = console.error }: {
    extensionId: string;
    extensionOrigin: string;
    log?: (message: string) => void;
  },
) {
  return async (message: unknown, sender: Sender): Promise<Reply> => {
    // A content script shares the extension's id, but its url is the web page's.
    const fromOwnPage = sender.id === extensionId && !!sender.url?.startsWith(extensionOrigin);
    if (!fromOwnPage) return { ok: false, error: 'forbidden-sender' };
    if (!isRequestMessage(message)) return { ok: false, error: 'invalid-request' };
    const handler = handlers[message.type] as (request: typeof message) => Promise<unknown>;
    try {
      return { ok: true, value: await handler(message) } as Reply<MessageType>;
    } catch (error) {
      const code = errorCode(error);
      // Names only: a message or stack could quote stored data.
      log(`Token Watch: ${message.type} failed (${code}${error instanceof Error ? `, ${error.name}` : ''})`);
      return { ok: false, error: code };
    }
  };
}
