import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import { lazyRepository, StorageError } from '../../../utils/storage/db';
import { createNoticeClicks } from '../../../utils/notices/clicks';
import { createNoticeService } from '../../../utils/notices/service';
import { notificationsFor, parseNotificationId } from '../../../utils/notices/text';
import { aConnection, expiresAt } from '../fixtures';
import { textsFor } from '../texts';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const BERLIN = 'Europe/Berlin';

async function seeded(connections: ReturnType<typeof aConnection>[]) {
  const repository = lazyRepository();
  for (const connection of connections) {
    await (await repository()).save({ connection, event: { connectionId: connection.id, type: 'imported', at: NOW, actor: 'test' } });
  }
  return repository;
}

/** What was shown, by notification id: Chrome's getAll lists ids only, so the calls to create are kept. */
let shown: Record<string, { title: string; message: string; buttons?: { title: string }[] }> = {};

function service(repository: ReturnType<typeof lazyRepository>, lang: 'de' | 'en' = 'de', now = NOW) {
  shown = {};
  const notices = createNoticeService({
    repository,
    notifications: {
      create: async (id, options) => {
        shown[id] = options;
        return fakeBrowser.notifications.create(id, options);
      },
    },
    texts: () => textsFor(lang),
    now: () => now,
    timeZone: () => BERLIN,
    iconUrl: 'icon/128.png',
    buttons: true,
  });
  // As the watch service does: read what is stored, then deliver.
  return {
    async deliverDue() {
      const store = await repository();
      const [connections, custom, { morningHour }] = await Promise.all([store.list(), store.platforms(), store.preferences()]);
      return notices.deliverDue({ connections, custom, morningHour });
    },
  };
}

describe('desktop notifications', () => {
  it('warns in the user’s language, naming platform, account and date', async () => {
    const ebay = aConnection({ id: 'ebay-1', platformId: 'ebay', label: 'Shop Berlin', grantExpiry: expiresAt(NOW + 7 * MS_PER_DAY, 'token-response') });
    await service(await seeded([ebay])).deliverDue();
    expect(await fakeBrowser.notifications.getAll()).toEqual({ 'tw|expiring|ebay-1': true });
    expect(shown).toEqual({
      'tw|expiring|ebay-1': expect.objectContaining({
        title: 'eBay: Freigabe läuft bald ab',
        message: 'Die Authentifizierung Ihres eBay-Kontos „Shop Berlin“ läuft in 7 Tagen ab (am 30.11.2026). Klicken Sie hier, um Token-Wächter zu öffnen.',
      }),
    });
  });

  it('groups several warnings of the same moment into one notification', async () => {
    const connections = [
      aConnection({ id: 'a', platformId: 'datev', label: 'Mandant 1', grantExpiry: expiresAt(NOW + 20 * MS_PER_DAY) }),
      aConnection({ id: 'b', platformId: 'datev', label: 'Mandant 2', grantExpiry: expiresAt(NOW + 1 * MS_PER_DAY) }),
      aConnection({ id: 'c', platformId: 'lexware-office-api-key', label: 'Buchhaltung', grantExpiry: expiresAt(NOW + 3_600_000) }),
    ];
    await service(await seeded(connections), 'en').deliverDue();
    expect(Object.values(shown)).toEqual([
      expect.objectContaining({
        title: '3 authorizations expire soon',
        message: 'DATEV – Mandant 1: in 20 days\nDATEV – Mandant 2: in 1 day\nLexware Office API key – Buchhaltung: today',
      }),
    ]);
  });

  it('sends each warning once, also when run again after a restart', async () => {
    const repository = await seeded([aConnection({ grantExpiry: expiresAt(NOW + 7 * MS_PER_DAY) })]);
    expect(await service(repository).deliverDue()).toHaveLength(1);
    await fakeBrowser.notifications.clear(Object.keys(await fakeBrowser.notifications.getAll())[0]!);
    expect(await service(repository).deliverDue()).toEqual([]);
    expect(await service(repository, 'de', NOW + 3_600_000).deliverDue()).toEqual([]);
    expect(await fakeBrowser.notifications.getAll()).toEqual({});
  });

  it('records each notification in the connection’s history', async () => {
    const repository = await seeded([aConnection({ id: 'x', grantExpiry: expiresAt(NOW - 1000) })]);
    await service(repository).deliverDue();
    expect((await (await repository()).events('x')).at(-1)).toMatchObject({ type: 'warned', detail: 'expired' });
  });
});

describe('notification texts', () => {
  const subject = (kind: 'oauth' | 'tracked', canSignIn: boolean) => ({
    connection: aConnection({ id: 'c', label: 'Shop Berlin' }),
    platform: { name: 'eBay', kind },
    canSignIn,
  });

  it.each([
    [{ kind: 'reconsent' as const, connectionId: 'c' }, 'eBay: sign in again', 'eBay no longer accepts the authorization for “Shop Berlin”, so it cannot be renewed automatically. Click here to sign in again.'],
    [{ kind: 'expired' as const, connectionId: 'c', at: NOW }, 'eBay: authorization expired', 'The authorization of your eBay account “Shop Berlin” expired on Nov 23, 2026. Imports and exports with eBay stay stopped until you sign in again. Click here to sign in again.'],
    [{ kind: 'working-again' as const, connectionId: 'c', at: NOW + 500 * MS_PER_DAY }, 'eBay: working again', 'The connection “Shop Berlin” to eBay works again. The authorization runs until Apr 6, 2028.'],
    [{ kind: 'expiring' as const, connectionId: 'c', daysLeft: 0, at: NOW + 3_600_000 }, 'eBay: authorization expires soon', 'The authorization of your eBay account “Shop Berlin” expires today (Nov 23, 2026). Click here to sign in again.'],
  ])('%j', (notice, title, message) => {
    const [content] = notificationsFor([notice], () => subject('oauth', true), textsFor('en'), { timeZone: BERLIN, now: NOW });
    expect(content).toMatchObject({ title, message, id: `tw|${notice.kind}|c`, connectionIds: ['c'] });
    expect(content!.buttons).toEqual(notice.kind === 'working-again' ? undefined : ['Sign in now', 'Remind me tomorrow']);
  });

  it('offers only the reminder where a click cannot sign in', () => {
    expect(notificationsFor([{ kind: 'expiring', connectionId: 'c', daysLeft: 3, at: NOW + 3 * MS_PER_DAY }], () => subject('tracked', false), textsFor('de'), { timeZone: BERLIN, now: NOW })[0]!.buttons).toEqual([
      'Morgen erinnern',
    ]);
  });

  it('reads its ids back', () => {
    expect(parseNotificationId('tw|expiring|abc')).toEqual({ kind: 'expiring', connectionId: 'abc' });
    expect(parseNotificationId('tw|group|123')).toEqual({ kind: 'group' });
    expect(parseNotificationId('someone-else')).toBeNull();
  });
});

describe('clicking a notification', () => {
  const oauthConnection = aConnection({ id: 'o', platformId: 'datev', client: { clientId: 'app', exchange: 'secret' }, needsReconsent: true, consentedAt: NOW - MS_PER_DAY });

  async function clicks({ allowed }: { allowed: boolean }) {
    const repository = await seeded([
      oauthConnection,
      aConnection({ id: 't', platformId: 'lexware-office-api-key' }),
      aConnection({ id: 'r', platformId: 'other-software', renewUrl: 'https://erp.example/settings/ebay' }),
    ]);
    const deps = {
      repository,
      signIn: vi.fn(async () => undefined),
      hostsAllowed: vi.fn(async () => allowed),
      openList: vi.fn(async () => undefined),
      openPage: vi.fn(async () => undefined),
      clear: vi.fn(async () => true),
      now: () => NOW,
      timeZone: () => BERLIN,
      changed: vi.fn(async () => undefined),
      failed: vi.fn(async () => undefined),
    };
    return { click: createNoticeClicks(deps), deps, repository };
  }

  it('starts the sign-in at once where the platform’s hosts are allowed', async () => {
    const { click, deps } = await clicks({ allowed: true });
    expect(await click('tw|reconsent|o')).toBe('sign-in');
    expect(deps.signIn).toHaveBeenCalledWith('o');
    expect(deps.hostsAllowed).toHaveBeenCalledWith(['https://login.datev.de/*', 'https://api.datev.de/*']);
    expect(deps.clear).toHaveBeenCalledWith('tw|reconsent|o');
  });

  it('opens the list where the hosts must be allowed first, or for tracked items and groups', async () => {
    const { click, deps } = await clicks({ allowed: false });
    expect(await click('tw|reconsent|o')).toBe('list');
    expect(await click('tw|expiring|t')).toBe('list');
    expect(await click('tw|group|1')).toBe('list');
    expect(deps.signIn).not.toHaveBeenCalled();
    expect(deps.openList).toHaveBeenCalledTimes(3);
  });

  it('opens a tracked credential’s renewal page where it has one', async () => {
    const { click, deps } = await clicks({ allowed: true });
    expect(await click('tw|expiring|r')).toBe('renewal-page');
    expect(deps.openPage).toHaveBeenCalledWith('https://erp.example/settings/ebay');
  });

  it('"Remind me tomorrow" has the notice come again at tomorrow’s morning hour, and plans the wake-up', async () => {
    const { click, deps, repository } = await clicks({ allowed: true });
    // Buttons of a connection that can sign in: "Sign in now", then "Remind me tomorrow".
    expect(await click('tw|reconsent|o', 1)).toBe('remind');
    // Buttons of a tracked credential: "Remind me tomorrow" alone.
    expect(await click('tw|expiring|t', 0)).toBe('remind');
    const remindAt = (id: string) => repository().then(async (store) => (await store.get(id))!.notices.remindAt);
    expect(await remindAt('o')).toBe(Date.parse('2026-11-24T09:00:00+01:00'));
    expect(await remindAt('t')).toBe(Date.parse('2026-11-24T09:00:00+01:00'));
    expect(deps.changed).toHaveBeenCalledTimes(2);
    expect(deps.signIn).not.toHaveBeenCalled();
    expect(deps.clear).toHaveBeenCalledWith('tw|reconsent|o');
  });

  it('"Sign in now" signs in', async () => {
    const { click, deps } = await clicks({ allowed: true });
    expect(await click('tw|reconsent|o', 0)).toBe('sign-in');
    expect(deps.signIn).toHaveBeenCalledWith('o');
  });

  it('hands a sign-in that could not be stored for a full disk on, to be said on the badge', async () => {
    const { click, deps } = await clicks({ allowed: true });
    const full = new StorageError('storage-full');
    deps.signIn.mockRejectedValueOnce(full);
    await click('tw|reconsent|o');
    await vi.waitFor(() => expect(deps.failed).toHaveBeenCalledWith(full));
  });

  it('hands a reminder that could not be stored on, and still plans the wake-up', async () => {
    const { click, deps } = await clicks({ allowed: true });
    const refused = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementationOnce(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    expect(await click('tw|expiring|t', 0)).toBe('remind');
    refused.mockRestore();
    expect(deps.failed).toHaveBeenCalledWith(expect.objectContaining({ code: 'storage-full' }));
    expect(deps.changed).toHaveBeenCalled();
  });

  it('leaves other notifications alone', async () => {
    const { click, deps } = await clicks({ allowed: true });
    expect(await click('another-extension')).toBe('ignored');
    expect(deps.clear).not.toHaveBeenCalled();
  });
});
