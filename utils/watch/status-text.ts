import type { BadgeModel } from './badge';
import type { DatedExpiry, DateSource } from '../expiry/rules';
import { formatDate, plural, type MessageKey, type Texts } from '../i18n/texts';
import type { PlatformKind } from '../catalogue/types';
import { needsAttention, type StatusInfo } from '../expiry/status';

/** "Authentifiziert (läuft in 6 Tagen ab)", "Seit 3 Tagen abgelaufen", "Ablaufdatum unbekannt". */
export function statusText(texts: Texts, kind: PlatformKind, { status, daysLeft, firstSignIn }: StatusInfo): string {
  if (status === 'reconsent') return texts.t(firstSignIn ? 'statusNotSignedIn' : 'statusReconsent');
  if (status === 'unknown' || daysLeft === null) return texts.t('statusUnknown');
  if (status === 'expired') {
    return daysLeft >= 0 ? texts.t('statusExpiredToday') : plural(texts, 'statusExpiredDaysAgo', -daysLeft);
  }
  // API keys and other tracked credentials are "valid", not "authenticated".
  if (daysLeft === 0) return texts.t(kind === 'oauth' ? 'statusAuthenticatedToday' : 'statusValidToday');
  return plural(texts, kind === 'oauth' ? 'statusAuthenticatedInDays' : 'statusValidInDays', daysLeft);
}

const SOURCE_KEYS: Record<Exclude<DateSource, 'unknown'>, MessageKey> = {
  'token-response': 'sourceTokenResponse',
  documented: 'sourceDocumented',
  user: 'sourceUser',
};

/** "Läuft ab am 29.11.2026 (Datum laut Plattform)", or null when the date is unknown. */
export function expiryDateText(
  texts: Texts,
  expiry: DatedExpiry,
  now: number,
  timeZone: string,
): string | null {
  if (expiry.at === null || expiry.source === 'unknown') return null;
  const date = formatDate(texts, expiry.at, timeZone);
  const sentence = texts.t(expiry.at <= now ? 'expiredOn' : 'expiresOn', [date]);
  return `${sentence} (${texts.t(SOURCE_KEYS[expiry.source])})`;
}

/** The popup's headline: "2 brauchen Aufmerksamkeit · 3 in Ordnung", or "Alle 5 Verbindungen sind in Ordnung". */
export function summaryText(texts: Texts, infos: readonly StatusInfo[]): string {
  const attention = infos.filter(needsAttention).length;
  return countsText(texts, attention, infos.length);
}

/** The same headline from the counts alone (the list's summary, storage/summary.ts). */
export function countsText(texts: Texts, attention: number, total: number): string {
  const fine = total - attention;
  if (attention === 0) return plural(texts, 'summaryAllFine', fine);
  return `${plural(texts, 'summaryAttention', attention)} · ${plural(texts, 'summaryFine', fine)}`;
}

/** The toolbar tooltip: the most urgent connections, one per line. */
export function tooltipText(
  texts: Texts,
  model: BadgeModel,
  total: number,
  platform: (platformId: string) => { name: string; kind: PlatformKind },
): string {
  if (model.mostUrgent.length === 0) return texts.t('tooltipNothingWatched');
  const lines = model.mostUrgent.map(({ connection, info }) => {
    const { name, kind } = platform(connection.platformId);
    return texts.t('tooltipEntry', [name, connection.label, statusText(texts, kind, info)]);
  });
  const more = total - model.mostUrgent.length;
  if (more > 0) lines.push(plural(texts, 'tooltipMore', more));
  return [texts.t('extName'), ...lines].join('\n');
}
