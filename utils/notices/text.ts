/**
 * The words of the desktop notifications: one per notice, except that several
 * warnings due together become one notification listing them.
 */
import type { Connection } from '../connection';
import { formatDate, plural, type Texts } from '../i18n/texts';
import type { Notice } from './planner';
import type { PlatformKind } from '../catalogue/presets';

export interface NoticeSubject {
  connection: Connection;
  platform: { name: string; kind: PlatformKind };
  /** Whether a click can start a new sign-in right away. */
  canSignIn: boolean;
}

export interface NotificationContent {
  /** `tw|<kind>|<connection id>`, or `tw|group|<time>` for several at once. */
  id: string;
  title: string;
  message: string;
  /** The buttons' words, in the order of `noticeButtons` (Chrome shows buttons; Firefox does not). */
  buttons?: string[];
  connectionIds: string[];
}

export const NOTIFICATION_PREFIX = 'tw';

/** What the buttons of a notification about one connection do, in their order. */
export function noticeButtons(canSignIn: boolean): ('sign-in' | 'remind')[] {
  return canSignIn ? ['sign-in', 'remind'] : ['remind'];
}

export function parseNotificationId(id: string): { kind: string; connectionId?: string } | null {
  const [prefix, kind, subject] = id.split('|');
  if (prefix !== NOTIFICATION_PREFIX || !kind) return null;
  return kind === 'group' ? { kind } : { kind, ...(subject ? { connectionId: subject } : {}) };
}

export function notificationsFor(
  notices: readonly Notice[],
  subjectOf: (connectionId: string) => NoticeSubject | undefined,
  texts: Texts,
  { timeZone, now }: { timeZone: string; now: number },
): NotificationContent[] {
  const date = (at: number | null) => (at === null ? '' : formatDate(texts, at, timeZone));
  const withSubject = notices.flatMap((notice) => {
    const subject = subjectOf(notice.connectionId);
    return subject ? [{ notice, subject }] : [];
  });
  const contents: NotificationContent[] = [];
  const expiring = withSubject.filter(({ notice }) => notice.kind === 'expiring');

  if (expiring.length > 1) {
    contents.push({
      id: `${NOTIFICATION_PREFIX}|group|${now}`,
      title: plural(texts, 'noticeGroupTitle', expiring.length),
      message: expiring
        .map(({ notice, subject }) => {
          const days = notice.kind === 'expiring' ? notice.daysLeft : 0;
          const names = [subject.platform.name, subject.connection.label];
          return days === 0 ? texts.t('noticeGroupLineToday', names) : plural(texts, 'noticeGroupLine', days, names);
        })
        .join('\n'),
      connectionIds: expiring.map(({ subject }) => subject.connection.id),
    });
  }

  for (const { notice, subject } of withSubject) {
    if (notice.kind === 'expiring' && expiring.length > 1) continue;
    const { connection, platform } = subject;
    const names = [platform.name, connection.label];
    const oauth = platform.kind === 'oauth';
    const signIn = { buttons: noticeButtons(subject.canSignIn).map((button) => texts.t(button === 'sign-in' ? 'noticeButtonSignIn' : 'noticeButtonRemind')) };
    const clickHint = texts.t(subject.canSignIn ? 'noticeClickToSignIn' : 'noticeClickToOpen');
    const base = { id: `${NOTIFICATION_PREFIX}|${notice.kind}|${connection.id}`, connectionIds: [connection.id] };
    switch (notice.kind) {
      case 'expiring': {
        const sentence =
          notice.daysLeft === 0
            ? texts.t(oauth ? 'noticeExpiringOAuthToday' : 'noticeExpiringTrackedToday', [...names, date(notice.at)])
            : plural(texts, oauth ? 'noticeExpiringOAuth' : 'noticeExpiringTracked', notice.daysLeft, [...names, date(notice.at)]);
        contents.push({ ...base, title: texts.t('noticeExpiringTitle', [platform.name]), message: `${sentence} ${clickHint}`, ...signIn });
        break;
      }
      case 'expired':
        contents.push({
          ...base,
          title: texts.t('noticeExpiredTitle', [platform.name]),
          message: `${texts.t(oauth ? 'noticeExpiredOAuth' : 'noticeExpiredTracked', [...names, date(notice.at)])} ${clickHint}`,
          ...signIn,
        });
        break;
      case 'reconsent':
        contents.push({
          ...base,
          title: texts.t('noticeReconsentTitle', [platform.name]),
          message: `${texts.t('noticeReconsent', names)} ${clickHint}`,
          ...signIn,
        });
        break;
      case 'working-again':
        contents.push({ ...base, title: texts.t('noticeWorkingAgainTitle', [platform.name]), message: texts.t('noticeWorkingAgain', [...names, date(notice.at)]) });
        break;
    }
  }
  return contents;
}
