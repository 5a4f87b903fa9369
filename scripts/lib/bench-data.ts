import { MS_PER_DAY } from '../../utils/expiry/calendar';
import { connectionDefaults, DEFAULT_WARNING_DAYS, type Connection } from '../../utils/connection';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportDocument } from '../../utils/records/transfer';

const PLATFORMS = ['ebay', 'datev', 'amazon-sp-api-eu', 'lexware-office-api-key', 'sevdesk-api-token', 'other-software'];

/** A repeatable office of `count` connections with expiry dates spread over the next three years. */
export function benchConnections(count: number, now: number): Connection[] {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, (_, index) => {
    const unknown = random() < 0.05;
    const at = now + Math.floor((random() * 1100 - 10) * MS_PER_DAY);
    return {
      id: `bench-${index}`,
      platformId: PLATFORMS[index % PLATFORMS.length]!,
      label: `Mandant ${10_000 + index}`,
      account: `konto-${index}@beispiel.de`,
      consentedAt: now - 30 * MS_PER_DAY,
      requestedBy: 'Benchmark',
      accessTokenExpiry: { at: null, source: 'unknown' },
      grantExpiry: unknown ? { at: null, source: 'unknown' } : { at, source: 'documented' },
      needsReconsent: random() < 0.02,
      warningDays: [...DEFAULT_WARNING_DAYS],
      ...connectionDefaults(),
      createdAt: now,
      updatedAt: now,
    };
  });
}

export function benchDocument(count: number, now: number): ExportDocument {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    connections: benchConnections(count, now).map((connection) => ({
      platformId: connection.platformId,
      label: connection.label,
      account: connection.account,
      consentedAt: new Date(connection.consentedAt!).toISOString(),
      requestedBy: connection.requestedBy,
      grantExpiry: { at: connection.grantExpiry.at === null ? null : new Date(connection.grantExpiry.at).toISOString(), source: connection.grantExpiry.source },
      needsReconsent: connection.needsReconsent,
      warningDays: connection.warningDays,
    })),
  };
}
