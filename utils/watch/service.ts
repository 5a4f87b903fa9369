import { readableConnections, type Connection } from '../connection';
import { isDiskFull } from '../errors';
import { findPlatform, grantRuleFor, platformSummary, type CustomPlatform } from '../catalogue/presets';
import { nextLocalMidnight } from '../expiry/calendar';
import { nextWakeUp, refreshDueAt } from '../expiry/schedule';
import type { Texts } from '../i18n/texts';
import { nextNoticeAmong } from '../notices/planner';
import type { NoticeService } from '../notices/service';
import type { ConnectionRepository } from '../storage/db';
import { createQueue } from '../storage/queue';
import { badgeModel, nextExpiryAfter } from './badge';
import type { BadgePresenter } from './badge-presenter';
import { tooltipText } from './status-text';

/** The one alarm: at each wake-up the background renews what is due, notifies, repaints the badge and plans the next. */
export const WAKE_UP_ALARM = 'wake-up';
/** The alarm's name in earlier releases: honoured once after an update, then replaced by `WAKE_UP_ALARM`. */
const OLD_WAKE_UP_ALARM = 'badge-refresh';
const FALLBACK_WAKE_UP_MS = 15 * 60_000;

export interface WatchServiceDeps {
  repository: () => Promise<ConnectionRepository>;
  badge: BadgePresenter;
  alarms: {
    get(name: string): Promise<{ scheduledTime: number } | undefined>;
    create(name: string, info: { when: number }): Promise<void> | void;
    clear(name: string): Promise<unknown>;
  };
  texts: () => Texts;
  now: () => number;
  /** Read on every use: the user may travel or change the system's zone. */
  timeZone: () => string;
  /** Renews one connection silently (the token service's refresh); without it nothing is renewed. */
  renew?: (connectionId: string) => Promise<unknown>;
  /** Retries the due revocations of removed connections (the token service's); their times are planned for. */
  retryRevocations?: () => Promise<unknown>;
  /** Reads again the platforms' metadata that is due (consent/metadata-refresh.ts): at a wake-up there is anyway, never one of its own. */
  refreshMetadata?: () => Promise<unknown>;
  /** Sends the desktop notifications that are due; without it none are sent. */
  notices?: NoticeService;
  /** Where a problem the user cannot see is written (names and counts only, never stored data). */
  report: (message: string) => void;
}

/** The background's clock: after every change it notifies, repaints and plans the next wake-up; at a wake-up it first renews what is due. */
export function createWatchService(deps: WatchServiceDeps) {
  const settleQueue = createQueue();
  /**
   * The badge is painted from the summary and from the whole list, which may overlap: each paint
   * takes a number before it reads, and one that read before the last painted one is dropped.
   */
  let reads = 0;
  let shown = 0;
  const showIfNewest = async (read: number, show: () => Promise<void>) => {
    if (read < shown) return;
    shown = read;
    await show();
  };
  /** A write at this wake-up was refused for a full disk: nobody asked for it, so the badge's title says so. */
  let diskFull = false;
  const noteFull = (error: unknown) => (diskFull ||= isDiskFull(error));

  /**
   * Notifies what is due, repaints the badge and answers when to wake next. A record that lacks
   * some fields is read with them not known (readableConnections); one that names no connection
   * at all is left out and reported; the others count.
   */
  async function paint(now: number): Promise<number> {
    const read = ++reads;
    const repository = await deps.repository();
    const timeZone = deps.timeZone();
    const [all, custom, preferences, revocations] = await Promise.all([
      repository.summarizedList(now, timeZone),
      repository.platforms(),
      repository.preferences(),
      deps.retryRevocations ? repository.revocations() : [],
    ]);
    const whole = readableConnections(all);
    if (whole.length < all.length) deps.report(`${all.length - whole.length} stored records are not connections and were left out`);
    // Paused connections are kept but neither counted, warned about nor renewed.
    let connections = whole.filter((connection) => !connection.paused);
    const morningHour = preferences.morningHour;
    const sent = (await deps.notices?.deliverDue({ connections, custom, morningHour }).catch((error: unknown) => (noteFull(error), []))) ?? [];
    // The notices just sent are marked in the stored records: the next one is planned from those,
    // or the warning just sent would look due still, and the worker would wake again a minute later.
    // Marking them deleted the list's summary: it is written anew from those records.
    if (sent.length > 0) connections = readableConnections(await repository.summarizedList(now, timeZone)).filter((connection) => !connection.paused);
    await showIfNewest(read, () => showBadge(connections, connections.length, custom, now, timeZone));
    // Wake at local midnight (the days left change), when the soonest grant runs out,
    // when a renewal, a notification or a revocation's retry is due.
    const refreshes = deps.renew ? connections.map((connection) => refreshDueAt(connection, ruleOf(connection, custom))) : [];
    const notice = deps.notices ? nextNoticeAmong(connections, now, { timeZone, morningHour }) : null;
    const retries = revocations.map((pending) => pending.dueAt);
    return nextWakeUp(now, [nextLocalMidnight(now, timeZone), nextExpiryAfter(connections, now), notice, ...refreshes, ...retries]);
  }

  function showBadge(connections: readonly Connection[], count: number, custom: readonly CustomPlatform[], now: number, timeZone: string): Promise<void> {
    const texts = deps.texts();
    const model = badgeModel(connections, now, timeZone);
    const platform = (platformId: string) => platformSummary(platformId, texts, custom);
    const title = tooltipText(texts, model, count, platform);
    return deps.badge.show(model, diskFull ? `${title}\n${texts.t('errorStorageFull')}` : title);
  }

  /**
   * Paints the badge from the list's summary (storage/summary.ts), one read, where there is a
   * current one: it holds the most urgent connections at any time, so the badge is the one the
   * whole list gives. Answers whether it painted.
   */
  async function paintFromSummary(repository: ConnectionRepository): Promise<boolean> {
    const read = ++reads;
    const now = deps.now();
    const timeZone = deps.timeZone();
    const { summary, platforms } = await repository.summary(timeZone);
    if (!summary) return false;
    await showIfNewest(read, () => showBadge(summary.rows, summary.count, platforms, now, timeZone));
    return true;
  }

  /**
   * The last paint from the summary, with the repository and its count of connection writes when
   * it read: while no connection has been written since, the badge it painted shows the stored
   * list, and a change that left the connections alone (a preference) need not read it again.
   */
  let shownFromSummary: { repository: ConnectionRepository; writes: number; painted: Promise<boolean> } | undefined;

  /** Shows the stored list on the badge from its summary where it can; answers whether it did. */
  async function showStored(): Promise<boolean> {
    const repository = await deps.repository();
    const writes = repository.connectionWrites();
    if (shownFromSummary?.repository !== repository || shownFromSummary.writes !== writes) {
      shownFromSummary = { repository, writes, painted: paintFromSummary(repository).catch(() => false) };
    }
    return shownFromSummary.painted;
  }

  /** After any change: paint, then always plan the next wake-up, whatever failed. */
  async function settleNow(): Promise<void> {
    const now = deps.now();
    // Should anything fail, wake again soon rather than never: the alarm that woke us is gone once it fired.
    let when = now + FALLBACK_WAKE_UP_MS;
    try {
      when = await paint(now);
    } catch (error) {
      deps.report(`the badge could not be painted (${error instanceof Error ? error.name : 'unknown'})`);
      await deps.badge.showError(deps.texts()).catch(() => undefined);
    }
    await planWakeUp(when, now);
  }

  async function planWakeUp(planned: number, now: number): Promise<void> {
    let when = planned;
    // An earlier release's alarm hands its time over (if sooner) and goes: one alarm, never pushed back.
    const legacy = await deps.alarms.get(OLD_WAKE_UP_ALARM);
    if (legacy) {
      if (legacy.scheduledTime >= now) when = Math.min(when, legacy.scheduledTime);
      await deps.alarms.clear(OLD_WAKE_UP_ALARM);
    }
    // An alarm already due sooner stays: restarts and updates must never push a wake-up back.
    const existing = await deps.alarms.get(WAKE_UP_ALARM);
    if (!existing || existing.scheduledTime > when || existing.scheduledTime < now) await deps.alarms.create(WAKE_UP_ALARM, { when });
  }

  const ruleOf = (connection: Connection, custom: readonly CustomPlatform[]) => {
    const platform = findPlatform(connection.platformId, custom);
    return platform && grantRuleFor(platform, connection.client?.exchange);
  };

  /** Renews, one after another, every connection whose renewal is due; failures are recorded by the renewal itself. */
  async function renewDue(): Promise<void> {
    if (!deps.renew) return;
    const repository = await deps.repository();
    const [connections, custom] = await Promise.all([repository.list(), repository.platforms()]);
    const now = deps.now();
    for (const connection of readableConnections(connections)) {
      if (connection.paused) continue;
      const due = refreshDueAt(connection, ruleOf(connection, custom));
      if (due !== null && due <= now) await deps.renew(connection.id).catch(noteFull);
    }
  }

  /** One settling at a time, so an older one never paints over a newer one. */
  const settle = () => settleQueue(settleNow);

  return {
    settle,
    showStored,
    /**
     * After a change: settles, and answers once the badge shows the stored list. Where the summary
     * is current (no connection changed since it was written) that is one read, or none where it
     * was shown already; notifying and planning the next wake-up follow in the settling.
     */
    changed: async (): Promise<void> => {
      const painted = await showStored().catch(() => false);
      const settled = settle();
      if (!painted) return settled;
      settled.catch((error: unknown) => deps.report(`the settling after a change failed (${error instanceof Error ? error.name : 'unknown'})`));
    },
    /** A write nobody asked for failed (the policy, the holder's sync, a notification's click): a full disk is said on the badge's title. */
    failed: async (error: unknown): Promise<void> => {
      if (noteFull(error)) await settle();
    },
    onAlarm: async ({ name }: { name: string }) => {
      if (name !== WAKE_UP_ALARM && name !== OLD_WAKE_UP_ALARM) return;
      diskFull = false;
      await renewDue().catch(noteFull);
      await deps.retryRevocations?.().catch(noteFull);
      if (!deps.refreshMetadata) return settle();
      // The next wake-up is planned before the platforms' metadata is read: each read may wait for a
      // platform that does not answer, and the browser may stop the worker meanwhile.
      await settle();
      await deps.refreshMetadata().catch(noteFull);
      await settle();
    },
  };
}
