import type { Connection } from './connection';
import type { StorageErrorCode } from './db';
import type { PlatformKind } from './presets';
import type { ImportErrorCode, SkippedEntry } from './transfer';

/** A connection with what the popup needs to show its platform. */
export interface ConnectionView {
  connection: Connection;
  platform: { id: string; name: string; kind: PlatformKind };
}

export interface ImportSummary {
  imported: number;
  skipped: SkippedEntry[];
}

/** Every message the extension's pages send to the background, with its answer. */
export interface Protocol {
  'connections/list': { request: object; response: ConnectionView[] };
  'connections/import': { request: { document: unknown; actor: string }; response: ImportSummary };
}

export type MessageType = keyof Protocol;

export type RequestMessage<T extends MessageType = MessageType> = { type: T } & Protocol[T]['request'];

export type ErrorCode =
  | StorageErrorCode
  | ImportErrorCode
  | 'invalid-request'
  | 'forbidden-sender'
  | 'unexpected';

export type Reply<T extends MessageType = MessageType> =
  | { ok: true; value: Protocol[T]['response'] }
  | { ok: false; error: ErrorCode };

export type Handlers = {
  [T in MessageType]: (request: RequestMessage<T>) => Promise<Protocol[T]['response']>;
};

const MESSAGE_TYPES: readonly MessageType[] = ['connections/list', 'connections/import'];

export function isRequestMessage(message: unknown): message is RequestMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    MESSAGE_TYPES.includes((message as { type?: unknown }).type as MessageType)
  );
}
