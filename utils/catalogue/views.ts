/**
 * What the pages show of the stored connections: each whole one with its platform's summary and
 * the hosts its renewal needs. The background builds it for 'connections/list'; the popup builds
 * the same from the records it reads itself (utils/storage/reader.ts), so both show one list.
 */
import { MAX_TEXT, readableConnections, type Connection } from '../connection';
import type { Texts } from '../i18n/texts';
import { hostOrigins } from './host-access';
import { findPlatform, missingAppSettings, platformSummary, type PlatformSummary } from './presets';
import type { CustomPlatform } from './types';

/** A connection with what the pages need to show its platform. */
export interface ConnectionView {
  connection: Connection;
  platform: PlatformSummary;
  /** Host permissions the background needs to renew this connection (asked for from the user's click). */
  hostOrigins: string[];
  /** Its app settings lack what its platform asks for now (a DATEV connection from before its client number was asked). */
  setUpNeeded?: boolean;
  /** The browser does not allow all of `hostOrigins` (new hosts in the platform's metadata): the popup marks it, and a sign-in asks for them. */
  hostsMissing?: true;
}

const TEXTS = ['label', 'account', 'requestedBy'] as const;

/**
 * A connection as the pages show it: a text longer than any form takes (stored by an earlier
 * version's import) is cut there, so that one huge label cannot stall a page or a message. The
 * stored record keeps it whole, and an export (read from the database) takes it whole.
 */
function shown(connection: Connection): Connection {
  const long = TEXTS.filter((field) => typeof connection[field] === 'string' && connection[field].length > MAX_TEXT);
  return long.length === 0 ? connection : { ...connection, ...Object.fromEntries(long.map((field) => [field, `${connection[field].slice(0, MAX_TEXT)}…`])) };
}

/**
 * The views of the stored records, read as the badge and the notices read them
 * (readableConnections): a damaged record is shown with what it lacks as not known.
 */
export function connectionViews(records: readonly unknown[], texts: Pick<Texts, 't'>, custom: readonly CustomPlatform[]): ConnectionView[] {
  return readableConnections(records).map((connection) => {
    const oauth = findPlatform(connection.platformId, custom)?.oauth;
    return {
      connection: shown(connection),
      platform: platformSummary(connection.platformId, texts, custom),
      hostOrigins: hostOrigins(oauth, connection.client, connection.discovered?.hosts),
      ...(oauth && connection.client && missingAppSettings(oauth, connection.client).length > 0 ? { setUpNeeded: true } : {}),
    };
  });
}
