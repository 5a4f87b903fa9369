/**
 * The pages' messages about what is watched: list, add a tracked credential,
 * edit, pause, "renewed today", history, import, preferences. (The export file and the
 * calendar are written by the settings page from the list: they need nothing else.)
 * (Consent and tokens are in oauth-handlers.)
 */
import { connectionEvent, readableConnections, type Connection, type ConnectionEvent } from '../connection';
import { findPlatform } from '../catalogue/presets';
import { connectionViews } from '../catalogue/views';
import { byUrgency } from '../expiry/status';
import { MAX_CONNECTIONS } from '../records/fields';
import type { Texts } from '../i18n/texts';
import { InvalidInputError } from '../errors';
import { newTrackedConnection, trackedExpiry, trackedPlatform } from '../records/input';
import { checkClient } from '../records/oauth-input';
import { identity } from '../records/transfer';
import type { HolderSummary } from '../consent/holder';
import type { ConnectionRepository } from '../storage/db';
import { createQueue } from '../storage/queue';
import type { Vault } from '../storage/vault';
import type { Handlers } from './protocol';

export interface RecordHandlerDeps {
  repository: () => Promise<ConnectionRepository>;
  vault: () => Promise<Vault>;
  texts: () => Texts;
  now: () => number;
  timeZone: () => string;
  newId: () => string;
  /** Who is acting, for the history: the user's name from the preferences. */
  actor: () => Promise<string>;
  /** Notifies, repaints the badge and plans the next wake-up after a change. */
  changed: () => Promise<void>;
  activeConsent?: () => string | null;
  /** The link to the company's token holder, as stored (no request to it). */
  holder?: () => Promise<HolderSummary | null>;
}

type RecordMessages =
  | 'connections/list'
  | 'connections/import'
  | 'connections/track'
  | 'connections/update'
  | 'connections/renewed'
  | 'connections/events'
  | 'preferences/get'
  | 'preferences/save'
  | 'platforms/list';

export function createRecordHandlers(deps: RecordHandlerDeps): Pick<Handlers, RecordMessages> {
  const writeQueue = createQueue();
  const event = (connectionId: string, type: ConnectionEvent['type'], actor: string, detail?: string) =>
    connectionEvent(connectionId, type, deps.now(), actor, detail);

  async function platformOf(connection: Connection) {
    return findPlatform(connection.platformId, await (await deps.repository()).platforms());
  }

  return {
    'connections/list': async () => {
      const repository = await deps.repository();
      const [connections, custom, holder] = await Promise.all([repository.list(), repository.platforms(), deps.holder?.()]);
      const views = connectionViews(connections, deps.texts(), custom);
      // More than the limit (an earlier version's import): the most urgent fill one message, the count of the rest is said.
      const shown = views.length > MAX_CONNECTIONS ? byUrgency(views, deps.now(), deps.timeZone()).slice(0, MAX_CONNECTIONS).map(({ view }) => view) : views;
      return {
        views: shown,
        ...(shown.length < views.length ? { beyondLimit: views.length - shown.length } : {}),
        activeConsent: deps.activeConsent?.() ?? null,
        ...(holder ? { holder } : {}),
      };
    },

    'connections/import': ({ connections, platforms }) =>
      writeQueue(async () => {
        const repository = await deps.repository();
        // Read against the list of its moment: an import that ran meanwhile (another page) may have stored some already.
        const stored = new Set(readableConnections(await repository.list()).map(identity));
        const adding = connections.filter((connection) => !stored.has(identity(connection)));
        await repository.ensureRoom(adding.length);
        const actor = await deps.actor();
        for (const platform of platforms) await repository.savePlatform(platform);
        await repository.saveAll(adding.map((connection) => ({ connection, event: event(connection.id, 'imported', actor) })));
        await deps.changed();
        return { imported: adding.length };
      }),

    'connections/track': async ({ connection: input }) => {
      const repository = await deps.repository();
      await repository.ensureRoom();
      const platform = trackedPlatform(findPlatform(input.platformId, await repository.platforms()));
      const actor = await deps.actor();
      const connection = newTrackedConnection(input, platform, { id: deps.newId(), now: deps.now(), actor, timeZone: deps.timeZone() });
      await repository.save({ connection, event: event(connection.id, 'added', actor) });
      await deps.changed();
      return connection;
    },

    'connections/update': async ({ connectionId, changes }) => {
      const repository = await deps.repository();
      const actor = await deps.actor();
      const stored = await repository.get(connectionId);
      const platform = stored ? await platformOf(stored) : undefined;
      const dated = platform?.kind === 'tracked' && (changes.expiresOn !== undefined || changes.issuedOn !== undefined);
      const expiry = dated ? trackedExpiry(platform.grantRule, changes, deps.timeZone()) : undefined;
      // App settings come checked against the platform: a sign-in method it offers, every address part it needs.
      const client = changes.client ? checkClient(changes.client, platform) : stored?.client;
      if (changes.clientSecret !== undefined && client?.exchange !== 'secret') throw new InvalidInputError('clientSecret');
      const sealed = changes.clientSecret ? await (await deps.vault()).seal(changes.clientSecret) : undefined;
      const updated = await repository.update(connectionId, (current, secrets) => {
        const { clientSecret: _secret, expiresOn: _expires, issuedOn: _issued, renewUrl, client: _client, ...plain } = changes;
        const next: Connection = { ...current, ...plain, ...(changes.client ? { client } : {}), updatedAt: deps.now() };
        // Other app settings (another Microsoft tenant) may mean other addresses: their metadata is read anew at the next wake-up.
        if (changes.client) delete next.discovered;
        if (renewUrl !== undefined) {
          if (renewUrl) next.renewUrl = renewUrl;
          else delete next.renewUrl;
        }
        if (expiry) {
          next.grantExpiry = expiry.grantExpiry;
          // A new end date alone keeps the day the credential was issued.
          if (changes.issuedOn) next.consentedAt = expiry.consentedAt;
        }
        return {
          connection: next,
          event: event(current.id, 'edited', actor, Object.keys(changes).join(',')),
          ...(sealed ? { secrets: { ...secrets, connectionId: current.id, clientSecret: sealed } } : {}),
        };
      });
      await deps.changed();
      return updated;
    },

    'connections/renewed': async ({ connectionId, expiresOn }) => {
      const repository = await deps.repository();
      const actor = await deps.actor();
      const stored = await repository.get(connectionId);
      const platform = stored ? await platformOf(stored) : undefined;
      if (!stored || platform?.kind !== 'tracked') throw new InvalidInputError('connectionId');
      const today = new Intl.DateTimeFormat('en-CA', { timeZone: deps.timeZone() }).format(deps.now());
      // Issued today: the platform's lifetime runs from today, unless the user read a new end date.
      const expiry = trackedExpiry(platform.grantRule, { issuedOn: today, ...(expiresOn ? { expiresOn } : {}) }, deps.timeZone());
      if (expiry.grantExpiry.at === null && platform.grantRule.kind === 'user-date') throw new InvalidInputError('expiresOn');
      const updated = await repository.update(stored.id, (current) => ({
        connection: { ...current, ...expiry, updatedAt: deps.now() },
        event: event(current.id, 'renewed', actor),
      }));
      await deps.changed();
      return updated;
    },

    'connections/events': async ({ connectionId }) => {
      const events = await (await deps.repository()).events(connectionId);
      // Newest first; events of the same moment in the order they happened.
      return events.sort((a, b) => b.at - a.at || (b.id ?? 0) - (a.id ?? 0));
    },

    'platforms/list': async () => (await deps.repository()).platforms(),
    'preferences/get': async () => (await deps.repository()).preferences(),
    'preferences/save': async ({ preferences }) => {
      const repository = await deps.repository();
      const saved = { ...(await repository.preferences()), ...preferences };
      await repository.savePreferences(saved);
      // A new morning hour moves the next notification.
      await deps.changed();
      return saved;
    },
  };
}
