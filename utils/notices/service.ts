/**
 * Sends the desktop notifications that are due and remembers them with the
 * connection, in the same transaction that reads it, so a restart or a second
 * run at the same moment repeats none.
 */
import type { Connection, ConnectionEvent } from '../connection';
import type { ConnectionRepository } from '../storage/db';
import { hostOrigins } from '../catalogue/host-access';
import type { Texts } from '../i18n/texts';
import { planNotices, type Notice } from './planner';
import { notificationsFor, type NoticeSubject } from './text';
import { findPlatform, presetName, type CustomPlatform } from '../catalogue/presets';

/** The part of `browser.notifications` used here. */
export interface NotificationsApi {
  create(id: string, options: { type: 'basic'; iconUrl: string; title: string; message: string; buttons?: { title: string }[]; priority?: number }): Promise<string>;
}

export interface NoticeServiceDeps {
  repository: () => Promise<ConnectionRepository>;
  notifications: NotificationsApi;
  texts: () => Texts;
  now: () => number;
  timeZone: () => string;
  iconUrl: string;
  /** Chrome shows buttons on notifications; Firefox does not. */
  buttons: boolean;
}

export interface NoticeInput {
  connections: readonly Connection[];
  custom: readonly CustomPlatform[];
  morningHour: number;
}

export function createNoticeService(deps: NoticeServiceDeps) {
  return {
    /**
     * Sends what is due now for these (active) connections, as the caller has just read them;
     * answers what was sent, for the log and the tests.
     */
    async deliverDue({ connections, custom, morningHour }: NoticeInput): Promise<Notice[]> {
      const repository = await deps.repository();
      const now = deps.now();
      const options = { timeZone: deps.timeZone(), morningHour };
      const due: Notice[] = [];
      for (const connection of connections) {
        const first = planNotices(connection, now, options);
        if (first.notices.length === 0 && JSON.stringify(first.state) === JSON.stringify(connection.notices)) continue;
        let notices: Notice[] = [];
        // Planned again on the stored record inside its transaction: the one that commits decides.
        await repository
          .update(connection.id, (current) => {
            const planned = planNotices(current, now, options);
            notices = planned.notices;
            const event: ConnectionEvent | undefined =
              notices.length > 0
                ? { connectionId: current.id, type: 'warned', at: now, actor: 'Token Watch', detail: notices.map((n) => n.kind).join(',') }
                : undefined;
            return { connection: { ...current, notices: planned.state }, ...(event ? { event } : {}) };
          })
          .catch(() => (notices = []));
        due.push(...notices);
      }
      if (due.length === 0) return due;

      const texts = deps.texts();
      const byId = new Map(connections.map((connection) => [connection.id, connection]));
      const subjectOf = (connectionId: string): NoticeSubject | undefined => {
        const connection = byId.get(connectionId);
        if (!connection) return undefined;
        const platform = findPlatform(connection.platformId, custom);
        return {
          connection,
          platform: { name: platform ? presetName(platform, texts) : connection.platformId, kind: platform?.kind ?? 'tracked' },
          canSignIn: hostOrigins(platform?.oauth, connection.client).length > 0,
        };
      };
      for (const content of notificationsFor(due, subjectOf, texts, { timeZone: options.timeZone, now })) {
        // One notification the browser refuses must not keep the others from being shown.
        await deps.notifications.create(content.id, {
          type: 'basic',
          iconUrl: deps.iconUrl,
          title: content.title,
          message: content.message,
          priority: 2,
          ...(deps.buttons && content.buttons ? { buttons: content.buttons.map((title) => ({ title })) } : {}),
        }).catch(() => undefined);
      }
      return due;
    },
  };
}

export type NoticeService = ReturnType<typeof createNoticeService>;
