import { isInDateRange } from './expiry/calendar';
import { UNKNOWN_EXPIRY, type DatedExpiry } from './expiry/rules';

export { MAX_CONNECTIONS, MAX_TEXT } from './limits';

/**
 * How the authorization code becomes tokens. A secret inside an extension is
 * public (RFC 8252, section 8.5), so it is either not needed (`public`, PKCE
 * only), the user's own (`secret`, sealed at rest), or held by a backend (`broker`).
 */
export type ExchangeMode = 'public' | 'secret' | 'broker';
export const EXCHANGE_MODES: readonly ExchangeMode[] = ['public', 'secret', 'broker'];

/** The user's (or their software vendor's) app at the platform, for this connection. */
export interface OAuthClient {
  clientId: string;
  exchange: ExchangeMode;
  /** HTTPS address of the token broker, for `broker`. */
  brokerUrl?: string;
  /** The redirect_uri value when the platform registers a name instead of a URL (eBay's RuName). */
  redirectName?: string;
  /** Parameters of this app at the platform, e.g. Amazon's application_id. */
  authorizationParams?: Record<string, string>;
  /** This connection's parts of the platform's addresses and scopes (Shopify's shop, Microsoft's tenant, DATEV's client). */
  endpointValues?: Record<string, string>;
  /** The API scopes chosen among the platform's `scopeChoices` (DATEV). */
  scopes?: string[];
}

/** Where a held grant lives at the company's token holder, and who signed it in there. */
export interface HeldGrant {
  grantId: string;
  consentedBy: string | null;
  /** The grant's parts of the platform's addresses (Shopify's shop), for its next sign-in. */
  endpointValues?: Record<string, string>;
  /** The API scopes chosen for it (DATEV's APIs), asked for again at its next sign-in. */
  scopes?: string[];
}

/** Why the last renewal did not work, and when it is tried again. */
export type ProblemCode =
  | 'network'
  | 'platform-unavailable'
  | 'rate-limited'
  | 'client-rejected'
  | 'request-rejected'
  | 'platform-misconfigured'
  | 'invalid-response'
  | 'secret-unreadable'
  /** The passphrase lock is on and locked: the renewal waits until the user unlocks. */
  | 'vault-locked';

export interface ConnectionProblem {
  code: ProblemCode;
  at: number;
  /** When the background tries again by itself; absent when only the user can fix it. */
  retryAt?: number;
  attempts: number;
}

/** One authorization of one account at one platform (several per platform are normal). */
export interface Connection {
  id: string;
  platformId: string;
  /** What the user calls it, e.g. the DATEV company "Mandant 10001 Müller GmbH". */
  label: string;
  /** The account at the platform: user name, e-mail, seller id. */
  account: string;
  consentedAt: number | null;
  /** Who in the office gave the consent or entered the date. */
  requestedBy: string;
  accessTokenExpiry: DatedExpiry;
  /** The end of the refresh token, long-term token, seller authorization or API key. */
  grantExpiry: DatedExpiry;
  /** Set when the platform refused the grant (invalid_grant): only a new consent helps. */
  needsReconsent: boolean;
  /** Days before expiry on which to warn. */
  warningDays: number[];
  /** OAuth connections the extension renews itself; absent for tracked credentials. */
  client?: OAuthClient;
  /** Scopes the platform granted at the last consent or refresh. */
  scopes: string[];
  refreshedAt: number | null;
  /** Whether a sealed refresh token is stored for this connection. */
  hasRefreshToken: boolean;
  problem: ConnectionProblem | null;
  /** Which desktop notifications this connection has had, so none comes twice. */
  notices: NoticeState;
  /**
   * A built-in platform found by discovery (DATEV, Microsoft, Xero): the other hosts its metadata
   * named for this connection's issuer (token, userinfo, revocation), so that the sign-in click asks
   * for all of them, and when it was last asked. Read when the connection is added, then daily; a
   * failed read keeps the hosts of the last good one (none yet: the catalogue's).
   */
  discovered?: { hosts?: string[]; checkedAt: number };
  /** Where a tracked credential is renewed (opened from its notification). */
  renewUrl?: string;
  /** Paused: kept, but not counted on the badge, warned about or renewed. */
  paused?: boolean;
  /** Set by the administrator's policy: shown as such, and not deleted by the user. */
  managed?: boolean;
  /**
   * A grant the company's token holder keeps: the holder refreshes it and hands its tokens to the
   * business software; the extension shows it, warns, and signs in again, but holds no token of it.
   */
  held?: HeldGrant;
  /** The policy entry last applied, so an unchanged policy never overwrites what the user did since. */
  managedEntry?: string;
  createdAt: number;
  updatedAt: number;
}

/** Notifications already sent about one grant; a grant with a new end date starts afresh. */
export interface NoticeState {
  grantAt: number | null;
  /** Warning days already notified (30, 14, …). */
  sent: number[];
  expired: boolean;
  reconsent: boolean;
  /** "Remind me tomorrow": this grant's notice comes again then, unless a new warning day's comes first. */
  remindAt?: number;
}

export function noNotices(grantAt: number | null = null): NoticeState {
  return { grantAt, sent: [], expired: false, reconsent: false };
}

/** An end date as stored: a time within the accepted range, or none known. */
const isDated = (expiry: unknown): expiry is DatedExpiry =>
  typeof expiry === 'object' && expiry !== null && 'at' in expiry && (expiry.at === null || (typeof expiry.at === 'number' && isInDateRange(expiry.at)));

/**
 * Whether a stored record is a whole connection, with every field the badge, the notices and the
 * schedule read. A damaged or foreign record is left out rather than stopping every other one.
 */
export function isWholeConnection(record: unknown): record is Connection {
  if (typeof record !== 'object' || record === null) return false;
  const value = record as Partial<Connection>;
  return (
    typeof value.id === 'string' &&
    typeof value.platformId === 'string' &&
    typeof value.label === 'string' &&
    typeof value.needsReconsent === 'boolean' &&
    Array.isArray(value.warningDays) &&
    value.warningDays.every((day) => Number.isInteger(day)) &&
    isDated(value.grantExpiry) &&
    isDated(value.accessTokenExpiry) &&
    typeof value.notices === 'object' &&
    value.notices !== null &&
    Array.isArray(value.notices.sent)
  );
}

export const DEFAULT_WARNING_DAYS: readonly number[] = [30, 14, 7, 3, 1, 0];

/**
 * The stored records as connections the lists, the badge and an export can show. A whole one is
 * taken as it is. One that still names its connection (id, platform, label) but lacks or has
 * damaged what the lists read (a record of an early release, a hand-edited one) is read with that
 * taken as not known: an unknown end date, the usual warning days, no notice sent. It is then
 * shown with "date unknown" and its next step, and its first change stores it whole, rather than
 * it disappearing from every list. Only what names no connection at all is left out.
 */
export function readableConnections(records: readonly unknown[]): Connection[] {
  return records.flatMap((record) => {
    if (isWholeConnection(record)) return [record];
    const value = record as Partial<Connection> | null;
    if (typeof value?.id !== 'string' || typeof value.platformId !== 'string' || typeof value.label !== 'string') return [];
    const { grantExpiry, accessTokenExpiry, warningDays, notices } = value;
    return {
      ...(value as Connection),
      needsReconsent: value.needsReconsent === true,
      warningDays: Array.isArray(warningDays) && warningDays.every(Number.isInteger) ? warningDays : [...DEFAULT_WARNING_DAYS],
      notices: Array.isArray(notices?.sent) ? notices : noNotices(),
      grantExpiry: isDated(grantExpiry) ? grantExpiry : { ...UNKNOWN_EXPIRY },
      accessTokenExpiry: isDated(accessTokenExpiry) ? accessTokenExpiry : { ...UNKNOWN_EXPIRY },
    };
  });
}

export type ConnectionEventType =
  | 'added'
  | 'imported'
  | 'consented'
  | 'consent-failed'
  | 'refreshed'
  | 'refresh-failed'
  | 'revoked'
  | 'revoke-failed'
  | 'removed'
  | 'edited'
  | 'renewed'
  | 'warned'
  /** The passphrase was forgotten: the secrets went, a new sign-in is needed. */
  | 'secrets-forgotten';

/** One line of a connection's history: what happened, when, and who did it. */
export interface ConnectionEvent {
  id?: number;
  connectionId: string;
  type: ConnectionEventType;
  at: number;
  actor: string;
  detail?: string;
}

/** A line for a connection's history. */
export function connectionEvent(connectionId: string, type: ConnectionEventType, at: number, actor: string, detail?: string): ConnectionEvent {
  return { connectionId, type, at, actor, ...(detail ? { detail } : {}) };
}
