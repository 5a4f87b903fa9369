/**
 * The database's name and version, and the shape of the token holder's link in the settings
 * store: shared by the one writer (db.ts, which owns the version ladder) and the pages' read-only
 * look (reader.ts), without the pages loading the writer.
 */
import type { ErrorCode } from '../errors';
import type { Sealed } from './vault';

export const DB_NAME = 'token-watch';
/** Raised only together with a new step of the version ladder in db.ts. */
export const DB_VERSION = 3;

/** The link to the company's token holder, and how the last sync with it went. */
export interface HolderLink {
  url: string;
  /** The only secret the extension keeps for held grants. */
  memberKey: Sealed;
  /** The colleague the key belongs to, as the holder names them. */
  member: string;
  /** Set by the administrator's policy. */
  managed: boolean;
  /** The policy entry last applied (its SHA-256), so an unchanged policy is not applied again. */
  managedEntry: string | null;
  syncedAt: number | null;
  /** Since when the holder has not answered (or refused); null while it answers. */
  unreachableSince: number | null;
  problem: ErrorCode | null;
}

export const isHolderLink = (value: unknown): value is HolderLink => typeof value === 'object' && value !== null && 'memberKey' in value;
