/**
 * Checks what a page asks the background to store. Pages are ours, but their
 * input comes from people: everything is checked, and a refusal names the field.
 */
import { connectionDefaults, DEFAULT_WARNING_DAYS, type Connection, type OAuthClient } from '../connection';
import { atLocalHour, MS_PER_DAY, startOfLocalDay } from '../expiry/calendar';
import type { Preferences } from '../storage/db';
import { grantExpiry, type DatedExpiry, type ExpiryRule } from '../expiry/rules';
import type { CustomPlatform, ExchangeMode, PlatformPreset } from '../catalogue/presets';

export class InvalidInputError extends Error {
  readonly code = 'invalid-input';
  constructor(readonly field: string) {
    super(`invalid-input:${field}`);
    this.name = 'InvalidInputError';
  }
}

const MAX_TEXT = 300;
const EXCHANGES: readonly ExchangeMode[] = ['public', 'secret', 'broker'];

function text(value: unknown, field: string, { required = true } = {}): string {
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || value.length > MAX_TEXT || (required && value.trim() === '')) {
    throw new InvalidInputError(field);
  }
  return value.trim();
}

/** Production builds talk HTTPS only; a development build may use a server on this machine. */
export function isAllowedUrl(value: string, { allowLoopbackHttp = false } = {}): boolean {
  const url = URL.parse(value);
  if (!url || url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  return allowLoopbackHttp && url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

function url(value: unknown, field: string, options: { allowLoopbackHttp?: boolean }): string {
  if (typeof value !== 'string' || !isAllowedUrl(value, options)) throw new InvalidInputError(field);
  return value;
}

function stringRecord(value: unknown, field: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInputError(field);
  const entries = Object.entries(value);
  if (!entries.every(([, v]) => typeof v === 'string' && v.length <= MAX_TEXT)) throw new InvalidInputError(field);
  return Object.fromEntries(entries) as Record<string, string>;
}

/** Every address part the platform needs (Shopify's shop, …), each matching its pattern. */
function endpointValues(fields: readonly { name: string; pattern: string }[], input: unknown): { endpointValues?: Record<string, string> } {
  if (fields.length === 0) return {};
  const values = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const checked: Record<string, string> = {};
  for (const { name, pattern } of fields) {
    const value = values[name];
    if (typeof value !== 'string' || !new RegExp(pattern).test(value.trim())) throw new InvalidInputError(`client.endpointValues.${name}`);
    checked[name] = value.trim();
  }
  return { endpointValues: checked };
}

export interface NewOAuthConnection {
  platformId: string;
  label: string;
  account?: string;
  client: OAuthClient;
  /** For `secret`: sealed by the background before it is stored, never kept in clear. */
  clientSecret?: string;
}

/** The public settings of an OAuth app at this platform: a sign-in method it offers, and every field that method needs. */
export function readOAuthClient(input: unknown, platform: PlatformPreset, options: { allowLoopbackHttp?: boolean } = {}): OAuthClient {
  if (!platform.oauth) throw new InvalidInputError('platformId');
  const client = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const exchange = EXCHANGES.find((mode) => mode === client.exchange);
  if (!exchange || !platform.oauth.exchanges.includes(exchange)) throw new InvalidInputError('client.exchange');
  return {
    clientId: text(client.clientId, 'client.clientId'),
    exchange,
    ...(exchange === 'broker' ? { brokerUrl: url(client.brokerUrl, 'client.brokerUrl', options) } : {}),
    ...(client.redirectName !== undefined ? { redirectName: text(client.redirectName, 'client.redirectName') } : {}),
    ...(client.authorizationParams !== undefined
      ? { authorizationParams: stringRecord(client.authorizationParams, 'client.authorizationParams') }
      : {}),
    ...endpointValues(platform.oauth.fields ?? [], client.endpointValues),
  };
}

export function readNewConnection(
  input: unknown,
  platform: PlatformPreset | undefined,
  options: { allowLoopbackHttp?: boolean } = {},
): NewOAuthConnection {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('connection');
  const value = input as Record<string, unknown>;
  if (!platform?.oauth) throw new InvalidInputError('platformId');
  const client = readOAuthClient(value.client, platform, options);
  const clientSecret = client.exchange === 'secret' ? text(value.clientSecret, 'clientSecret') : undefined;
  return {
    platformId: platform.id,
    label: text(value.label, 'label'),
    account: text(value.account, 'account', { required: false }),
    client,
    ...(clientSecret ? { clientSecret } : {}),
  };
}

/** A new OAuth connection waits for its first consent: "sign-in needed". */
export function newConnection(input: NewOAuthConnection, { id, now, actor }: { id: string; now: number; actor: string }): Connection {
  return {
    id,
    platformId: input.platformId,
    label: input.label,
    account: input.account ?? '',
    consentedAt: null,
    requestedBy: actor,
    accessTokenExpiry: { at: null, source: 'unknown' },
    grantExpiry: { at: null, source: 'unknown' },
    needsReconsent: true,
    warningDays: [...DEFAULT_WARNING_DAYS],
    ...connectionDefaults(),
    client: input.client,
    createdAt: now,
    updatedAt: now,
  };
}

const RULE_KINDS: readonly ExpiryRule['kind'][] = ['fixed', 'sliding', 'response-field', 'user-date', 'unknown'];

function rule(value: unknown, field: string): ExpiryRule {
  const candidate = value as ExpiryRule | undefined;
  if (!candidate || !RULE_KINDS.includes(candidate.kind)) throw new InvalidInputError(field);
  const lifetime = (l: unknown, f: string) => {
    const entries = typeof l === 'object' && l !== null ? Object.entries(l) : [];
    const [unit, amount] = entries[0] ?? [];
    if (entries.length !== 1 || !['seconds', 'days', 'months'].includes(unit!) || !Number.isInteger(amount) || (amount as number) <= 0) {
      throw new InvalidInputError(f);
    }
    return { [unit!]: amount } as { seconds: number };
  };
  switch (candidate.kind) {
    case 'fixed':
      return { kind: 'fixed', lifetime: lifetime(candidate.lifetime, `${field}.lifetime`) };
    case 'sliding':
      return {
        kind: 'sliding',
        lifetime: lifetime(candidate.lifetime, `${field}.lifetime`),
        ...(candidate.hardCap ? { hardCap: lifetime(candidate.hardCap, `${field}.hardCap`) } : {}),
      };
    case 'response-field':
      return { kind: 'response-field', field: text(candidate.field, `${field}.field`), otherwise: rule(candidate.otherwise, `${field}.otherwise`) };
    default:
      return { kind: candidate.kind };
  }
}

/** A platform added by hand or by its issuer; discovery is checked when it is first used. */
export function readCustomPlatform(
  input: unknown,
  { id, now, allowLoopbackHttp = false }: { id: string; now: number; allowLoopbackHttp?: boolean },
): CustomPlatform {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('platform');
  const value = input as Record<string, unknown>;
  const oauth = (value.oauth ?? {}) as Record<string, unknown>;
  const options = { allowLoopbackHttp };
  const endpoints = oauth.endpoints as Record<string, unknown> | undefined;
  if (!oauth.issuer && !endpoints) throw new InvalidInputError('oauth.issuer');
  const scopes = oauth.scopes;
  if (!Array.isArray(scopes) || !scopes.every((scope) => typeof scope === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope))) {
    throw new InvalidInputError('oauth.scopes');
  }
  const exchanges = oauth.exchanges;
  if (!Array.isArray(exchanges) || exchanges.length === 0 || !exchanges.every((mode) => EXCHANGES.includes(mode))) {
    throw new InvalidInputError('oauth.exchanges');
  }
  const tokenTypes = oauth.tokenTypes;
  if (tokenTypes !== undefined && (!Array.isArray(tokenTypes) || !tokenTypes.every((type) => typeof type === 'string'))) {
    throw new InvalidInputError('oauth.tokenTypes');
  }
  return {
    id,
    name: text(value.name, 'name'),
    kind: 'oauth',
    oauth: {
      ...(oauth.issuer !== undefined ? { issuer: url(oauth.issuer, 'oauth.issuer', options) } : {}),
      ...(endpoints
        ? {
            endpoints: {
              authorization: url(endpoints.authorization, 'oauth.endpoints.authorization', options),
              token: url(endpoints.token, 'oauth.endpoints.token', options),
              ...(endpoints.revocation !== undefined ? { revocation: url(endpoints.revocation, 'oauth.endpoints.revocation', options) } : {}),
            },
          }
        : {}),
      scopes: scopes as string[],
      exchanges: exchanges as ExchangeMode[],
      ...(oauth.authorizationParams !== undefined
        ? { authorizationParams: stringRecord(oauth.authorizationParams, 'oauth.authorizationParams') }
        : {}),
      ...(tokenTypes ? { tokenTypes: tokenTypes as string[] } : {}),
    },
    grantRule: rule(value.grantRule, 'grantRule'),
    ruleSource: text(value.ruleSource, 'ruleSource'),
    createdAt: now,
  };
}

/** The user's preferences, checked field by field. */
export function readPreferences(input: unknown): Preferences {
  const value = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const morningHour = value.morningHour;
  if (!Number.isInteger(morningHour) || (morningHour as number) < 0 || (morningHour as number) > 23) {
    throw new InvalidInputError('morningHour');
  }
  return { morningHour: morningHour as number };
}

const MAX_WARNING_DAY = 3660;

function warningDays(value: unknown, field = 'warningDays'): number[] {
  const valid = Array.isArray(value) && value.length <= 20 && value.every((day) => Number.isInteger(day) && day >= 0 && day <= MAX_WARNING_DAY);
  if (!valid) throw new InvalidInputError(field);
  return [...new Set(value as number[])].sort((a, b) => b - a);
}

/** A calendar date from a date field ("2027-03-31") as a local day number. */
function localDay(value: unknown, field: string): number {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(value) : null;
  if (!match) throw new InvalidInputError(field);
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
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
  { expiresOn, issuedOn }: { expiresOn?: unknown; issuedOn?: unknown },
  timeZone: string,
): { grantExpiry: DatedExpiry; consentedAt: number | null } {
  const issued = issuedOn === undefined || issuedOn === '' ? null : atLocalHour(localDay(issuedOn, 'issuedOn'), 12, timeZone);
  if (expiresOn !== undefined && expiresOn !== '') {
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

export function readTrackedConnection(input: unknown, platform: PlatformPreset | undefined): NewTrackedConnection {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('connection');
  const value = input as Record<string, unknown>;
  if (!platform || platform.kind !== 'tracked') throw new InvalidInputError('platformId');
  return {
    platformId: platform.id,
    label: text(value.label, 'label'),
    account: text(value.account, 'account', { required: false }),
    ...(typeof value.expiresOn === 'string' && value.expiresOn ? { expiresOn: value.expiresOn } : {}),
    ...(typeof value.issuedOn === 'string' && value.issuedOn ? { issuedOn: value.issuedOn } : {}),
    ...(value.renewUrl !== undefined && value.renewUrl !== '' ? { renewUrl: url(value.renewUrl, 'renewUrl', {}) } : {}),
    ...(value.warningDays !== undefined ? { warningDays: warningDays(value.warningDays) } : {}),
  };
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
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('changes');
  const value = input as Record<string, unknown>;
  const changes: ConnectionChanges = {};
  if (value.label !== undefined) changes.label = text(value.label, 'label');
  if (value.account !== undefined) changes.account = text(value.account, 'account', { required: false });
  if (value.warningDays !== undefined) changes.warningDays = warningDays(value.warningDays);
  if (value.paused !== undefined) {
    if (typeof value.paused !== 'boolean') throw new InvalidInputError('paused');
    changes.paused = value.paused;
  }
  if (value.renewUrl !== undefined) changes.renewUrl = value.renewUrl === '' ? '' : url(value.renewUrl, 'renewUrl', {});
  if (value.expiresOn !== undefined) changes.expiresOn = text(value.expiresOn, 'expiresOn', { required: false });
  if (value.issuedOn !== undefined) changes.issuedOn = text(value.issuedOn, 'issuedOn', { required: false });
  if (value.clientSecret !== undefined) changes.clientSecret = text(value.clientSecret, 'clientSecret');
  return changes;
}
