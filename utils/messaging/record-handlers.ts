/**
 * The pages' messages about what is watched: list, add a tracked credential,
 * edit, pause, "renewed today", history, import, preferences. (The export file and the
 * calendar are written by the settings page from the list: they need nothing else.)
 * (Consent and tokens are in oauth-handlers.)
 */
import { createQueue } from '../storage/queue';
import { connectionDefaults, connectionEvent, DEFAULT_WARNING_DAYS, type Connection, type ConnectionEvent } from '../connection';
import { InvalidInputError, readConnectionChanges, readPreferences, readTrackedConnection, trackedExpiry } from '../records/input';
import type { ConnectionRepository } from '../storage/db';
import type { Texts } from '../i18n/texts';
import { hostOrigins } from '../catalogue/host-access';
import { findPlatform, presetName, ruleText, type CustomPlatform } from '../catalogue/presets';
import type { ConnectionView, Handlers } from './protocol';
import { parseImport } from '../records/transfer';
import type { Vault } from '../storage/vault';

export interface RecordHandlerDeps {
  repository: () => Promise<ConnectionRepository>;
  vault: () => Promise<Vault>;
  texts: () => Texts;
  now: () => number;
  timeZone: () => string;
  newId: () => string;
  /** Repaints the badge and plans the next wake-up after a change. */
  changed: () => Promise<void>;
  activeConsent?: () => string | null;
}

export function platformSummary(platformId: string, texts: Texts, custom: readonly CustomPlatform[] = []): ConnectionView['platform'] {
  const preset = findPlatform(platformId, custom);
  return preset
    ? { id: preset.id, name: presetName(preset, texts), kind: preset.kind, ruleSource: ruleText(preset, texts) }
    : { id: platformId, name: platformId, kind: 'tracked', ruleSource: '' };
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
      const [connections, custom] = await Promise.all([repository.list(), repository.platforms()]);
      const texts = deps.texts();
      return {
        views: connections.map((connection) => ({
          connection,
          platform: platformSummary(connection.platformId, texts, custom),
          hostOrigins: hostOrigins(findPlatform(connection.platformId, custom)?.oauth, connection.client),
        })),
        activeConsent: deps.activeConsent?.() ?? null,
      };
    },

    'connections/import': ({ document, actor }) =>
      writeQueue(async () => {
        const repository = await deps.repository();
        const now = deps.now();
        const customPlatforms = await repository.platforms();
        const { connections, platforms, skipped } = parseImport(document, await repository.list(), { now, newId: deps.newId, customPlatforms });
        for (const platform of platforms) await repository.savePlatform(platform);
        await repository.saveAll(connections.map((connection) => ({ connection, event: event(connection.id, 'imported', actor) })));
        await deps.changed();
        return { imported: connections.length, skipped };
      }),

    'connections/track': async ({ connection: input, actor }) => {
      const repository = await deps.repository();
      const raw = input as { platformId?: unknown } | null;
      const platform = findPlatform(String(raw?.platformId ?? ''), await repository.platforms());
      const checked = readTrackedConnection(input, platform);
      const now = deps.now();
      const { grantExpiry, consentedAt } = trackedExpiry(platform!.grantRule, checked, deps.timeZone());
      const connection: Connection = {
        id: deps.newId(),
        platformId: checked.platformId,
        label: checked.label,
        account: checked.account,
        consentedAt,
        requestedBy: actor,
        accessTokenExpiry: { at: null, source: 'unknown' },
        grantExpiry,
        needsReconsent: false,
        warningDays: checked.warningDays ?? [...DEFAULT_WARNING_DAYS],
        ...connectionDefaults(),
        ...(checked.renewUrl ? { renewUrl: checked.renewUrl } : {}),
        createdAt: now,
        updatedAt: now,
      };
      await repository.save({ connection, event: event(connection.id, 'added', actor) });
      await deps.changed();
      return connection;
    },

    'connections/update': async ({ connectionId, changes: input, actor }) => {
      const repository = await deps.repository();
      const changes = readConnectionChanges(input);
      const stored = await repository.get(String(connectionId));
      const platform = stored ? await platformOf(stored) : undefined;
      const dated = platform?.kind === 'tracked' && (changes.expiresOn !== undefined || changes.issuedOn !== undefined);
      const expiry = dated ? trackedExpiry(platform.grantRule, changes, deps.timeZone()) : undefined;
      if (changes.clientSecret !== undefined && stored?.client?.exchange !== 'secret') throw new InvalidInputError('clientSecret');
      const sealed = changes.clientSecret ? await (await deps.vault()).seal(changes.clientSecret) : undefined;
      const updated = await repository.update(String(connectionId), (current, secrets) => {
        const { clientSecret: _secret, expiresOn: _expires, issuedOn: _issued, renewUrl, ...plain } = changes;
        const next: Connection = { ...current, ...plain, updatedAt: deps.now() };
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

    'connections/renewed': async ({ connectionId, expiresOn, actor }) => {
      const repository = await deps.repository();
      const stored = await repository.get(String(connectionId));
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
      const events = await (await deps.repository()).events(String(connectionId));
      // Newest first; events of the same moment in the order they happened.
      return events.sort((a, b) => b.at - a.at || (b.id ?? 0) - (a.id ?? 0));
    },

    'platforms/list': async () => (await deps.repository()).platforms(),
    'preferences/get': async () => (await deps.repository()).preferences(),
    'preferences/save': async ({ preferences }) => {
      const checked = readPreferences(preferences);
      await (await deps.repository()).savePreferences(checked);
      // A new morning hour moves the next notification.
      await deps.changed();
      return checked;
    },
  };
}
