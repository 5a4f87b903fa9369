import { localDayNumber, MS_PER_HOUR, startOfLocalDay } from '../../utils/expiry/calendar';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportDocument, type ExportedConnection } from '../../utils/records/transfer';

/** Noon of the local day `offset` days from today: a clear calendar day, whatever the hour now. */
function noonInDays(offset: number, now: number, timeZone: string): string {
  const day = localDayNumber(now, timeZone) + offset;
  return new Date(startOfLocalDay(day, timeZone) + 12 * MS_PER_HOUR).toISOString();
}

/**
 * The demo's office: an eBay shop whose authorization ends in 6 days, two DATEV
 * companies (200 and 20 days), an Amazon authorization that ran out 3 days ago
 * and a sevDesk token nobody knows the end of.
 */
export function exampleConnections(now: number, timeZone: string): ExportDocument {
  const at = (offset: number) => noonInDays(offset, now, timeZone);
  const connections: ExportedConnection[] = [
    {
      platformId: 'ebay',
      label: 'Shop Berlin',
      account: 'verkauf@beispiel-shop.de',
      consentedAt: at(6 - 547),
      requestedBy: 'Anna Becker',
      grantExpiry: { at: at(6), source: 'token-response' },
      needsReconsent: false,
      warningDays: [30, 14, 7, 3, 1, 0],
    },
    {
      platformId: 'datev',
      label: 'Mandant 10001 Müller Bau GmbH',
      account: 'a.becker',
      consentedAt: at(200 - 730),
      requestedBy: 'Anna Becker',
      grantExpiry: { at: at(200), source: 'documented' },
      needsReconsent: false,
      warningDays: [30, 14, 7, 3, 1, 0],
    },
    {
      platformId: 'datev',
      label: 'Mandant 10002 Schneider Handel KG',
      account: 'a.becker',
      consentedAt: at(20 - 730),
      requestedBy: 'Jonas Weber',
      grantExpiry: { at: at(20), source: 'documented' },
      needsReconsent: false,
      warningDays: [30, 14, 7, 3, 1, 0],
    },
    {
      platformId: 'amazon-sp-api-eu',
      label: 'Marketplace DE',
      account: 'A1B2C3D4E5F6G7',
      consentedAt: at(-3 - 365),
      requestedBy: 'Jonas Weber',
      grantExpiry: { at: at(-3), source: 'documented' },
      needsReconsent: false,
      warningDays: [30, 14, 7, 3, 1, 0],
    },
    {
      platformId: 'sevdesk-api-token',
      label: 'Buchhaltung',
      account: '',
      consentedAt: null,
      requestedBy: 'Anna Becker',
      grantExpiry: { at: null, source: 'unknown' },
      needsReconsent: false,
      warningDays: [30, 14, 7, 3, 1, 0],
    },
  ];
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: new Date(now).toISOString(), connections };
}
