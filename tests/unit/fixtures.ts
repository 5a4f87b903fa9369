import { connectionDefaults, DEFAULT_WARNING_DAYS, type Connection } from '../../utils/connection';
import type { DatedExpiry } from '../../utils/expiry/rules';

let counter = 0;

/** A connection with sensible defaults; tests override what they are about. */
export function aConnection(overrides: Partial<Connection> = {}): Connection {
  counter += 1;
  return {
    id: `connection-${counter}`,
    platformId: 'ebay',
    label: `Shop ${counter}`,
    account: `seller-${counter}`,
    consentedAt: Date.parse('2025-06-01T10:00:00Z'),
    requestedBy: 'Anna Becker',
    accessTokenExpiry: { at: null, source: 'unknown' },
    grantExpiry: { at: null, source: 'unknown' },
    needsReconsent: false,
    warningDays: [...DEFAULT_WARNING_DAYS],
    ...connectionDefaults(),
    createdAt: Date.parse('2025-06-01T10:00:00Z'),
    updatedAt: Date.parse('2025-06-01T10:00:00Z'),
    ...overrides,
  };
}

export const expiresAt = (at: number, source: DatedExpiry['source'] = 'documented'): DatedExpiry => ({ at, source });
