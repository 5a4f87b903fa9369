import type { Connection } from '../../utils/connection';
import { createConnection } from '../../utils/records/new-connection';
import { MS_PER_DAY } from '../../utils/expiry/calendar';
import { exportDocument, type ExportDocument } from '../../utils/records/transfer';

const PLATFORMS = ['ebay', 'datev', 'amazon-sp-api-eu', 'lexware-office-api-key', 'sevdesk-api-token', 'other-software'];

/** A repeatable office of `count` connections with expiry dates spread over the next three years. */
export function benchConnections(count: number, now: number): Connection[] {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: count }, (_, index) => {
    const unknown = random() < 0.05;
    const at = now + Math.floor((random() * 1100 - 10) * MS_PER_DAY);
    return createConnection(
      {
        platformId: PLATFORMS[index % PLATFORMS.length] ?? 'other-software',
        label: `Mandant ${10_000 + index}`,
        account: `konto-${index}@beispiel.de`,
        consentedAt: now - 30 * MS_PER_DAY,
        requestedBy: 'Benchmark',
        grantExpiry: unknown ? { at: null, source: 'unknown' } : { at, source: 'documented' },
        needsReconsent: random() < 0.02,
      },
      { id: `bench-${index}`, now },
    );
  });
}

/** The same office as an export file, as the settings page would import it. */
export function benchDocument(count: number, now: number): ExportDocument {
  return exportDocument(benchConnections(count, now), now);
}
