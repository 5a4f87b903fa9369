/**
 * What the company's token holder answers, read like any other input that enters the extension:
 * a grant with a field out of shape is left out (and counted), never stored half.
 */
import { type Connection, type ConnectionProblem } from '../connection';
import { createConnection } from './new-connection';
import { isInDateRange } from '../expiry/calendar';
import type { DateSource } from '../expiry/rules';
import { fieldsOf, InvalidInputError, isAllowedUrl, isRecord, readStringList, readStrings, readText, type ReadOptions } from './fields';

/** A held grant's connection id: the holder's grant id, marked as the holder's. */
export const heldConnectionId = (grantId: string) => `held-${grantId}`;

const SOURCES: readonly DateSource[] = ['token-response', 'documented', 'user', 'unknown'];
const PROBLEMS: readonly ConnectionProblem['code'][] = ['network', 'platform-unavailable', 'rate-limited', 'client-rejected', 'platform-misconfigured', 'invalid-response', 'secret-unreadable'];

function readInstant(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!isInDateRange(at)) throw new InvalidInputError(field);
  return at;
}

function readId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !/^[\w-]{1,100}$/.test(value)) throw new InvalidInputError(field);
  return value;
}

function readProblem(value: unknown): ConnectionProblem | null {
  if (!isRecord(value)) return null;
  const code = PROBLEMS.find((known) => known === value.code);
  if (!code || typeof value.at !== 'number' || typeof value.attempts !== 'number') return null;
  return { code, at: value.at, attempts: value.attempts, ...(typeof value.retryAt === 'number' ? { retryAt: value.retryAt } : {}) };
}

/**
 * One grant of the holder's list as a connection. What the user keeps locally (warning days, the
 * notifications already shown, a pause) is carried over from `local`.
 */
export function heldConnection(input: unknown, { local, now }: { local?: Connection; now: number }): Connection {
  const grant = fieldsOf(input);
  const grantId = readId(grant.id, 'id');
  const consentedBy = grant.consentedBy === null || grant.consentedBy === undefined ? null : readText(grant.consentedBy, 'consentedBy');
  const needsReconsent = grant.needsReconsent === true;
  const source = SOURCES.find((known) => known === grant.grantExpirySource) ?? 'unknown';
  const scopes = Array.isArray(grant.scopes) ? grant.scopes.filter((scope): scope is string => typeof scope === 'string' && scope.length <= 300).slice(0, 100) : [];
  const base = createConnection(
    {
      platformId: readId(grant.platformId, 'platformId'),
      label: readText(grant.label, 'label'),
      account: readText(grant.account ?? '', 'account', { required: false }),
      requestedBy: consentedBy ?? '',
      consentedAt: readInstant(grant.consentedAt, 'consentedAt'),
      grantExpiry: { at: readInstant(grant.grantExpiresAt, 'grantExpiresAt'), source },
      needsReconsent,
      ...(local ? { warningDays: local.warningDays, paused: local.paused === true } : {}),
    },
    { id: heldConnectionId(grantId), now: local?.createdAt ?? now },
  );
  return {
    ...base,
    scopes,
    refreshedAt: readInstant(grant.refreshedAt, 'refreshedAt'),
    // The holder has the refresh token; "signed in" is what the extension shows of that.
    hasRefreshToken: !needsReconsent && base.consentedAt !== null,
    problem: readProblem(grant.problem),
    notices: local?.notices ?? base.notices,
    held: {
      grantId,
      consentedBy,
      ...(isRecord(grant.endpointValues) ? { endpointValues: readStrings(grant.endpointValues, 'endpointValues') } : {}),
      ...(Array.isArray(grant.chosenScopes) ? { scopes: readStringList(grant.chosenScopes, 'chosenScopes') } : {}),
    },
    updatedAt: now,
  };
}

/** The holder's address: HTTPS (a development build may use one on this machine). */
export function readHolderUrl(value: unknown, options: ReadOptions): string {
  if (typeof value !== 'string' || !isAllowedUrl(value.trim(), options)) throw new InvalidInputError('holderUrl');
  const url = new URL(value.trim());
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** A member key as the holder issues it. */
export function readMemberKey(value: unknown): string {
  if (typeof value !== 'string' || !/^twm_[\w-]{20,100}$/.test(value.trim())) throw new InvalidInputError('memberKey');
  return value.trim();
}

/** A new grant to sign in through the holder, as the settings page sends it. */
export function readNewHeldGrant(input: unknown): { platformId: string; label: string; endpointValues?: Record<string, string>; scopes?: string[] } {
  const grant = fieldsOf(input);
  return {
    platformId: readId(grant.platformId, 'platformId'),
    label: readText(grant.label, 'label'),
    ...(grant.endpointValues !== undefined ? { endpointValues: readStrings(grant.endpointValues, 'endpointValues') } : {}),
    ...(grant.scopes !== undefined ? { scopes: readStringList(grant.scopes, 'scopes') } : {}),
  };
}
