/**
 * Checks what enters the background: a page's message, an import file, the enterprise policy.
 * Pages are ours, but their input comes from people: everything is checked, and a refusal names
 * the field. Shapes are checked where a message enters (utils/messaging/protocol.ts); what depends
 * on the platform is checked against it (`checkClient`, `trackedPlatform`).
 */
import { InvalidInputError } from '../errors';
import { createConnection, EXCHANGE_MODES, type Connection, type OAuthClient } from '../connection';
import { atLocalHour, MS_PER_DAY, startOfLocalDay } from '../expiry/calendar';
import { grantExpiry, type DatedExpiry, type ExpiryRule } from '../expiry/rules';
import type { CustomPlatform, CustomPlatformInput, PlatformPreset } from '../catalogue/types';

export { InvalidInputError };

/** The longest text a field takes (labels, account names, ids, notes). */
export const MAX_TEXT = 300;
/** At most this many warning days, each at most this many days ahead. */
export const MAX_WARNING_DAYS = 20;
export const MAX_WARNING_DAY = 3660;

export interface ReadOptions {
  /** Development builds may talk to an authorization server on this machine over plain HTTP. */
  allowLoopbackHttp?: boolean;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object's fields, or none: a missing object then fails on its first required field. */
const fieldsOf = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

export function readText(value: unknown, field: string, { required = true } = {}): string {
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || value.length > MAX_TEXT || (required && value.trim() === '')) {
    throw new InvalidInputError(field);
  }
  return value.trim();
}

/** Production builds talk HTTPS only; a development build may use a server on this machine. */
export function isAllowedUrl(value: string, { allowLoopbackHttp = false }: ReadOptions = {}): boolean {
  const url = URL.parse(value);
  if (!url || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return allowLoopbackHttp && url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function readUrl(value: unknown, field: string, options: ReadOptions): string {
  if (typeof value !== 'string' || !isAllowedUrl(value, options)) throw new InvalidInputError(field);
  return value;
}

function readStrings(value: unknown, field: string): Record<string, string> {
  if (!isRecord(value)) throw new InvalidInputError(field);
  const checked: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry !== 'string' || entry.length > MAX_TEXT) throw new InvalidInputError(field);
    checked[name] = entry;
  }
  return checked;
}

/** The days before expiry on which to warn: whole days, each once, latest first. */
export function readWarningDays(value: unknown, field = 'warningDays'): number[] {
  if (!Array.isArray(value) || value.length > MAX_WARNING_DAYS) throw new InvalidInputError(field);
  const days: number[] = [];
  for (const day of value) {
    if (typeof day !== 'number' || !Number.isInteger(day) || day < 0 || day > MAX_WARNING_DAY) throw new InvalidInputError(field);
    days.push(day);
  }
  return [...new Set(days)].sort((a, b) => b - a);
}

/** The address parts as given (strings only); which of them the platform needs, and their form, `checkClient` checks. */
function endpointValuesOf(value: unknown): { endpointValues?: Record<string, string> } {
  if (!isRecord(value)) return {};
  const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length <= MAX_TEXT);
  return { endpointValues: Object.fromEntries(entries) };
}

/** The public settings of an OAuth app, as entered; which of them the platform takes is `checkClient`'s question. */
export function readClient(input: unknown, options: ReadOptions = {}): OAuthClient {
  const client = fieldsOf(input);
  const exchange = EXCHANGE_MODES.find((mode) => mode === client.exchange);
  if (!exchange) throw new InvalidInputError('client.exchange');
  return {
    clientId: readText(client.clientId, 'client.clientId'),
    exchange,
    ...(exchange === 'broker' ? { brokerUrl: readUrl(client.brokerUrl, 'client.brokerUrl', options) } : {}),
    ...(client.redirectName !== undefined ? { redirectName: readText(client.redirectName, 'client.redirectName') } : {}),
    ...(client.authorizationParams !== undefined
      ? { authorizationParams: readStrings(client.authorizationParams, 'client.authorizationParams') }
      : {}),
    ...endpointValuesOf(client.endpointValues),
  };
}

/** The app's settings against its platform: a sign-in method it offers, and every address part it needs (Shopify's shop, …). */
export function checkClient(client: OAuthClient, platform: PlatformPreset | undefined): OAuthClient {
  if (!platform?.oauth) throw new InvalidInputError('platformId');
  if (!platform.oauth.exchanges.includes(client.exchange)) throw new InvalidInputError('client.exchange');
  const fields = platform.oauth.fields ?? [];
  const { endpointValues: given = {}, ...rest } = client;
  if (fields.length === 0) return rest;
  const endpointValues: Record<string, string> = {};
  for (const { name, pattern } of fields) {
    const value = given[name]?.trim();
    if (value === undefined || !new RegExp(pattern).test(value)) throw new InvalidInputError(`client.endpointValues.${name}`);
    endpointValues[name] = value;
  }
  return { ...rest, endpointValues };
}

/** Both steps at once, for input that is checked where it is used (import, policy). */
export function readOAuthClient(input: unknown, platform: PlatformPreset, options: ReadOptions = {}): OAuthClient {
  return checkClient(readClient(input, options), platform);
}

export interface NewOAuthConnection {
  platformId: string;
  label: string;
  account: string;
  client: OAuthClient;
  /** For `secret`: sealed by the background before it is stored, never kept in clear. */
  clientSecret?: string;
}

export function readNewConnection(input: unknown, options: ReadOptions = {}): NewOAuthConnection {
  if (!isRecord(input)) throw new InvalidInputError('connection');
  const client = readClient(input.client, options);
  const clientSecret = client.exchange === 'secret' ? readText(input.clientSecret, 'clientSecret') : undefined;
  return {
    platformId: readText(input.platformId, 'platformId'),
    label: readText(input.label, 'label'),
    account: readText(input.account, 'account', { required: false }),
    client,
    ...(clientSecret ? { clientSecret } : {}),
  };
}

/** A new OAuth connection waits for its first consent: "sign-in needed". */
export function newOAuthConnection(input: NewOAuthConnection, { id, now, actor }: { id: string; now: number; actor: string }): Connection {
  return createConnection(
    { platformId: input.platformId, label: input.label, account: input.account, requestedBy: actor, needsReconsent: true, client: input.client },
    { id, now },
  );
}

const RULE_KINDS: readonly ExpiryRule['kind'][] = ['fixed', 'sliding', 'response-field', 'user-date', 'unknown'];
const LIFETIME_UNITS = ['seconds', 'days', 'months'] as const;

function readLifetime(value: unknown, field: string) {
  const entries = Object.entries(fieldsOf(value));
  const [entry] = entries;
  const unit = LIFETIME_UNITS.find((candidate) => candidate === entry?.[0]);
  const amount = entry?.[1];
  if (entries.length !== 1 || !unit || typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
    throw new InvalidInputError(field);
  }
  switch (unit) {
    case 'seconds':
      return { seconds: amount };
    case 'days':
      return { days: amount };
    case 'months':
      return { months: amount };
  }
}

function readRule(value: unknown, field: string): ExpiryRule {
  const candidate = fieldsOf(value);
  const kind = RULE_KINDS.find((known) => known === candidate.kind);
  switch (kind) {
    case undefined:
      throw new InvalidInputError(field);
    case 'fixed':
      return { kind, lifetime: readLifetime(candidate.lifetime, `${field}.lifetime`) };
    case 'sliding':
      return {
        kind,
        lifetime: readLifetime(candidate.lifetime, `${field}.lifetime`),
        ...(candidate.hardCap ? { hardCap: readLifetime(candidate.hardCap, `${field}.hardCap`) } : {}),
      };
    case 'response-field':
      return { kind, field: readText(candidate.field, `${field}.field`), otherwise: readRule(candidate.otherwise, `${field}.otherwise`) };
    default:
      return { kind };
  }
}

function readStringList(value: unknown, field: string, valid: (entry: string) => boolean = () => true): string[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field);
  const entries: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string' || entry.length > MAX_TEXT || !valid(entry)) throw new InvalidInputError(field);
    entries.push(entry);
  }
  return entries;
}

/** A platform added by hand or by its issuer; discovery is checked when it is first used. */
export function readCustomPlatformInput(input: unknown, options: ReadOptions = {}): CustomPlatformInput {
  if (!isRecord(input)) throw new InvalidInputError('platform');
  const oauth = fieldsOf(input.oauth);
  if (oauth.endpoints !== undefined && !isRecord(oauth.endpoints)) throw new InvalidInputError('oauth.endpoints.authorization');
  const endpoints = isRecord(oauth.endpoints) ? oauth.endpoints : undefined;
  if (!oauth.issuer && !endpoints) throw new InvalidInputError('oauth.issuer');
  // RFC 6749, section 3.3: a scope token is printable ASCII without space, `"` and `\`.
  const scopes = readStringList(oauth.scopes, 'oauth.scopes', (scope) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope));
  // In the order given: the settings form offers the first as the default.
  const exchanges = Array.isArray(oauth.exchanges) ? oauth.exchanges.flatMap((mode) => EXCHANGE_MODES.filter((known) => known === mode)) : [];
  if (!Array.isArray(oauth.exchanges) || exchanges.length === 0 || exchanges.length !== oauth.exchanges.length) {
    throw new InvalidInputError('oauth.exchanges');
  }
  return {
    name: readText(input.name, 'name'),
    oauth: {
      ...(oauth.issuer !== undefined ? { issuer: readUrl(oauth.issuer, 'oauth.issuer', options) } : {}),
      ...(endpoints
        ? {
            endpoints: {
              authorization: readUrl(endpoints.authorization, 'oauth.endpoints.authorization', options),
              token: readUrl(endpoints.token, 'oauth.endpoints.token', options),
              ...(endpoints.revocation !== undefined ? { revocation: readUrl(endpoints.revocation, 'oauth.endpoints.revocation', options) } : {}),
            },
          }
        : {}),
      scopes,
      exchanges,
      ...(oauth.authorizationParams !== undefined
        ? { authorizationParams: readStrings(oauth.authorizationParams, 'oauth.authorizationParams') }
        : {}),
      ...(oauth.tokenTypes !== undefined ? { tokenTypes: readStringList(oauth.tokenTypes, 'oauth.tokenTypes') } : {}),
    },
    grantRule: readRule(input.grantRule, 'grantRule'),
    ruleSource: readText(input.ruleSource, 'ruleSource'),
  };
}

/** The platform as stored: the checked input with its id and the moment it was added. */
export function customPlatform(input: CustomPlatformInput, { id, now }: { id: string; now: number }): CustomPlatform {
  return { id, kind: 'oauth', ...input, createdAt: now };
}

export function readCustomPlatform(input: unknown, { id, now, ...options }: { id: string; now: number } & ReadOptions): CustomPlatform {
  return customPlatform(readCustomPlatformInput(input, options), { id, now });
}

export interface Preferences {
  /** Local hour (0–23) from which warnings are shown. */
  morningHour: number;
  /** The user's name, written into the history as who signed in, added or changed a connection. */
  userName: string;
}

export const DEFAULT_PREFERENCES: Preferences = { morningHour: 9, userName: '' };

/** A change of the preferences: the morning hour, and the name where the page sends one (else it stays). */
export type PreferencesChange = Pick<Preferences, 'morningHour'> & Partial<Pick<Preferences, 'userName'>>;

/** The user's preferences, checked field by field. */
export function readPreferences(input: unknown): PreferencesChange {
  const value = fieldsOf(input);
  const morningHour = value.morningHour;
  if (typeof morningHour !== 'number' || !Number.isInteger(morningHour) || morningHour < 0 || morningHour > 23) {
    throw new InvalidInputError('morningHour');
  }
  return { morningHour, ...(value.userName !== undefined ? { userName: readText(value.userName, 'userName', { required: false }) } : {}) };
}

/** A calendar date from a date field ("2027-03-31") as a local day number. */
function localDay(value: string, field: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new InvalidInputError(field);
  const [year, month, day] = match.slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined) throw new InvalidInputError(field);
  const utc = Date.UTC(year, month - 1, day);
  const check = new Date(utc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) throw new InvalidInputError(field);
  return Math.floor(utc / MS_PER_DAY);
}

/**
 * The end date of a tracked credential: the date the user read elsewhere (valid
 * through that whole day), or the day it was issued plus the platform's lifetime.
 */
export function trackedExpiry(
  rule: ExpiryRule,
  { expiresOn, issuedOn }: { expiresOn?: string; issuedOn?: string },
  timeZone: string,
): { grantExpiry: DatedExpiry; consentedAt: number | null } {
  const issued = issuedOn ? atLocalHour(localDay(issuedOn, 'issuedOn'), 12, timeZone) : null;
  if (expiresOn) {
    return { grantExpiry: { at: startOfLocalDay(localDay(expiresOn, 'expiresOn') + 1, timeZone) - 1, source: 'user' }, consentedAt: issued };
  }
  if (issued !== null) return { grantExpiry: grantExpiry(rule, { consentedAt: issued }), consentedAt: issued };
  return { grantExpiry: { at: null, source: 'unknown' }, consentedAt: null };
}

export interface NewTrackedConnection {
  platformId: string;
  label: string;
  account: string;
  expiresOn?: string;
  issuedOn?: string;
  renewUrl?: string;
  warningDays?: number[];
}

/** A date field's value ("2027-03-31"), or undefined when it is empty. */
export function readDateField(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new InvalidInputError(field);
  const date = value.trim();
  if (date === '') return undefined;
  localDay(date, field);
  return date;
}

export function readTrackedConnection(input: unknown): NewTrackedConnection {
  if (!isRecord(input)) throw new InvalidInputError('connection');
  const expiresOn = readDateField(input.expiresOn, 'expiresOn');
  const issuedOn = readDateField(input.issuedOn, 'issuedOn');
  return {
    platformId: readText(input.platformId, 'platformId'),
    label: readText(input.label, 'label'),
    account: readText(input.account, 'account', { required: false }),
    ...(expiresOn ? { expiresOn } : {}),
    ...(issuedOn ? { issuedOn } : {}),
    ...(input.renewUrl !== undefined && input.renewUrl !== '' ? { renewUrl: readUrl(input.renewUrl, 'renewUrl', {}) } : {}),
    ...(input.warningDays !== undefined ? { warningDays: readWarningDays(input.warningDays) } : {}),
  };
}

/** The platform of a credential tracked by date; an OAuth platform or an unknown one is refused. */
export function trackedPlatform(platform: PlatformPreset | undefined): PlatformPreset {
  if (!platform || platform.kind !== 'tracked') throw new InvalidInputError('platformId');
  return platform;
}

/** A credential tracked by date, from its checked input: its end date from the user's dates and the platform's rule. */
export function newTrackedConnection(
  input: NewTrackedConnection,
  platform: PlatformPreset,
  { id, now, actor, timeZone }: { id: string; now: number; actor: string; timeZone: string },
): Connection {
  return createConnection(
    {
      platformId: input.platformId,
      label: input.label,
      account: input.account,
      requestedBy: actor,
      ...trackedExpiry(platform.grantRule, input, timeZone),
      ...(input.warningDays ? { warningDays: input.warningDays } : {}),
      ...(input.renewUrl ? { renewUrl: input.renewUrl } : {}),
    },
    { id, now },
  );
}

/** What the options page may change on a connection; absent fields stay as they are. */
export interface ConnectionChanges {
  label?: string;
  account?: string;
  warningDays?: number[];
  paused?: boolean;
  /** An empty string removes the renewal page. */
  renewUrl?: string;
  expiresOn?: string;
  issuedOn?: string;
  clientSecret?: string;
}

export function readConnectionChanges(input: unknown): ConnectionChanges {
  if (!isRecord(input)) throw new InvalidInputError('changes');
  const changes: ConnectionChanges = {};
  if (input.label !== undefined) changes.label = readText(input.label, 'label');
  if (input.account !== undefined) changes.account = readText(input.account, 'account', { required: false });
  if (input.warningDays !== undefined) changes.warningDays = readWarningDays(input.warningDays);
  if (input.paused !== undefined) {
    if (typeof input.paused !== 'boolean') throw new InvalidInputError('paused');
    changes.paused = input.paused;
  }
  if (input.renewUrl !== undefined) changes.renewUrl = input.renewUrl === '' ? '' : readUrl(input.renewUrl, 'renewUrl', {});
  if (input.expiresOn !== undefined) changes.expiresOn = readDateField(input.expiresOn, 'expiresOn') ?? '';
  if (input.issuedOn !== undefined) changes.issuedOn = readDateField(input.issuedOn, 'issuedOn') ?? '';
  if (input.clientSecret !== undefined) changes.clientSecret = readText(input.clientSecret, 'clientSecret');
  return changes;
}

/** A connection id as the pages send it: exactly as stored. */
export function readConnectionId(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_TEXT) throw new InvalidInputError('connectionId');
  return value;
}
