import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createBadgePresenter } from '../../../utils/watch/badge-presenter';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import { createConnectionRepository, lazyRepository, openTokenWatchDb, StorageError, type PendingRevocation } from '../../../utils/storage/db';
import { createRecordHandlers } from '../../../utils/messaging/record-handlers';
import { exportDocument } from '../../../utils/records/transfer';
import { createVault } from '../../../utils/storage/vault';
import { WAKE_UP_ALARM, createWatchService, type WatchServiceDeps } from '../../../utils/watch/service';
import { createNoticeService } from '../../../utils/notices/service';
import { aConnection, expiresAt, importThrough, send, memorySession } from '../fixtures';
import type { Connection } from '../../../utils/connection';
import type { Handlers } from '../../../utils/messaging/protocol';
import { textsFor } from '../texts';

const BERLIN = 'Europe/Berlin';
const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const NEXT_MIDNIGHT = Date.parse('2026-11-24T00:00:00+01:00');

/** The watch service on the fake browser's badge and alarms, in German at NOW in Berlin unless told otherwise. */
const watchService = (deps: Pick<WatchServiceDeps, 'repository'> & Partial<WatchServiceDeps>) =>
  createWatchService({
    badge: createBadgePresenter(fakeBrowser.action),
    alarms: fakeBrowser.alarms,
    texts: () => textsFor('de'),
    now: () => NOW,
    timeZone: () => BERLIN,
    report: () => undefined,
    ...deps,
  });

/** The watch service with the pages' record handlers wired to it, as in the background. */
function service(repository: WatchServiceDeps['repository'] = lazyRepository()) {
  let ids = 0;
  const watch = watchService({ repository });
  const handlers = createRecordHandlers({
    repository,
    vault: async () => createVault((await repository()).vaultStore, memorySession()),
    texts: () => textsFor('de'),
    now: () => NOW,
    timeZone: () => BERLIN,
    newId: () => `id-${++ids}`,
    actor: async () => 'Anna Becker',
    changed: watch.changed,
  });
  return { ...watch, handlers };
}

/** Imports the connections as the settings page does, from an export file of them. */
const importInto = (handlers: Partial<Handlers>, connections: ReturnType<typeof aConnection>[]) => importThrough(handlers, JSON.stringify(exportDocument(connections, NOW)));

describe('the watch service', () => {
  it('imports connections, logs who did it and shows the soonest expiry on the badge', async () => {
    const watch = service();
    const summary = await importInto(watch.handlers, [
        aConnection({ platformId: 'ebay', label: 'Shop Berlin', grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY, 'token-response') }),
        aConnection({ platformId: 'datev', label: 'Mandant 1', grantExpiry: expiresAt(NOW + 200 * MS_PER_DAY) }),
    ]);
    expect(summary).toEqual({ imported: 2, skipped: [] });

    expect(await fakeBrowser.action.getBadgeText({})).toBe('6');
    expect(await fakeBrowser.action.getBadgeBackgroundColor({})).toEqual([197, 34, 31, 255]);
    expect(await fakeBrowser.action.getTitle({})).toBe(
      'Token-Wächter\neBay – Shop Berlin: Authentifiziert (läuft in 6 Tagen ab)\nDATEV – Mandant 1: Authentifiziert (läuft in 200 Tagen ab)',
    );

    const repository = createConnectionRepository(await openTokenWatchDb());
    const [first] = await repository.list();
    expect(await repository.events(first!.id)).toEqual([
      { id: expect.any(Number), connectionId: first!.id, type: 'imported', at: NOW, actor: 'Anna Becker' },
    ]);
  });

  it('lists connections with their platform’s name in the user’s language', async () => {
    const watch = service();
    await importInto(watch.handlers, [aConnection({ platformId: 'sevdesk-api-token', label: 'Buchhaltung' })]);
    const { views: [view] } = await send(watch.handlers, { type: 'connections/list' });
    expect(view!.platform).toEqual({
      id: 'sevdesk-api-token',
      name: 'sevDesk API-Token',
      kind: 'tracked',
      ruleSource: 'sevDesk dokumentiert kein Ablaufdatum für API-Tokens.',
      grantRule: { kind: 'unknown' },
    });
    expect(view!.connection.label).toBe('Buchhaltung');
  });

  it('wakes up at local midnight, when the days left change', async () => {
    const watch = service();
    await importInto(watch.handlers, [aConnection({ grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY) })]);
    expect(await fakeBrowser.alarms.get(WAKE_UP_ALARM)).toMatchObject({ scheduledTime: NEXT_MIDNIGHT });
  });

  it('wakes up at the moment a grant runs out, if that comes before midnight', async () => {
    const watch = service();
    const expiry = NOW + 3 * 3_600_000;
    await importInto(watch.handlers, [aConnection({ grantExpiry: expiresAt(expiry) })]);
    expect(await fakeBrowser.alarms.get(WAKE_UP_ALARM)).toMatchObject({ scheduledTime: expiry });
  });

  it('repaints the badge when its alarm fires', async () => {
    const repository = lazyRepository();
    const watch = service(repository);
    await (await repository()).save({
      connection: aConnection({ grantExpiry: expiresAt(NOW - MS_PER_DAY) }),
      event: { connectionId: 'x', type: 'imported', at: NOW, actor: 'test' },
    });
    await watch.onAlarm({ name: WAKE_UP_ALARM });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
  });

  it('shows "?" and what to do when the stored data cannot be read', async () => {
    const watch = service(() => Promise.reject(new StorageError('storage-unavailable')));
    await watch.settle();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('?');
    expect(await fakeBrowser.action.getTitle({})).toContain('Schließen Sie alle Browserfenster');
  });

  it('leaves paused connections off the badge', async () => {
    const watch = service();
    await importInto(watch.handlers, [aConnection({ paused: true, grantExpiry: expiresAt(NOW - MS_PER_DAY) })]);
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
  });

  it('shows an empty badge when nothing is tracked', async () => {
    await service().settle();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('');
    expect(await fakeBrowser.action.getTitle({})).toBe('Token-Wächter: Noch wird nichts überwacht');
  });

  it('imports one file at a time, so a file sent twice at once is not stored twice', async () => {
    const watch = service();
    const connections = [aConnection({ platformId: 'datev', label: 'Mandant 7' })];
    // Two pages read the same file at once, each before the other stored anything.
    const results = await Promise.all([importInto(watch.handlers, connections), importInto(watch.handlers, connections)]);
    expect(results.map((r: { imported: number }) => r.imported).sort((a, b) => a - b)).toEqual([0, 1]);
    expect((await send(watch.handlers, { type: 'connections/list' })).views).toHaveLength(1);
  });
});

describe('a start and a change from the list’s summary', () => {
  const office = () =>
    Array.from({ length: 40 }, (_, index) => aConnection({ platformId: index % 2 ? 'ebay' : 'datev', label: `Mandant ${index}`, grantExpiry: expiresAt(NOW + (index + 3) * MS_PER_DAY) }));
  const badge = async () => ({ text: await fakeBrowser.action.getBadgeText({}), title: await fakeBrowser.action.getTitle({}) });

  /** The database as a new worker finds it, with every read of the whole list held until `release`. */
  async function restarted() {
    const first = service();
    await importInto(first.handlers, office());
    const shown = await badge();
    await fakeBrowser.action.setBadgeText({ text: '' });
    const open = lazyRepository();
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const wholeReads: string[] = [];
    const repository = async () => {
      const store = await open();
      return {
        ...store,
        summarizedList: async (...args: Parameters<typeof store.summarizedList>) => (wholeReads.push('summarizedList'), await held, store.summarizedList(...args)),
        list: async () => (wholeReads.push('list'), await held, store.list()),
      };
    };
    return { watch: service(repository), shown, release, wholeReads };
  }

  it('shows at a start the badge that every connection gives, from one read', async () => {
    const { watch, shown, wholeReads } = await restarted();
    expect(await watch.showStored()).toBe(true);
    expect(await badge()).toEqual(shown);
    expect(wholeReads).toEqual([]);
  });

  it('answers a preference saved at a start once the badge shows the list; the settling reads every connection after', async () => {
    const { watch, shown, release, wholeReads } = await restarted();
    await watch.showStored();
    await expect(send(watch.handlers, { type: 'preferences/save', preferences: { morningHour: 7 } })).resolves.toMatchObject({ morningHour: 7 });
    expect(await badge()).toEqual(shown);
    release();
    await watch.settle();
    expect(wholeReads).toContain('summarizedList');
    expect(await badge()).toEqual(shown);
  });

  it('answers a change of a connection once the badge shows it, reading every connection', async () => {
    const { watch, release } = await restarted();
    await watch.showStored();
    release();
    const [soonest] = await send(watch.handlers, { type: 'connections/list' }).then(({ views }) => views.map(({ connection }) => connection).sort((a, b) => a.grantExpiry.at! - b.grantExpiry.at!));
    await send(watch.handlers, { type: 'connections/update', connectionId: soonest!.id, changes: { paused: true } });
    expect((await badge()).text).toBe('4');
  });
});

describe('preferences', () => {
  it('keeps a valid morning hour and refuses an impossible one', async () => {
    const watch = service();
    expect(await send(watch.handlers, { type: 'preferences/get' })).toEqual({ morningHour: 9, userName: '' });
    expect(await send(watch.handlers, { type: 'preferences/save', preferences: { morningHour: 7 } })).toEqual({ morningHour: 7, userName: '' });
    await expect(send(watch.handlers, { type: 'preferences/save', preferences: { morningHour: 25 } })).rejects.toMatchObject({ code: 'invalid-input', field: 'morningHour' });
    expect(await send(watch.handlers, { type: 'preferences/get' })).toEqual({ morningHour: 7, userName: '' });
  });

  it('keeps the user’s name when a change leaves it out', async () => {
    const watch = service();
    await send(watch.handlers, { type: 'preferences/save', preferences: { morningHour: 8, userName: 'Anna Becker' } });
    expect(await send(watch.handlers, { type: 'preferences/save', preferences: { morningHour: 6 } })).toEqual({ morningHour: 6, userName: 'Anna Becker' });
  });
});

describe('the alarm across restarts', () => {
  it('is never pushed back by a restart or an update: an earlier wake-up stays', async () => {
    const watch = service();
    await importInto(watch.handlers, [aConnection({ grantExpiry: expiresAt(NOW + 3 * 3_600_000) })]);
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NOW + 3 * 3_600_000);
    // An earlier wake-up already planned (by a retry, or by the version before an update) is kept.
    await fakeBrowser.alarms.create(WAKE_UP_ALARM, { when: NOW + 30 * 60_000 });
    await watch.settle();
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NOW + 30 * 60_000);
  });

  it('takes over the earlier release’s alarm: its sooner time stays, and only one alarm is left', async () => {
    await fakeBrowser.alarms.create('badge-refresh', { when: NOW + 30 * 60_000 });
    const watch = service();
    await importInto(watch.handlers, [aConnection({ grantExpiry: expiresAt(NOW + 3 * 3_600_000) })]);
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NOW + 30 * 60_000);
    expect((await fakeBrowser.alarms.getAll()).map((alarm) => alarm.name)).toEqual([WAKE_UP_ALARM]);
  });

  it('is brought forward when something is due sooner', async () => {
    await fakeBrowser.alarms.create(WAKE_UP_ALARM, { when: NOW + 10 * 3_600_000 });
    const watch = service();
    await importInto(watch.handlers, [aConnection({ grantExpiry: expiresAt(NOW + 3 * 3_600_000) })]);
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NOW + 3 * 3_600_000);
  });
});

describe('a wake-up that meets a fault', () => {
  const watchWith = (repository: ReturnType<typeof lazyRepository>, report: (message: string) => void) => watchService({ repository, report });

  it('still plans the next wake-up when storage cannot be read, and says so on the badge', async () => {
    const reports: string[] = [];
    const watch = watchWith(() => Promise.reject(new StorageError('storage-unavailable')), (message) => reports.push(message));
    await watch.settle();
    expect(await fakeBrowser.action.getBadgeText({})).toBe('?');
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NOW + 15 * 60_000);
    expect(reports).toEqual(['the badge could not be painted (StorageError)']);
  });

  it('says on the badge’s title when a renewal at a wake-up could not be stored for a full disk', async () => {
    const repository = lazyRepository();
    const watch = watchService({ repository, texts: () => textsFor('en'), renew: async () => Promise.reject(new StorageError('storage-full')) });
    const due = aConnection({ id: 'due', platformId: 'datev', client: { clientId: 'app', exchange: 'secret' }, hasRefreshToken: true, consentedAt: NOW - 2 * MS_PER_DAY, accessTokenExpiry: expiresAt(NOW - MS_PER_DAY) });
    // Its last renewal failed for want of a connection; the retry is due now.
    due.problem = { code: 'network', at: NOW - 60_000, attempts: 1, retryAt: NOW };
    await (await repository()).save({ connection: due, event: { connectionId: 'due', type: 'consented', at: NOW, actor: 'test' } });
    await watch.onAlarm({ name: WAKE_UP_ALARM });
    expect(await fakeBrowser.action.getTitle({})).toContain(textsFor('en').t('errorStorageFull'));
  });

  it.each([
    ['says a full disk on the badge’s title', new StorageError('storage-full'), true],
    ['leaves the title alone for any other failure', new StorageError('storage-unavailable'), false],
  ])('when a write nobody asked for failed, %s', async (_, error, said) => {
    const watch = watchService({ repository: lazyRepository(), texts: () => textsFor('en') });
    await watch.settle();
    await watch.failed(error);
    expect((await fakeBrowser.action.getTitle({})).includes(textsFor('en').t('errorStorageFull'))).toBe(said);
  });

  /** A good connection ending in six days beside one record as an older or damaged install might have left it; settled, with what the service reported. */
  async function settleBesideGood(damaged: Record<string, unknown>): Promise<string[]> {
    const repository = lazyRepository();
    const reports: string[] = [];
    const store = await repository();
    for (const connection of [aConnection({ label: 'Shop', grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY) }), damaged as unknown as Connection]) {
      await store.save({ connection, event: { connectionId: connection.id, type: 'added', at: NOW, actor: 'test' } });
    }
    await watchWith(repository, (message) => reports.push(message)).settle();
    return reports;
  }

  it('reads a record that lacks its end date with the date unknown: it is counted, not left out', async () => {
    // Written past the repository's types.
    const reports = await settleBesideGood({ ...aConnection({ label: 'undated' }), grantExpiry: undefined });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('6');
    expect(await fakeBrowser.action.getTitle({})).toContain('eBay – undated: Ablaufdatum unbekannt');
    expect(reports).toEqual([]);
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NEXT_MIDNIGHT);
  });

  it('leaves out a record that names no connection, reports it, and counts the others', async () => {
    const reports = await settleBesideGood({ ...aConnection({ label: 'nameless' }), label: 42 });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('6');
    expect(reports).toEqual(['1 stored records are not connections and were left out']);
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NEXT_MIDNIGHT);
  });
});

describe('silent renewal', () => {
  it('wakes for a due renewal and renews then', async () => {
    const refreshed: string[] = [];
    const repository = lazyRepository();
    const watch = watchService({ repository, texts: () => textsFor('en'), renew: async (id) => void refreshed.push(id) });
    await (await repository()).savePlatform({
      id: 'custom-shop',
      name: 'Shop',
      kind: 'oauth',
      oauth: { issuer: 'https://shop.example', scopes: [], exchanges: ['public'] },
      grantRule: { kind: 'sliding', lifetime: { days: 90 } },
      ruleSource: 'test',
      createdAt: NOW,
    });
    const due = aConnection({
      id: 'due',
      platformId: 'custom-shop',
      client: { clientId: 'app', exchange: 'public' },
      hasRefreshToken: true,
      consentedAt: NOW - 2 * MS_PER_DAY,
      accessTokenExpiry: expiresAt(NOW - MS_PER_DAY),
      grantExpiry: expiresAt(NOW + 88 * MS_PER_DAY),
    });
    const notDue = { ...due, id: 'fresh', consentedAt: NOW - 3_600_000, refreshedAt: NOW - 3_600_000 };
    for (const connection of [due, notDue]) {
      await (await repository()).save({ connection, event: { connectionId: connection.id, type: 'consented', at: NOW, actor: 'test' } });
    }
    await watch.settle();
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NOW + 60_000);
    await watch.onAlarm({ name: WAKE_UP_ALARM });
    expect(refreshed).toEqual(['due']);
  });

  it('wakes when a removed connection’s revocation is due again, and retries it then', async () => {
    const retried: number[] = [];
    const repository = lazyRepository();
    const watch = watchService({ repository, retryRevocations: async () => void retried.push(NOW) });
    const dueAt = NOW + 2 * 60_000;
    const sealed = { iv: new Uint8Array(12), data: new ArrayBuffer(16) };
    const pending: PendingRevocation = { connectionId: 'gone', platformId: 'datev', settings: { scopes: [], exchanges: ['secret'] }, client: { clientId: 'app', exchange: 'secret' }, refreshToken: sealed, actor: 'Anna', attempts: 1, dueAt };
    await (await repository()).settleRevocation(pending, null, pending);
    await watch.settle();
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(dueAt);
    await watch.onAlarm({ name: WAKE_UP_ALARM });
    expect(retried).toHaveLength(1);
  });

  it('reads platforms’ metadata again at a wake-up it has anyway, never at a change, and plans no wake-up of its own', async () => {
    let asked = 0;
    const watch = watchService({ repository: lazyRepository(), refreshMetadata: async () => void asked++ });
    await watch.settle();
    expect(asked).toBe(0);
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NEXT_MIDNIGHT);
    await watch.onAlarm({ name: WAKE_UP_ALARM });
    expect(asked).toBe(1);
    expect(await fakeBrowser.alarms.getAll()).toEqual([expect.objectContaining({ name: WAKE_UP_ALARM, scheduledTime: NEXT_MIDNIGHT })]);
  });

  it('has the next wake-up planned before it reads the metadata, which may wait for a platform that does not answer', async () => {
    let plannedWhileReading: unknown;
    const watch = watchService({
      repository: lazyRepository(),
      refreshMetadata: async () => {
        plannedWhileReading = (await fakeBrowser.alarms.get(WAKE_UP_ALARM))?.scheduledTime;
      },
    });
    // The alarm that woke the worker is gone once it fired.
    await fakeBrowser.alarms.clearAll();
    await watch.onAlarm({ name: WAKE_UP_ALARM });
    expect(plannedWhileReading).toBe(NEXT_MIDNIGHT);
  });

  it('plans the next wake-up from the warnings just sent, not one minute later to find them sent', async () => {
    const repository = lazyRepository();
    const sent: string[] = [];
    const watch = watchService({
      repository,
      notices: createNoticeService({
        repository,
        notifications: { create: async (id) => (sent.push(id), id) },
        texts: () => textsFor('de'),
        now: () => NOW,
        timeZone: () => BERLIN,
        iconUrl: '',
        buttons: false,
      }),
    });
    // Fourteen days left at 10:00, after the morning hour: the warning is due now.
    const connection = aConnection({ id: 'warned', platformId: 'datev', grantExpiry: expiresAt(NOW + 14 * MS_PER_DAY) });
    await (await repository()).save({ connection, event: { connectionId: connection.id, type: 'added', at: NOW, actor: 'test' } });
    await watch.settle();
    expect(sent).toHaveLength(1);
    expect((await fakeBrowser.alarms.get(WAKE_UP_ALARM))!.scheduledTime).toBe(NEXT_MIDNIGHT);
  });
});
