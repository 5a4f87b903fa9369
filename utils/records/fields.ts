/**
 * The field readers every entry point shares (a page's message, an import file, the enterprise
 * policy): one set of limits and one refusal, `InvalidInputError`, naming the field.
 */
import { InvalidInputError } from '../errors';
import { isInDateRange, MS_PER_DAY } from '../expiry/calendar';
import { MAX_CONNECTIONS, MAX_TEXT, MAX_URL } from '../limits';

export { InvalidInputError };

export { MAX_CONNECTIONS, MAX_TEXT };
/** At most this many warning days, each at most this many days ahead. */
export const MAX_WARNING_DAYS = 20;
export const MAX_WARNING_DAY = 3660;

export interface ReadOptions {
  /** Development builds may talk to an authorization server on this machine over plain HTTP. */
  allowLoopbackHttp?: boolean;
  /**
   * A page the user is sent to (a renewal page): never at the browser's redirect hosts
   * (identity.getRedirectURL()), which receive sign-ins' answers (catalogue F4).
   */
  page?: boolean;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An object's fields, or none: a missing object then fails on its first required field. */
export const fieldsOf = (value: unknown): Record<string, unknown> => (isRecord(value) ? value : {});

export function readText(value: unknown, field: string, { required = true } = {}): string {
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || value.length > MAX_TEXT || (required && value.trim() === '')) {
    throw new InvalidInputError(field);
  }
  return value.trim();
}

/** An address, where the value is one within the longest an address may be; otherwise null. */
export const parseAddress = (value: string): URL | null => (value.length <= MAX_URL ? URL.parse(value) : null);

/** Production builds talk HTTPS only; a development build may use a server on this machine. */
export function isAllowedUrl(value: string, { allowLoopbackHttp = false, page = false }: ReadOptions = {}): boolean {
  const url = parseAddress(value);
  if (!url || url.username || url.password || (page && /\.(chromiumapp|extensions\.allizom)\.org$/.test(url.hostname))) return false;
  if (url.protocol === 'https:') return true;
  return allowLoopbackHttp && url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

export function readUrl(value: unknown, field: string, options: ReadOptions): string {
  if (typeof value !== 'string' || !isAllowedUrl(value, options)) throw new InvalidInputError(field);
  return value;
}

export function readStrings(value: unknown, field: string): Record<string, string> {
  if (!isRecord(value)) throw new InvalidInputError(field);
  const checked: Record<string, string> = {};
  for (const [name, entry] of Object.entries(value)) {
    if (typeof entry !== 'string' || entry.length > MAX_TEXT || name.length > MAX_TEXT) throw new InvalidInputError(field);
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

export function readStringList(value: unknown, field: string, valid: (entry: string) => boolean = () => true): string[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field);
  const entries: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string' || entry.length > MAX_TEXT || !valid(entry)) throw new InvalidInputError(field);
    entries.push(entry);
  }
  return entries;
}

/** A calendar date from a date field ("2027-03-31") as a local day number. */
export function localDay(value: string, field: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) throw new InvalidInputError(field);
  const [year, month, day] = match.slice(1).map(Number);
  if (year === undefined || month === undefined || day === undefined) throw new InvalidInputError(field);
  const utc = Date.UTC(year, month - 1, day);
  const check = new Date(utc);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || !isInDateRange(utc)) throw new InvalidInputError(field);
  return Math.floor(utc / MS_PER_DAY);
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
