/**
 * The one constructor of a stored connection, apart from the model (utils/connection.ts) so that
 * the pages that only show connections do not carry it.
 */
import { DEFAULT_WARNING_DAYS, noNotices, type Connection, type OAuthClient } from '../connection';
import type { DatedExpiry } from '../expiry/rules';

/** The fields added after the first schema, with the values an older record means. */
export function connectionDefaults(): Pick<Connection, 'scopes' | 'refreshedAt' | 'hasRefreshToken' | 'problem' | 'notices'> {
  return { scopes: [], refreshedAt: null, hasRefreshToken: false, problem: null, notices: noNotices() };
}

/** What a new connection is made of; every field left out starts from its default. */
export interface ConnectionSeed {
  platformId: string;
  label: string;
  account?: string;
  /** Who in the office added it (or `Administrator` for the enterprise policy). */
  requestedBy: string;
  consentedAt?: number | null;
  grantExpiry?: DatedExpiry;
  needsReconsent?: boolean;
  warningDays?: readonly number[];
  client?: OAuthClient;
  renewUrl?: string;
  paused?: boolean;
}

/** The one constructor of a stored connection: forms, import, policy and tests all go through it. */
export function createConnection(seed: ConnectionSeed, { id, now }: { id: string; now: number }): Connection {
  return {
    id,
    platformId: seed.platformId,
    label: seed.label,
    account: seed.account ?? '',
    consentedAt: seed.consentedAt ?? null,
    requestedBy: seed.requestedBy,
    accessTokenExpiry: { at: null, source: 'unknown' },
    grantExpiry: seed.grantExpiry ?? { at: null, source: 'unknown' },
    needsReconsent: seed.needsReconsent ?? false,
    warningDays: [...(seed.warningDays ?? DEFAULT_WARNING_DAYS)],
    ...connectionDefaults(),
    ...(seed.client ? { client: seed.client } : {}),
    ...(seed.renewUrl ? { renewUrl: seed.renewUrl } : {}),
    ...(seed.paused ? { paused: true } : {}),
    createdAt: now,
    updatedAt: now,
  };
}
