/**
 * How often the background wakes: the real watch service (utils/watch/service.ts) with the real
 * notice service and planner, on a fake clock and fake alarms, over simulated days. Each firing of
 * the wake-up alarm is one wake-up of the worker. The bound it is held to: once per local day, plus
 * once per warning sent and once per renewal run (a wake-up that does several counts once).
 */
import type { Connection } from '../../utils/connection';
import { MS_PER_DAY, nextLocalMidnight } from '../../utils/expiry/calendar';
import type { Texts } from '../../utils/i18n/texts';
import { createNoticeService } from '../../utils/notices/service';
import type { ConnectionRepository } from '../../utils/storage/db';
import { createWatchService, WAKE_UP_ALARM } from '../../utils/watch/service';
import { benchConnections } from './bench-data';

export interface WakeUpCount {
  days: number;
  connections: number;
  wakeUps: number;
  /** Why the worker woke: at local midnight, to warn, to renew, when a grant ran out, for nothing of these. */
  reasons: Record<'midnight' | 'warning' | 'renewal' | 'expiry' | 'other', number>;
  /** Local days the simulation crossed, warnings sent, renewals run: what the bound allows. */
  localDays: number;
  warnings: number;
  renewals: number;
  bound: number;
}

/** Texts are not what is measured here: each message is its key. */
const KEY_TEXTS: Texts = { locale: 'en', t: (key) => key };

/**
 * The bench office, with one connection in twenty signed in at a platform whose grant slides with
 * each refresh (kept alive daily), so that renewals are planned too.
 */
function office(count: number, now: number): Connection[] {
  return benchConnections(count, now).map((connection, index) =>
    index % 20 === 0
      ? {
          ...connection,
          platformId: 'etsy',
          client: { clientId: 'bench', exchange: 'public' },
          hasRefreshToken: true,
          accessTokenExpiry: { at: now - MS_PER_DAY, source: 'token-response' },
        }
      : connection,
  );
}

export async function simulateWakeUps({ count, days, start, timeZone }: { count: number; days: number; start: number; timeZone: string }): Promise<WakeUpCount> {
  let clock = start;
  const end = start + days * MS_PER_DAY;
  const stored = new Map(office(count, start).map((connection) => [connection.id, connection]));
  let warnings = 0;
  let renewals = 0;

  // What the watch and notice services use of the repository, in memory.
  const repository = {
    list: async () => [...stored.values()],
    // The list's summary is the database's business (storage/summary.ts): the simulation keeps none.
    summarizedList: async () => [...stored.values()],
    platforms: async () => [],
    preferences: async () => ({ morningHour: 9, userName: '' }),
    async update(id: string, change: (current: Connection) => { connection: Connection }) {
      const next = change(stored.get(id)!).connection;
      stored.set(id, next);
      return next;
    },
  } as unknown as ConnectionRepository;
  const alarms = new Map<string, { scheduledTime: number }>();
  const watch = createWatchService({
    repository: async () => repository,
    badge: { show: async () => undefined, showError: async () => undefined },
    alarms: {
      get: async (name) => alarms.get(name),
      create: (name, { when }) => void alarms.set(name, { scheduledTime: when }),
      clear: async (name) => alarms.delete(name),
    },
    texts: () => KEY_TEXTS,
    now: () => clock,
    timeZone: () => timeZone,
    notices: createNoticeService({
      repository: async () => repository,
      notifications: {
        create: async (id) => {
          warnings += 1;
          return id;
        },
      },
      texts: () => KEY_TEXTS,
      now: () => clock,
      timeZone: () => timeZone,
      iconUrl: '',
      buttons: true,
    }),
    // A refresh as a platform answers it: a new access token for an hour, the grant slid forward.
    renew: async (id) => {
      renewals += 1;
      const current = stored.get(id)!;
      stored.set(id, { ...current, refreshedAt: clock, accessTokenExpiry: { at: clock + 3_600_000, source: 'token-response' }, grantExpiry: { at: clock + 90 * MS_PER_DAY, source: 'documented' } });
    },
    report: () => undefined,
  });

  // The install: the worker starts, settles and plans its first alarm. That start is not counted.
  await watch.settle();
  let wakeUps = 0;
  const reasons: WakeUpCount['reasons'] = { midnight: 0, warning: 0, renewal: 0, expiry: 0, other: 0 };
  for (let alarm = alarms.get(WAKE_UP_ALARM); alarm && alarm.scheduledTime <= end; alarm = alarms.get(WAKE_UP_ALARM)) {
    // An alarm fires once and is gone; the worker wakes, handles it and plans the next.
    alarms.delete(WAKE_UP_ALARM);
    clock = Math.max(clock, alarm.scheduledTime);
    wakeUps += 1;
    const before = { warnings, renewals };
    const expiring = [...stored.values()].some((connection) => connection.grantExpiry.at === clock);
    await watch.onAlarm({ name: WAKE_UP_ALARM });
    const reason =
      warnings > before.warnings ? 'warning'
      : renewals > before.renewals ? 'renewal'
      : nextLocalMidnight(clock - 1, timeZone) === clock ? 'midnight'
      : expiring ? 'expiry'
      : 'other';
    reasons[reason] += 1;
  }
  const localDay = (at: number) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);
  let localDays = 0;
  for (let at = start; at <= end; at += 3_600_000) if (localDay(at) !== localDay(at - 3_600_000)) localDays += 1;
  return { days, connections: count, wakeUps, reasons, localDays, warnings, renewals, bound: localDays + warnings + renewals };
}
