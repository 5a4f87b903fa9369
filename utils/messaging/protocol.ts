import type { Connection, ConnectionEvent } from '../connection';
import type { Preferences, StorageErrorCode } from '../storage/db';
import type { OAuthFailureCode } from '../consent/oauth-errors';
import type { CustomPlatform, PlatformKind } from '../catalogue/presets';
import type { RefreshOutcome } from '../consent/token-service';
import type { ImportErrorCode, SkippedEntry } from '../records/transfer';

/** A connection with what the popup needs to show its platform. */
export interface ConnectionView {
  connection: Connection;
  platform: { id: string; name: string; kind: PlatformKind; ruleSource: string };
  /** Host permissions the background needs to renew this connection (asked for from the user's click). */
  hostOrigins: string[];
}

export interface ConnectionList {
  views: ConnectionView[];
  /** The connection whose sign-in window is open, if any. */
  activeConsent: string | null;
}

export interface ImportSummary {
  imported: number;
  skipped: SkippedEntry[];
}

/** Every message the extension's pages send to the background, with its answer. */
export interface Protocol {
  'connections/list': { request: object; response: ConnectionList };
  'connections/import': { request: { document: unknown; actor: string }; response: ImportSummary };
  'connections/create': { request: { connection: unknown; actor: string }; response: Connection };
  'connections/remove': { request: { connectionId: string; actor: string }; response: { revoked: boolean } };
  'platforms/add': { request: { platform: unknown }; response: CustomPlatform };
  'platforms/list': { request: object; response: CustomPlatform[] };
  /** Opens the platform's sign-in window; answers when the consent is stored or has failed. */
  'consent/start': { request: { connectionId: string; actor: string }; response: Connection };
  'tokens/refresh': { request: { connectionId: string; actor: string }; response: RefreshOutcome };
  /** Adds a credential the extension cannot renew itself, tracked by date. */
  'connections/track': { request: { connection: unknown; actor: string }; response: Connection };
  'connections/update': { request: { connectionId: string; changes: unknown; actor: string }; response: Connection };
  /** A tracked credential was renewed today (with its new end date, where the platform has no fixed lifetime). */
  'connections/renewed': { request: { connectionId: string; expiresOn?: string; actor: string }; response: Connection };
  'connections/events': { request: { connectionId: string }; response: ConnectionEvent[] };
  'preferences/get': { request: object; response: Preferences };
  'preferences/save': { request: { preferences: unknown }; response: Preferences };
}

export type MessageType = keyof Protocol;

export type RequestMessage<T extends MessageType = MessageType> = { type: T } & Protocol[T]['request'];

export type ErrorCode =
  | StorageErrorCode
  | ImportErrorCode
  | OAuthFailureCode
  | 'not-found'
  | 'invalid-input'
  | 'secret-unreadable'
  | 'host-access-denied'
  | 'managed'
  | 'invalid-request'
  | 'forbidden-sender'
  | 'unexpected';

export type Reply<T extends MessageType = MessageType> =
  | { ok: true; value: Protocol[T]['response'] }
  | { ok: false; error: ErrorCode };

export type Handlers = {
  [T in MessageType]: (request: RequestMessage<T>) => Promise<Protocol[T]['response']>;
};

export const MESSAGE_TYPES: readonly MessageType[] = [
  'connections/list',
  'connections/import',
  'connections/create',
  'connections/remove',
  'platforms/add',
  'consent/start',
  'tokens/refresh',
  'preferences/get',
  'preferences/save',
  'platforms/list',
  'connections/track',
  'connections/update',
  'connections/renewed',
  'connections/events',
];

export function isRequestMessage(message: unknown): message is RequestMessage {
  return (
    typeof message === 'object' &&
    message !== null &&
    MESSAGE_TYPES.includes((message as { type?: unknown }).type as MessageType)
  );
}
