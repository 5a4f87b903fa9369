import type { ConnectionRepository } from '../storage/db';
import { hostOrigins } from '../catalogue/host-access';
import { remindTomorrow } from './planner';
import { noticeButtons, parseNotificationId } from './text';
import { findPlatform } from '../catalogue/presets';

export interface NoticeClickDeps {
  repository: () => Promise<ConnectionRepository>;
  /** Starts the sign-in window for a connection (the token service's consent). */
  signIn: (connectionId: string) => Promise<unknown>;
  /** permissions.contains: a click may sign in at once only where the hosts are already allowed. */
  hostsAllowed: (origins: string[]) => Promise<boolean>;
  /** Opens the extension's list in a tab, where the user can act and allow what is needed. */
  openList: () => Promise<unknown>;
  /** Opens a tracked credential's renewal page. */
  openPage: (url: string) => Promise<unknown>;
  clear: (notificationId: string) => Promise<unknown>;
  now: () => number;
  timeZone: () => string;
  /** Plans the next wake-up after a reminder is set (the watch service's settle). */
  changed: () => Promise<void>;
  /** Nobody waits for a click's writes: one that failed goes here (the watch service's `failed`, which says a full disk on the badge). */
  failed: (error: unknown) => Promise<void>;
}

/**
 * A click on a warning renews: it opens the platform's sign-in window right
 * away where it can, a tracked credential's renewal page where it has one, and
 * otherwise the list of connections, so the next step is always one click away.
 * Its "Remind me tomorrow" button (Chrome) has the notice come again tomorrow morning.
 */
export function createNoticeClicks(deps: NoticeClickDeps) {
  return async (notificationId: string, buttonIndex?: number): Promise<'sign-in' | 'renewal-page' | 'list' | 'remind' | 'ignored'> => {
    const parsed = parseNotificationId(notificationId);
    if (!parsed) return 'ignored';
    await deps.clear(notificationId);
    if (parsed.connectionId && parsed.kind !== 'working-again') {
      const repository = await deps.repository();
      const connection = await repository.get(parsed.connectionId);
      const platform = connection ? findPlatform(connection.platformId, await repository.platforms()) : undefined;
      const origins = hostOrigins(platform?.oauth, connection?.client, connection?.discovered?.hosts);
      if (connection && buttonIndex !== undefined && noticeButtons(origins.length > 0)[buttonIndex] === 'remind') {
        const { morningHour } = await repository.preferences();
        await repository
          .update(connection.id, (current) => ({
            connection: { ...current, notices: remindTomorrow(current.notices, deps.now(), { timeZone: deps.timeZone(), morningHour }) },
          }))
          .catch(deps.failed);
        await deps.changed();
        return 'remind';
      }
      if (connection && origins.length > 0 && (await deps.hostsAllowed(origins))) {
        // The outcome is stored by the sign-in itself and shown in the list; a failure is recorded there too.
        void deps.signIn(connection.id).catch(deps.failed);
        return 'sign-in';
      }
      if (connection?.renewUrl) {
        await deps.openPage(connection.renewUrl);
        return 'renewal-page';
      }
    }
    await deps.openList();
    return 'list';
  };
}
