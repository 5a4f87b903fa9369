/**
 * The one protocol between the extension's pages and the background: every message, its payload
 * and its answer. Each payload is read (shape and fields checked) once, where it enters the
 * background (`readMessage`, `readPayload`); handlers then work with typed values only.
 */
import type { Connection, ConnectionEvent } from '../connection';
import { InvalidInputError, TokenWatchError, type ErrorCode } from '../errors';
import type { CustomPlatform, CustomPlatformInput } from '../catalogue/presets';
import type { ConnectionView } from '../catalogue/views';
import type { RefreshOutcome } from '../consent/token-service';
import { isRecord, readDateField, type ReadOptions } from '../records/fields';
import { readConnectionChanges, readConnectionId, readPreferences, readTrackedConnection, type ConnectionChanges, type NewTrackedConnection, type Preferences, type PreferencesChange } from '../records/input';
import { readCustomPlatformInput, readNewConnection, type NewOAuthConnection } from '../records/oauth-input';
import { readImportedRecords, type ImportSummary } from '../records/transfer';
import { readHolderUrl, readMemberKey, readNewHeldGrant } from '../records/holder-input';
import type { HolderStatus, HolderSummary } from '../consent/holder';
import type { LockState } from '../storage/vault';

export type { ErrorCode, HolderStatus, HolderSummary, ImportSummary, LockState };

export type { ConnectionView };

export interface ConnectionList {
  views: ConnectionView[];
  /** The connection whose sign-in window is open, if any. */
  activeConsent: string | null;
  /** The link to the company's token holder; absent when there is none. */
  holder?: HolderSummary;
  /** Stored beyond MAX_CONNECTIONS (by an earlier version): that many, the least urgent, are not in `views`. */
  beyondLimit?: number;
}

export interface NewHeldGrant {
  platformId: string;
  label: string;
  endpointValues?: Record<string, string>;
  scopes?: string[];
}


type ById = { connectionId: string };

/** Every message the extension's pages send to the background, with its answer. */
export interface Protocol {
  'connections/list': { request: object; response: ConnectionList };
  /** What the settings page read from an export file (utils/records/transfer.ts, `runImport`), checked again and stored. */
  'connections/import': { request: { connections: Connection[]; platforms: CustomPlatform[] }; response: { imported: number } };
  'connections/create': { request: { connection: NewOAuthConnection }; response: Connection };
  'connections/remove': { request: ById; response: { revoked: boolean } };
  /** Removes every connection but the administrator's and the token holder's; grants are withdrawn as by 'connections/remove'. */
  'connections/remove-all': { request: object; response: { removed: number } };
  'platforms/add': { request: { platform: CustomPlatformInput }; response: CustomPlatform };
  'platforms/list': { request: object; response: CustomPlatform[] };
  /** Opens the platform's sign-in window; answers when the consent is stored or has failed. */
  'consent/start': { request: ById; response: Connection };
  /** The connection whose sign-in window is open, if any (the popup reads the list itself, not this). */
  'consent/active': { request: object; response: { connectionId: string | null } };
  'tokens/refresh': { request: ById; response: RefreshOutcome };
  /** Adds a credential the extension cannot renew itself, tracked by date. */
  'connections/track': { request: { connection: NewTrackedConnection }; response: Connection };
  'connections/update': { request: ById & { changes: ConnectionChanges }; response: Connection };
  /** A tracked credential was renewed today (with its new end date, where the platform has no fixed lifetime). */
  'connections/renewed': { request: ById & { expiresOn?: string }; response: Connection };
  'connections/events': { request: ById; response: ConnectionEvent[] };
  'preferences/get': { request: object; response: Preferences };
  'preferences/save': { request: { preferences: PreferencesChange }; response: Preferences };
  'holder/status': { request: object; response: HolderStatus | null };
  'holder/connect': { request: { url: string; memberKey: string }; response: HolderStatus | null };
  'holder/disconnect': { request: object; response: { disconnected: true } };
  /** Syncs the holder's list; `ifStale` only when the last sync is a few minutes old. */
  'holder/sync': { request: { ifStale: boolean }; response: { synced: boolean } };
  /** A new grant at the holder: the sign-in window opens here, the holder keeps the tokens. */
  'holder/sign-in-new': { request: { grant: NewHeldGrant }; response: Connection };
  /** The passphrase lock (utils/storage/vault.ts): its state, and each of its steps. */
  'lock/state': { request: object; response: { state: LockState } };
  'lock/enable': { request: { passphrase: string }; response: { state: LockState } };
  'lock/unlock': { request: { passphrase: string }; response: { state: LockState } };
  'lock/lock': { request: object; response: { state: LockState } };
  'lock/change': { request: { current: string; next: string }; response: { state: LockState } };
  'lock/disable': { request: { current: string }; response: { state: LockState } };
  /** The passphrase is forgotten: the secrets go, the connections and their dates stay. */
  'lock/forget': { request: object; response: { state: LockState } };
}

export type MessageType = keyof Protocol;

export type RequestMessage<T extends MessageType = MessageType> = { type: T } & Protocol[T]['request'];

export type Reply<T extends MessageType = MessageType> =
  | { ok: true; value: Protocol[T]['response'] }
  | { ok: false; error: ErrorCode };

export type Handlers = {
  [T in MessageType]: (request: RequestMessage<T>) => Promise<Protocol[T]['response']>;
};

const MAX_PASSPHRASE_CHARS = 1_000;

const byId = (payload: Record<string, unknown>): ById => ({ connectionId: readConnectionId(payload.connectionId) });

/** A passphrase as typed: any text up to a length no passphrase needs (its minimum is the vault's to check). */
function readPassphrase(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_PASSPHRASE_CHARS) throw new InvalidInputError(field);
  return value;
}

/** How each message's payload is read where it enters; the keys are the protocol's message types. */
const READERS: { [T in MessageType]: (payload: Record<string, unknown>, options: ReadOptions) => Protocol[T]['request'] } = {
  'connections/list': () => ({}),
  'connections/import': readImportedRecords,
  'connections/create': (payload, options) => ({ connection: readNewConnection(payload.connection, options) }),
  'connections/remove': byId,
  'connections/remove-all': () => ({}),
  'platforms/add': (payload, options) => ({ platform: readCustomPlatformInput(payload.platform, options) }),
  'platforms/list': () => ({}),
  'consent/start': byId,
  'consent/active': () => ({}),
  'tokens/refresh': byId,
  'connections/track': (payload) => ({ connection: readTrackedConnection(payload.connection) }),
  'connections/update': (payload, options) => ({ ...byId(payload), changes: readConnectionChanges(payload.changes, options) }),
  'connections/renewed': (payload) => {
    const expiresOn = readDateField(payload.expiresOn, 'expiresOn');
    return { ...byId(payload), ...(expiresOn ? { expiresOn } : {}) };
  },
  'connections/events': byId,
  'preferences/get': () => ({}),
  'preferences/save': (payload) => ({ preferences: readPreferences(payload.preferences) }),
  'holder/status': () => ({}),
  'holder/connect': (payload, options) => ({ url: readHolderUrl(payload.url, options), memberKey: readMemberKey(payload.memberKey) }),
  'holder/disconnect': () => ({}),
  'holder/sync': (payload) => ({ ifStale: payload.ifStale === true }),
  'holder/sign-in-new': (payload) => ({ grant: readNewHeldGrant(payload.grant) }),
  'lock/state': () => ({}),
  'lock/enable': (payload) => ({ passphrase: readPassphrase(payload.passphrase, 'passphrase') }),
  'lock/unlock': (payload) => ({ passphrase: readPassphrase(payload.passphrase, 'passphrase') }),
  'lock/lock': () => ({}),
  'lock/change': (payload) => ({ current: readPassphrase(payload.current, 'current'), next: readPassphrase(payload.next, 'next') }),
  'lock/disable': (payload) => ({ current: readPassphrase(payload.current, 'current') }),
  'lock/forget': () => ({}),
};

export function isMessageType(type: unknown): type is MessageType {
  return typeof type === 'string' && Object.hasOwn(READERS, type);
}

export const MESSAGE_TYPES: readonly MessageType[] = Object.keys(READERS).filter(isMessageType);

/** A page's message as the protocol's typed request, or `invalid-request` when it is not one of them. */
export function readMessage(message: unknown): { type: MessageType; payload: Record<string, unknown> } {
  if (!isRecord(message) || !isMessageType(message.type)) throw new TokenWatchError('invalid-request');
  return { type: message.type, payload: message };
}

/** The payload of a message of type `type`, checked field by field (`InvalidInputError` names a wrong one). */
export function readPayload<T extends MessageType>(type: T, payload: Record<string, unknown>, options: ReadOptions = {}): RequestMessage<T> {
  return { type, ...READERS[type](payload, options) };
}
