import type { DatedExpiry } from './expiry-rules';

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
  createdAt: number;
  updatedAt: number;
}

export const DEFAULT_WARNING_DAYS: readonly number[] = [30, 14, 7, 3, 1, 0];

export type ConnectionEventType =
  | 'added'
  | 'imported'
  | 'consented'
  | 'refreshed'
  | 'refresh-failed'
  | 'revoked'
  | 'removed'
  | 'warned';

/** One line of a connection's history: what happened, when, and who did it. */
export interface ConnectionEvent {
  id?: number;
  connectionId: string;
  type: ConnectionEventType;
  at: number;
  actor: string;
  detail?: string;
}
