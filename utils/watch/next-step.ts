/**
 * What a row offers the user, its next step first, and the sentence that says it. Pure, so each
 * state's first button is specified by a table (tests/unit/watch/next-step.test.ts).
 */
import type { Connection } from '../connection';
import type { PlatformKind } from '../catalogue/types';
import { atLocalHour, localDayNumber } from '../expiry/calendar';
import { grantExpiry, type ExpiryRule } from '../expiry/rules';
import type { StatusInfo } from '../expiry/status';
import { dateFormat, type MessageKey, type Texts } from '../i18n/texts';

export type RowAction = 'consent' | 'refresh' | 'set-up' | 'unlock' | 'renewal-page' | 'renewed' | 'enter-date';

export const ACTION_TEXT: Record<RowAction, MessageKey> = {
  consent: 'actionSignIn',
  refresh: 'actionRefresh',
  'set-up': 'actionSetUp',
  unlock: 'actionUnlock',
  'renewal-page': 'actionOpenRenewal',
  renewed: 'actionRenewedToday',
  'enter-date': 'actionEnterDate',
};

interface RowInput {
  connection: Pick<Connection, 'client' | 'hasRefreshToken' | 'renewUrl' | 'grantExpiry' | 'held' | 'problem'>;
  platform: { kind: PlatformKind };
  /** The app settings lack what the platform asks for now. */
  setUpNeeded?: boolean;
}

/**
 * A row's buttons, the next step first: sign in where Token Watch can; set the sign-in up where
 * the connection has no app settings (an import, an older record); unlock where its renewal waits
 * for the passphrase lock's key; for a credential tracked by
 * date, enter the date where it is unknown, else open its renewal page and mark it renewed.
 * Removing is never among them: it waits in the row's details.
 */
export function rowActions({ connection, platform, setUpNeeded = false }: RowInput): RowAction[] {
  if (platform.kind === 'oauth') {
    // A grant the company's token holder keeps is signed in through the holder, with the holder's app.
    if ((!connection.client && !connection.held) || setUpNeeded) return ['set-up'];
    // Its renewal waits for the passphrase lock's key: unlocking is what moves it on.
    if (connection.problem?.code === 'vault-locked') return ['unlock'];
    return connection.hasRefreshToken ? ['consent', 'refresh'] : ['consent'];
  }
  const renewalPage: RowAction[] = connection.renewUrl ? ['renewal-page'] : [];
  return connection.grantExpiry.at === null ? ['enter-date', ...renewalPage] : [...renewalPage, 'renewed'];
}

/**
 * What the user should do next, for the rows that need something done; it names the row's first
 * button. A signed-in connection whose renewal needs hosts the browser does not allow (`hostsMissing`)
 * is signed in again, and that click asks for them.
 */
export function nextStepText(texts: Texts, { status, firstSignIn }: StatusInfo, first: RowAction | undefined, hostsMissing = false): string | null {
  if (first === 'unlock') return texts.t('nextStepUnlock');
  const hosts = hostsMissing && first === 'consent' ? texts.t('nextStepAllowHosts') : null;
  if (status === 'ok' || status === 'expiring') return hosts;
  if (first === 'set-up') return texts.t('nextStepSetUp');
  if (status === 'reconsent') return texts.t(firstSignIn ? 'nextStepNotSignedIn' : 'nextStepReconsent');
  if (status === 'expired') return texts.t('nextStepExpired');
  return first === 'enter-date' ? texts.t('nextStepUnknown') : hosts;
}

/** A button's name for screen readers and tests: what it does and to which connection ("Anmelden: eBay – Shop Berlin"). */
export function actionName(texts: Texts, action: string, platformName: string, label: string): string {
  return texts.t('namedAction', [action, platformName, label]);
}

/** A date as a date field holds it (YYYY-MM-DD), in the user's time zone. */
export function dateFieldValue(at: number, timeZone: string): string {
  return dateFormat('en-CA', timeZone, {}).format(at);
}

/** The new end date of a credential renewed today, by its platform's rule; null where only the user knows it. */
export function renewedUntil(rule: ExpiryRule, now: number, timeZone: string): string | null {
  const { at } = grantExpiry(rule, { consentedAt: atLocalHour(localDayNumber(now, timeZone), 12, timeZone) });
  return at === null ? null : dateFieldValue(at, timeZone);
}
