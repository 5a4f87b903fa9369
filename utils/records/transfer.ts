import { TokenWatchError, type ImportErrorCode } from '../errors';
import { isWholeConnection, type Connection, type OAuthClient } from '../connection';
import { createConnection } from './new-connection';
import { InvalidInputError } from '../errors';
import { isAllowedUrl, isRecord, MAX_CONNECTIONS, MAX_TEXT, readWarningDays, type ReadOptions } from './fields';
import { readCustomPlatform, readOAuthClient } from './oauth-input';
import { isInDateRange } from '../expiry/calendar';
import type { DateSource, DatedExpiry } from '../expiry/rules';
import { findPlatform, type CustomPlatform, type PlatformPreset } from '../catalogue/presets';
import { MAX_IMPORT_BYTES } from '../limits';

/**
 * The export file: connections, their dates and their apps' public settings,
 * never tokens or secrets. `version` changes whenever a field changes meaning;
 * import reads every version it knows (1: dates only; 2: adds the OAuth app's
 * public settings, the renewal page, paused, and custom platforms) and refuses others.
 */
export const EXPORT_FORMAT = 'token-watch';
export const EXPORT_VERSION = 2;
const READABLE_VERSIONS = [1, 2];

export interface ExportedConnection {
  platformId: string;
  label: string;
  account: string;
  consentedAt: string | null;
  requestedBy: string;
  grantExpiry: { at: string | null; source: DateSource };
  needsReconsent: boolean;
  warningDays: number[];
  /** Version 2: the app's public settings; its secret is never exported. */
  client?: OAuthClient;
  renewUrl?: string;
  paused?: boolean;
}

export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: number;
  exportedAt: string;
  connections: ExportedConnection[];
  /** Version 2: the custom platforms the connections refer to. */
  platforms?: Omit<CustomPlatform, 'createdAt'>[];
}

/** The file as a whole cannot be read as an export. */
export class ImportError extends TokenWatchError<ImportErrorCode> {
  override name = 'ImportError';
}

export type SkipReason =
  | 'not-an-object'
  | 'missing-field'
  | 'unknown-platform'
  | 'invalid-date'
  | 'invalid-warning-days'
  | 'duplicate'
  /** It would send sign-in codes to an address the user did not confirm. */
  | 'unconfirmed-address'
  /** A label, account or name is longer than any form takes (MAX_TEXT). */
  | 'text-too-long'
  /** Token Watch already keeps MAX_CONNECTIONS connections. */
  | 'limit-reached';

export interface SkippedEntry {
  /** Position in the file, counting from 1 as a person would. */
  position: number;
  label: string;
  reason: SkipReason;
  field?: string;
}

/** What an import did, as the settings page reports it. */
export interface ImportSummary {
  imported: number;
  skipped: SkippedEntry[];
  /** Entries imported without their renewal page, which was not an HTTPS address. */
  withoutRenewalPage?: Omit<SkippedEntry, 'reason' | 'field'>[];
  /** Set, with nothing imported, when the file would send sign-in codes to these addresses: the user confirms each first. */
  unconfirmed?: string[];
}

export interface ImportResult {
  connections: Connection[];
  /** Custom platforms from the file that are not known here yet. */
  platforms: CustomPlatform[];
  skipped: SkippedEntry[];
  /** Entries imported without their renewal page, which was not an HTTPS address (`javascript:`, `data:`, `http:`). */
  withoutRenewalPage: Omit<SkippedEntry, 'reason' | 'field'>[];
  /**
   * Where the file would have sign-in codes sent (a custom platform's sign-in and token addresses,
   * a broker) that the user has not confirmed: those platforms and connections are left out.
   */
  unconfirmed: string[];
}

/** The origins a custom platform's sign-in sends codes and tokens to. */
function codeDestinations(platform: CustomPlatform): string[] {
  const { issuer, endpoints } = platform.oauth;
  const urls = [issuer, endpoints?.authorization, endpoints?.token, endpoints?.revocation].filter((url): url is string => url !== undefined);
  return [...new Set(urls.map((url) => new URL(url).origin))];
}

const DATE_SOURCES: readonly DateSource[] = ['token-response', 'documented', 'user', 'unknown'];

class SkipEntry extends Error {
  constructor(
    readonly reason: SkipReason,
    readonly field?: string,
  ) {
    super(reason);
  }
}

export function exportDocument(
  connections: readonly Connection[],
  now: number,
  customPlatforms: readonly CustomPlatform[] = [],
): ExportDocument {
  const iso = (instant: number | null) => (instant === null ? null : new Date(instant).toISOString());
  const used = new Set(connections.map((connection) => connection.platformId));
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    platforms: customPlatforms.filter((platform) => used.has(platform.id)).map(({ createdAt: _createdAt, ...platform }) => platform),
    connections: connections.map((connection) => ({
      platformId: connection.platformId,
      label: connection.label,
      account: connection.account,
      consentedAt: iso(connection.consentedAt),
      requestedBy: connection.requestedBy,
      grantExpiry: { at: iso(connection.grantExpiry.at), source: connection.grantExpiry.source },
      needsReconsent: connection.needsReconsent,
      warningDays: [...connection.warningDays],
      ...(connection.client ? { client: { ...connection.client } } : {}),
      ...(connection.renewUrl ? { renewUrl: connection.renewUrl } : {}),
      ...(connection.paused ? { paused: true } : {}),
    })),
  };
}

/** The OAuth app's public settings, checked as when they were entered; an entry with wrong ones is skipped. */
function clientOf(value: unknown, platform: PlatformPreset): OAuthClient {
  try {
    return readOAuthClient(value, platform);
  } catch (error) {
    if (error instanceof InvalidInputError) throw new SkipEntry('missing-field', error.field);
    throw error;
  }
}

/** A text of the entry, within the forms' limit; `required` ones must not be empty. */
function textOf(entry: Record<string, unknown>, field: string, { required = false } = {}): string {
  const value = entry[field];
  if (value === undefined && !required) return '';
  if (typeof value !== 'string' || (required && value.trim() === '')) throw new SkipEntry('missing-field', field);
  if (value.length > MAX_TEXT) throw new SkipEntry('text-too-long', field);
  return value.trim();
}

function optionalDate(value: unknown, field: string): number | null {
  if (value === null || value === undefined) return null;
  const instant = typeof value === 'string' ? Date.parse(value) : NaN;
  if (!isInDateRange(instant)) throw new SkipEntry('invalid-date', field);
  return instant;
}

function readGrantExpiry(value: unknown): DatedExpiry {
  if (value === undefined || value === null) return { at: null, source: 'unknown' };
  if (!isRecord(value)) throw new SkipEntry('invalid-date', 'grantExpiry');
  const at = optionalDate(value.at, 'grantExpiry.at');
  if (at === null) return { at: null, source: 'unknown' };
  // A date is only worth as much as its source, so a date must say where it comes from.
  const source = DATE_SOURCES.find((candidate) => candidate === value.source && candidate !== 'unknown');
  if (!source) throw new SkipEntry('missing-field', 'grantExpiry.source');
  return { at, source };
}

function warningDaysOf(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  try {
    return readWarningDays(value);
  } catch {
    throw new SkipEntry('invalid-warning-days', 'warningDays');
  }
}

/** What makes two connections the same one for an import: platform, account and label, in any case. */
export const identity = (connection: Pick<Connection, 'platformId' | 'account' | 'label'>) =>
  [connection.platformId, connection.account, connection.label]
    .map((part) => part.trim().toLowerCase())
    .join('\u0000');

/**
 * Validates an export file entry by entry. A bad entry is skipped with its
 * reason; the good ones are kept. Only a file that is not an export at all
 * is refused as a whole.
 */
export function parseImport(
  input: unknown,
  existing: readonly Connection[],
  {
    now,
    newId,
    customPlatforms = [],
    confirmedHosts = [],
  }: {
    now: number;
    newId: () => string;
    customPlatforms?: readonly CustomPlatform[];
    /** Origins the user confirmed, on a screen that showed each in full, as places to send sign-in codes. */
    confirmedHosts?: readonly string[];
  },
): ImportResult {
  let document = input;
  if (typeof input === 'string') {
    try {
      document = JSON.parse(input);
    } catch {
      throw new ImportError('import-bad-json');
    }
  }
  if (!isRecord(document) || document.format !== EXPORT_FORMAT || !Array.isArray(document.connections)) {
    throw new ImportError('import-not-an-export');
  }
  if (!READABLE_VERSIONS.includes(document.version as number)) throw new ImportError('import-unknown-version');
  if (document.connections.length > MAX_CONNECTIONS) throw new ImportError('import-too-many');

  const seen = new Set(existing.map(identity));
  const result: ImportResult = { connections: [], platforms: [], skipped: [], withoutRenewalPage: [], unconfirmed: [] };
  const confirmed = (origins: readonly string[]) => {
    const missing = origins.filter((origin) => !confirmedHosts.includes(origin));
    for (const origin of missing) if (!result.unconfirmed.includes(origin)) result.unconfirmed.push(origin);
    return missing.length === 0;
  };
  /** Platforms of the file held back until their addresses are confirmed. */
  const heldBack = new Set<string>();
  // Custom platforms first: the connections refer to them. One that does not validate is left out,
  // and so, as unknown platforms, are its connections.
  const known = [...customPlatforms];
  for (const platform of Array.isArray(document.platforms) ? document.platforms : []) {
    const id = isRecord(platform) && typeof platform.id === 'string' && platform.id.startsWith('custom-') ? platform.id : undefined;
    if (!id || known.some((candidate) => candidate.id === id)) continue;
    try {
      const read = readCustomPlatform(platform, { id, now });
      if (!confirmed(codeDestinations(read))) {
        heldBack.add(id);
        continue;
      }
      known.push(read);
      result.platforms.push(read);
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
    }
  }
  document.connections.forEach((entry: unknown, index) => {
    const position = index + 1;
    const label = isRecord(entry) && typeof entry.label === 'string' ? entry.label : '';
    try {
      if (!isRecord(entry)) throw new SkipEntry('not-an-object');
      if (existing.length + result.connections.length >= MAX_CONNECTIONS) throw new SkipEntry('limit-reached');
      const platformId = textOf(entry, 'platformId', { required: true });
      if (heldBack.has(platformId)) throw new SkipEntry('unconfirmed-address', 'platformId');
      const platform = findPlatform(platformId, known);
      if (!platform) throw new SkipEntry('unknown-platform', 'platformId');
      const client = entry.client === undefined || platform.kind !== 'oauth' ? undefined : clientOf(entry.client, platform);
      if (client?.brokerUrl && !confirmed([new URL(client.brokerUrl).origin])) throw new SkipEntry('unconfirmed-address', 'client.brokerUrl');
      const warningDays = warningDaysOf(entry.warningDays);
      const renewUrl = typeof entry.renewUrl === 'string' ? entry.renewUrl : '';
      const connection = createConnection(
        {
          platformId,
          label: textOf(entry, 'label', { required: true }),
          account: typeof entry.account === 'string' ? textOf(entry, 'account') : '',
          consentedAt: optionalDate(entry.consentedAt, 'consentedAt'),
          requestedBy: typeof entry.requestedBy === 'string' ? textOf(entry, 'requestedBy') : '',
          grantExpiry: readGrantExpiry(entry.grantExpiry),
          needsReconsent: entry.needsReconsent === true,
          ...(warningDays ? { warningDays } : {}),
          ...(client ? { client } : {}),
          ...(isAllowedUrl(renewUrl, { page: true }) ? { renewUrl } : {}),
          paused: entry.paused === true,
        },
        { id: newId(), now },
      );
      const key = identity(connection);
      if (seen.has(key)) throw new SkipEntry('duplicate');
      seen.add(key);
      result.connections.push(connection);
      if (renewUrl && !connection.renewUrl) result.withoutRenewalPage.push({ position, label });
    } catch (error) {
      if (!(error instanceof SkipEntry)) throw error;
      result.skipped.push({ position, label, reason: error.reason, ...(error.field ? { field: error.field } : {}) });
    }
  });
  return result;
}

/**
 * An import as the settings page runs it, like the export: the file is read there, entry by entry,
 * against what is stored (`existing`, `customPlatforms`); what it keeps goes to the background
 * (`store`), which checks it again and stores it. Nothing is stored while the file would send
 * sign-in codes to an address the user has not confirmed yet (`confirmedHosts` absent).
 */
export async function runImport(
  document: string,
  { existing, customPlatforms, confirmedHosts, store, now = Date.now(), newId = () => crypto.randomUUID() }: {
    existing: readonly Connection[];
    customPlatforms: readonly CustomPlatform[];
    confirmedHosts?: readonly string[];
    store: (connections: Connection[], platforms: CustomPlatform[]) => Promise<{ imported: number }>;
    now?: number;
    newId?: () => string;
  },
): Promise<ImportSummary> {
  // A file of so many bytes holds at most as many characters.
  if (document.length > MAX_IMPORT_BYTES) throw new ImportError('import-too-large');
  const read = parseImport(document, existing, { now, newId, customPlatforms, ...(confirmedHosts ? { confirmedHosts } : {}) });
  if (read.unconfirmed.length > 0 && !confirmedHosts) return { imported: 0, skipped: [], unconfirmed: read.unconfirmed };
  const { imported } = read.connections.length + read.platforms.length > 0 ? await store(read.connections, read.platforms) : { imported: 0 };
  return { imported, skipped: read.skipped, ...(read.withoutRenewalPage.length > 0 ? { withoutRenewalPage: read.withoutRenewalPage } : {}) };
}

/**
 * The connections and platforms an import adds, as the settings page read them from the file:
 * checked again where they enter the background: whole connections, texts within the forms'
 * limits, at most MAX_CONNECTIONS, platforms as when they were added.
 */
export function readImportedRecords(input: Record<string, unknown>, options: ReadOptions): { connections: Connection[]; platforms: CustomPlatform[] } {
  const { connections, platforms } = input;
  if (!Array.isArray(connections) || !Array.isArray(platforms) || connections.length > MAX_CONNECTIONS) throw new ImportError('import-not-an-export');
  const texts = (connection: Connection) => [connection.label, connection.account, connection.requestedBy];
  return {
    connections: connections.map((connection: unknown, index) => {
      if (!isWholeConnection(connection) || texts(connection).some((text) => typeof text !== 'string' || text.length > MAX_TEXT)) throw new InvalidInputError(`connections.${index}`);
      return connection;
    }),
    platforms: platforms.map((platform: unknown, index) => {
      const fields = isRecord(platform) ? platform : {};
      if (typeof fields.id !== 'string' || !fields.id.startsWith('custom-')) throw new InvalidInputError(`platforms.${index}`);
      return readCustomPlatform(fields, { id: fields.id, now: typeof fields.createdAt === 'number' ? fields.createdAt : Date.now(), ...options });
    }),
  };
}
