/**
 * Checks what enters the background: a page's message, an import file, the enterprise policy.
 * Pages are ours, but their input comes from people: everything is checked, and a refusal names
 * the field. Shapes are checked where a message enters (utils/messaging/protocol.ts); what depends
 * on the platform is checked against it (`checkClient` in oauth-input.ts, `trackedPlatform` here).
 */
import { type Connection, type OAuthClient } from '../connection';
import { createConnection } from './new-connection';
import type { PlatformPreset } from '../catalogue/types';
import { atLocalHour, inDateRange, startOfLocalDay } from '../expiry/calendar';
import { grantExpiry, type DatedExpiry, type ExpiryRule } from '../expiry/rules';
import { fieldsOf, InvalidInputError, isRecord, localDay, MAX_TEXT, readDateField, readText, readUrl, readWarningDays, type ReadOptions } from './fields';
import { readClient } from './oauth-input';

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

/**
 * The end date of a tracked credential: the date the user read elsewhere (valid
 * through that whole day), or the day it was issued plus the platform's lifetime.
 */
export function trackedExpiry(
  rule: ExpiryRule,
  { expiresOn, issuedOn }: { expiresOn?: string; issuedOn?: string },
  timeZone: string,
): { grantExpiry: DatedExpiry; consentedAt: number | null } {
  // The entered days are in range; the instants they give in the user's zone are brought into it too.
  const issued = issuedOn ? inDateRange(atLocalHour(localDay(issuedOn, 'issuedOn'), 12, timeZone)) : null;
  if (expiresOn) {
    return { grantExpiry: { at: inDateRange(startOfLocalDay(localDay(expiresOn, 'expiresOn') + 1, timeZone) - 1), source: 'user' }, consentedAt: issued };
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
    ...(input.renewUrl !== undefined && input.renewUrl !== '' ? { renewUrl: readUrl(input.renewUrl, 'renewUrl', { page: true }) } : {}),
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
  /** The app settings of a connection that has none yet (an import): its sign-in is set up. */
  client?: OAuthClient;
}

export function readConnectionChanges(input: unknown, options: ReadOptions = {}): ConnectionChanges {
  if (!isRecord(input)) throw new InvalidInputError('changes');
  const changes: ConnectionChanges = {};
  if (input.label !== undefined) changes.label = readText(input.label, 'label');
  if (input.account !== undefined) changes.account = readText(input.account, 'account', { required: false });
  if (input.warningDays !== undefined) changes.warningDays = readWarningDays(input.warningDays);
  if (input.paused !== undefined) {
    if (typeof input.paused !== 'boolean') throw new InvalidInputError('paused');
    changes.paused = input.paused;
  }
  if (input.renewUrl !== undefined) changes.renewUrl = input.renewUrl === '' ? '' : readUrl(input.renewUrl, 'renewUrl', { page: true });
  if (input.expiresOn !== undefined) changes.expiresOn = readDateField(input.expiresOn, 'expiresOn') ?? '';
  if (input.issuedOn !== undefined) changes.issuedOn = readDateField(input.issuedOn, 'issuedOn') ?? '';
  if (input.clientSecret !== undefined) changes.clientSecret = readText(input.clientSecret, 'clientSecret');
  if (input.client !== undefined) changes.client = readClient(input.client, options);
  return changes;
}

/** A connection id as the pages send it: exactly as stored. */
export function readConnectionId(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_TEXT) throw new InvalidInputError('connectionId');
  return value;
}
