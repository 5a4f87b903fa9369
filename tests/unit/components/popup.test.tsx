// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { SettingsPlace } from '../../../components/settings-place';
import { Popup, UNDO_MS, type PopupClient } from '../../../entrypoints/popup/Popup';
import { BackgroundError } from '../../../utils/messaging/client';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import type { ConnectionView, HolderSummary } from '../../../utils/messaging/protocol';
import { summarize } from '../../../utils/storage/summary';
import { aConnection, expiresAt } from '../fixtures';
import { textsFor } from '../texts';
import { pageRoot } from './page-root';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const page = pageRoot();

const view = (platform: ConnectionView['platform'], overrides: Parameters<typeof aConnection>[0]): ConnectionView => ({
  connection: aConnection(overrides),
  platform,
  hostOrigins: [],
});
const EBAY = { id: 'ebay', name: 'eBay', kind: 'oauth' as const, ruleSource: 'refresh_token_expires_in, else 18 months', grantRule: { kind: 'unknown' as const } };
const LEXWARE = {
  id: 'lexware-office-api-key',
  name: 'Lexware Office API-Schlüssel',
  kind: 'tracked' as const,
  ruleSource: '24 months',
  grantRule: { kind: 'fixed' as const, lifetime: { months: 24 } },
};
const SEVDESK = { id: 'sevdesk-api-token', name: 'sevDesk API-Token', kind: 'tracked' as const, ruleSource: 'no expiry documented', grantRule: { kind: 'unknown' as const } };
const APP = { clientId: 'app', exchange: 'public' as const };

const notCalled = async (): Promise<never> => {
  throw new Error('not called in this test');
};

interface ShowOptions {
  client?: Partial<PopupClient>;
  requestHostAccess?: (origins: string[]) => Promise<boolean>;
  openSettings?: (place?: SettingsPlace) => void;
  openPage?: (url: string) => void;
}

async function show(list: () => Promise<ConnectionView[]>, lang: 'en' | 'de' = 'de', options: ShowOptions = {}) {
  const client: PopupClient = {
    listConnections: async () => ({ views: await list(), activeConsent: null }),
    startConsent: notCalled,
    refresh: notCalled,
    remove: notCalled,
    update: notCalled,
    renewed: notCalled,
    ...options.client,
  };
  await act(async () => {
    render(
      <Popup
        client={client}
        texts={textsFor(lang)}
        now={NOW}
        timeZone="Europe/Berlin"
        requestHostAccess={options.requestHostAccess ?? (async () => true)}
        openSettings={options.openSettings ?? (() => undefined)}
        openPage={options.openPage ?? (() => undefined)}
      />,
      page.element,
    );
  });
  await act(async () => {
    await Promise.resolve();
  });
}

const texts = (selector: string) => [...page.element.querySelectorAll(selector)].map((el) => el.textContent);

describe('the popup, shown with data from a stand-in background', () => {
  it('says it is loading until the background answers', async () => {
    await show(() => new Promise(() => undefined));
    expect(page.element.querySelector('main')!.getAttribute('aria-busy')).toBe('true');
    expect(page.element.textContent).toContain('Verbindungen werden geladen');
  });

  it('lists connections most urgent first, with status, date and next step', async () => {
    await show(async () => [
      view(LEXWARE, { label: 'Buchhaltung', account: '', grantExpiry: expiresAt(NOW + 400 * MS_PER_DAY, 'user') }),
      view(EBAY, { label: 'Shop Berlin', account: 'verkauf@beispiel-shop.de', client: APP, needsReconsent: true, grantExpiry: expiresAt(NOW + 90 * MS_PER_DAY, 'token-response') }),
    ]);
    expect(texts('.connection__platform')).toEqual(['eBay', 'Lexware Office API-Schlüssel']);
    expect(texts('.connection__who')).toEqual(['Shop Berlin · verkauf@beispiel-shop.de', 'Buchhaltung']);
    expect(texts('.connection__status')).toEqual([
      'Neue Anmeldung nötig: Die Plattform akzeptiert diese Freigabe nicht mehr',
      'Gültig (läuft in 400 Tagen ab)',
    ]);
    expect(texts('.connection__date')).toEqual([
      'Läuft ab am 21.02.2027 (Datum laut Plattform)',
      'Läuft ab am 28.12.2027 (von Ihnen eingetragenes Datum)',
    ]);
    expect(texts('.connection__next-step')).toEqual([
      'Melden Sie sich erneut bei der Plattform an, um die Verbindung zu erneuern.',
    ]);
  });

  it('says at a glance how many rows need attention and how many are fine', async () => {
    await show(async () => [
      view(LEXWARE, { label: 'Buchhaltung', grantExpiry: expiresAt(NOW + 400 * MS_PER_DAY, 'user') }),
      view(EBAY, { label: 'Shop Berlin', client: APP, grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY) }),
      view(SEVDESK, { label: 'Steuerbüro' }),
    ]);
    expect(page.element.querySelector('.popup__summary')!.textContent).toBe('2 brauchen Aufmerksamkeit · 1 in Ordnung');
  });

  it('explains an empty list, with a button to where the first connection is added', async () => {
    const places: (SettingsPlace | undefined)[] = [];
    await show(async () => [], 'en', { openSettings: (place) => places.push(place) });
    expect(page.element.querySelector('.empty-state h2')!.textContent).toBe('Nothing is being watched yet');
    expect(page.element.querySelector('.empty-state p')!.textContent).toContain('Add the first connection in the settings');
    expect(page.element.querySelector('.popup__summary')).toBeNull();
    await act(async () => (page.element.querySelector('.empty-state button') as HTMLButtonElement).click());
    expect(places).toEqual([{ kind: 'add' }]);
  });

  it('says what to do when the stored data cannot be read', async () => {
    await show(async () => {
      throw new BackgroundError('storage-unavailable');
    }, 'en');
    const alert = page.element.querySelector('[role="alert"]')!;
    expect(alert.getAttribute('data-error')).toBe('storage-unavailable');
    expect(alert.textContent).toContain('Close all browser windows and open the browser again');
  });

  it('says what to do after any other failure', async () => {
    await show(async () => {
      throw new TypeError('Could not establish connection');
    }, 'en');
    expect(page.element.querySelector('[role="alert"]')!.textContent).toContain('Close this window and open it again');
  });
});

describe('the details of a connection', () => {
  it('say who signed in and when, which access was granted, and where each date comes from', async () => {
    await show(async () => [
      view(EBAY, {
        label: 'Shop Berlin',
        account: 'verkauf@beispiel-shop.de',
        requestedBy: 'Anna Becker',
        consentedAt: Date.parse('2026-05-23T10:00:00+02:00'),
        refreshedAt: null,
        scopes: ['sell.fulfillment', 'sell.account'],
        client: { clientId: 'app', exchange: 'secret' },
        accessTokenExpiry: expiresAt(NOW + 7_200_000, 'token-response'),
        grantExpiry: expiresAt(NOW + 180 * MS_PER_DAY, 'token-response'),
        problem: { code: 'network', at: NOW, attempts: 2, retryAt: NOW + 120_000 },
      }),
    ], 'en');
    const details = page.element.querySelector('details.connection__details')!;
    expect(details.querySelector('summary')!.textContent).toBe('Details');
    const rows = Object.fromEntries([...details.querySelectorAll('dl > div')].map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent]));
    expect(rows).toEqual({
      Account: 'verkauf@beispiel-shop.de',
      'Signed in by': 'Anna Becker',
      'Signed in on': 'May 23, 2026',
      'Last renewed': '—',
      'Access granted': 'sell.fulfillment, sell.account',
      'Access token valid until': 'Expires on Nov 23, 2026 (date reported by the platform)',
      'Authorization valid until': 'Expires on May 22, 2027 (date reported by the platform)',
      'How the date is known': 'refresh_token_expires_in, else 18 months',
      'Last problem': 'No connection to the platform. Check the internet connection and try again. Next attempt: 11/23/26, 10:02 AM',
    });
  });
});

describe('the popup’s actions', () => {
  const renewable = (): ConnectionView => ({
    ...view(EBAY, { id: 'shop', label: 'Shop Berlin', client: { clientId: 'app', exchange: 'broker', brokerUrl: 'https://broker.example/token' }, hasRefreshToken: true, grantExpiry: expiresAt(NOW + 40 * MS_PER_DAY) }),
    hostOrigins: ['https://broker.example/*'],
  });
  const click = async (selector: string) => {
    await act(async () => {
      (page.element.querySelector(selector) as HTMLButtonElement).click();
    });
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
  };

  it('asks for the platform’s hosts first, then signs in and says until when', async () => {
    const asked: string[][] = [];
    const consented = { ...renewable().connection, grantExpiry: expiresAt(Date.parse('2028-05-23T10:00:00Z'), 'token-response') };
    await show(async () => [renewable()], 'de', {
      client: { startConsent: async () => consented },
      requestHostAccess: async (origins) => (asked.push(origins), true),
    });
    await click('button[data-action="consent"]');
    expect(asked).toEqual([['https://broker.example/*']]);
    expect(page.element.querySelector('.connection__feedback')!.textContent).toBe('Angemeldet. Die Freigabe gilt jetzt bis 23.05.2028.');
  });

  it('explains what to do when the user refuses the hosts, and does not start the sign-in', async () => {
    let started = false;
    await show(async () => [renewable()], 'en', {
      client: { startConsent: async () => ((started = true), renewable().connection) },
      requestHostAccess: async () => false,
    });
    await click('button[data-action="consent"]');
    expect(started).toBe(false);
    expect(page.element.querySelector('.connection__feedback')!.textContent).toContain('needs your permission to contact this platform');
  });

  it('shows a refresh that must be retried later with its time', async () => {
    await show(async () => [renewable()], 'en', {
      client: { refresh: async () => ({ status: 'retry-later', code: 'network', retryAt: Date.parse('2026-11-23T10:05:00+01:00') }) },
    });
    await click('button[data-action="refresh"]');
    expect(page.element.querySelector('.connection__feedback')!.textContent).toBe('No connection to the platform. Token Watch tries again at 10:05 AM by itself.');
  });

  it('sets up the sign-in on the settings page, at the connection', async () => {
    const places: (SettingsPlace | undefined)[] = [];
    await show(async () => [view(EBAY, { id: 'imported', label: 'Shop Berlin', grantExpiry: expiresAt(NOW - 3 * MS_PER_DAY) })], 'en', {
      openSettings: (place) => places.push(place),
    });
    await click('button[data-action="set-up"]');
    expect(places).toEqual([{ kind: 'set-up', connectionId: 'imported' }]);
  });

  it('opens a tracked credential’s renewal page', async () => {
    const opened: string[] = [];
    await show(async () => [view(LEXWARE, { label: 'Buchhaltung', renewUrl: 'https://app.lexware.de/keys', grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY) })], 'en', {
      openPage: (url) => opened.push(url),
    });
    await click('button[data-action="renewal-page"]');
    expect(opened).toEqual(['https://app.lexware.de/keys']);
  });

  const typeDate = async (value: string) => {
    const input = page.element.querySelector<HTMLInputElement>('input[name="expiresOn"]')!;
    await act(async () => {
      input.value = value;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    });
  };
  const submit = () => click('button[data-action="save-date"]');

  it('enters an unknown date in place', async () => {
    const sevdesk = view(SEVDESK, { id: 'tax', label: 'Steuerbüro' });
    const update = vi.fn(async () => ({ ...sevdesk.connection, grantExpiry: expiresAt(Date.parse('2027-03-31T23:59:59+02:00'), 'user') }));
    await show(async () => [sevdesk], 'de', { client: { update } });
    await click('button[data-action="enter-date"]');
    expect(page.element.querySelector('label.connection__date-field')!.textContent).toBe('Läuft ab am (wie in Ihrer Software angezeigt)');
    expect(document.activeElement).toBe(page.element.querySelector('input[name="expiresOn"]'));
    await typeDate('2027-03-31');
    await submit();
    expect(update).toHaveBeenCalledWith('tax', { expiresOn: '2027-03-31' });
    expect(page.element.querySelector('.connection__feedback')!.textContent).toBe('Gespeichert: gültig bis 31.03.2027.');
  });

  it('marks a credential renewed today with the date its rule gives, unless the user changes it', async () => {
    const key = view(LEXWARE, { id: 'key', label: 'Buchhaltung', grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY, 'documented') });
    const renewed = vi.fn(async () => ({ ...key.connection, grantExpiry: expiresAt(Date.parse('2028-11-23T12:00:00+01:00')) }));
    await show(async () => [key], 'de', { client: { renewed } });
    await click('button[data-action="renewed"]');
    expect(page.element.querySelector<HTMLInputElement>('input[name="expiresOn"]')!.value).toBe('2028-11-23');
    await submit();
    expect(renewed).toHaveBeenLastCalledWith('key', undefined);
    expect(page.element.querySelector('.connection__feedback')!.textContent).toBe('Gespeichert: gültig bis 23.11.2028.');

    await click('button[data-action="renewed"]');
    await typeDate('2028-06-30');
    await submit();
    expect(renewed).toHaveBeenLastCalledWith('key', '2028-06-30');
  });

  it('can cancel the date field without saving', async () => {
    await show(async () => [view(SEVDESK, { label: 'Steuerbüro' })], 'en');
    await click('button[data-action="enter-date"]');
    await click('button[data-action="cancel-date"]');
    expect(page.element.querySelector('input[name="expiresOn"]')).toBeNull();
    expect(page.element.querySelector('button[data-action="enter-date"]')).not.toBeNull();
  });
});

describe('every row’s buttons', () => {
  const states = (): ConnectionView[] => [
    view(EBAY, { label: 'Neu', client: APP, needsReconsent: true, consentedAt: null }),
    view(EBAY, { label: 'Import', grantExpiry: expiresAt(NOW - 3 * MS_PER_DAY) }),
    view(LEXWARE, { label: 'Schlüssel', renewUrl: 'https://app.lexware.de/keys', grantExpiry: expiresAt(NOW + 6 * MS_PER_DAY) }),
    view(SEVDESK, { label: 'Token' }),
    view(EBAY, { label: 'Läuft', client: APP, hasRefreshToken: true, grantExpiry: expiresAt(NOW + 200 * MS_PER_DAY) }),
  ];
  const buttonsByRow = () =>
    Object.fromEntries(
      [...page.element.querySelectorAll('li.connection')].map((row) => [
        row.querySelector('.connection__who')!.textContent!.split(' · ')[0],
        [...row.querySelectorAll(':scope > .connection__body > .connection__actions button')].map((button) => button.getAttribute('aria-label')),
      ]),
    );

  it('lead with the next step, each named with its connection', async () => {
    await show(async () => states());
    expect(buttonsByRow()).toEqual({
      Import: ['Anmeldung einrichten: eBay – Import'],
      'Schlüssel': ['Erneuerungsseite öffnen: Lexware Office API-Schlüssel – Schlüssel', 'Heute erneuert: Lexware Office API-Schlüssel – Schlüssel'],
      Neu: ['Anmelden: eBay – Neu'],
      'Läuft': ['Anmelden: eBay – Läuft', 'Aktualisieren: eBay – Läuft'],
      Token: ['Datum eintragen: sevDesk API-Token – Token'],
    });
  });

  it('make the first button stand out only where the row needs something done', async () => {
    await show(async () => states());
    const primary = [...page.element.querySelectorAll('li.connection .button--primary')].map((button) => button.getAttribute('aria-label'));
    expect(primary).toEqual(['Anmeldung einrichten: eBay – Import', 'Erneuerungsseite öffnen: Lexware Office API-Schlüssel – Schlüssel', 'Anmelden: eBay – Neu', 'Datum eintragen: sevDesk API-Token – Token']);
  });

  it('keep removing out of the row’s buttons, in its details, named with the connection', async () => {
    await show(async () => states());
    const removes = [...page.element.querySelectorAll('button[data-action="remove"]')];
    expect(removes).toHaveLength(5);
    expect(removes.every((button) => button.closest('details.connection__details'))).toBe(true);
    expect(removes[0]!.getAttribute('aria-label')).toBe('Entfernen: eBay – Import');
  });
});

describe('removing from the popup', () => {
  const shop = () => view(EBAY, { id: 'shop', label: 'Shop Berlin', client: APP, grantExpiry: expiresAt(NOW + 40 * MS_PER_DAY) });
  const click = async (selector: string) => {
    await act(async () => (page.element.querySelector(selector) as HTMLButtonElement).click());
  };

  it('can be undone for a few seconds: the row goes, comes back, and nothing is removed', async () => {
    const remove = vi.fn(async () => ({ revoked: false }));
    await show(async () => [shop()], 'en', { client: { remove } });
    await click('button[data-action="remove"]');
    expect(page.element.querySelector('li.connection')).toBeNull();
    expect(page.element.querySelector('.popup__notice')!.textContent).toBe('“eBay – Shop Berlin” is being removed. Undo');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Undo: eBay – Shop Berlin');
    await click('button[data-action="undo-remove"]');
    expect(page.element.querySelector('li.connection')).not.toBeNull();
    expect(remove).not.toHaveBeenCalled();
  });

  it('removes once the time to undo has passed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const remove = vi.fn(async () => ({ revoked: false }));
      await show(async () => [shop()], 'en', { client: { remove } });
      await click('button[data-action="remove"]');
      await act(async () => {
        vi.advanceTimersByTime(UNDO_MS - 1);
      });
      expect(remove).not.toHaveBeenCalled();
      await act(async () => {
        vi.advanceTimersByTime(1);
      });
      expect(remove).toHaveBeenCalledWith('shop');
    } finally {
      vi.useRealTimers();
    }
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
    });
    expect(page.element.querySelector('.popup__notice')!.textContent).toBe(
      'Removed from Token Watch. If the platform still lists the authorization, withdraw it there as well.',
    );
  });

  it('sends the removal at once when the popup closes, rather than losing it', async () => {
    const remove = vi.fn(async () => ({ revoked: true }));
    await show(async () => [shop()], 'en', { client: { remove } });
    await click('button[data-action="remove"]');
    await act(async () => {
      window.dispatchEvent(new Event('pagehide'));
    });
    expect(remove).toHaveBeenCalledWith('shop');
  });
});

describe('a long list', () => {
  it('shows the most urgent rows at once and the rest right after', async () => {
    const many = Array.from({ length: 200 }, (_, index) =>
      view(EBAY, { label: `Shop ${String(index).padStart(3, '0')}`, grantExpiry: expiresAt(NOW + (index + 1) * MS_PER_DAY) }),
    );
    await show(async () => many, 'en');
    expect(page.element.querySelectorAll('li.connection')).toHaveLength(30);
    expect(page.element.querySelector('li.connection .connection__who')!.textContent).toBe('Shop 000 · ' + many[0]!.connection.account);
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    expect(page.element.querySelectorAll('li.connection')).toHaveLength(200);
  });
});

describe('the popup and the background', () => {
  const HOLDER: HolderSummary = { url: 'https://holder.example', member: 'Anna', managed: false, managedEntry: null, syncedAt: NOW, unreachableSince: null, problem: null };
  const renewable = (): ConnectionView => view(EBAY, { id: 'shop', label: 'Shop Berlin', client: APP, hasRefreshToken: true, grantExpiry: expiresAt(NOW + 40 * MS_PER_DAY) });

  it('asks the background anything only once its list is shown, and then whose sign-in is open', async () => {
    const asked: string[] = [];
    let answer: (views: ConnectionView[]) => void = () => undefined;
    await show(() => new Promise((resolve) => (answer = resolve)), 'de', {
      client: {
        activeConsent: async () => (asked.push('consent/active'), 'shop'),
        syncHolder: async () => (asked.push('holder/sync'), { synced: false }),
      },
    });
    expect(asked).toEqual([]);
    await act(async () => answer([renewable()]));
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    expect(asked).toEqual(['consent/active']);
    // The sign-in window opened from an earlier popup: this one follows it.
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    expect(page.element.querySelector('.connection__feedback')!.getAttribute('data-kind')).toBe('working');
  });

  it('asks the token holder for news only where one is linked', async () => {
    const asked: string[] = [];
    await show(async () => [renewable()], 'de', {
      client: {
        listConnections: async () => ({ views: [renewable()], holder: HOLDER }),
        syncHolder: async () => (asked.push('holder/sync'), { synced: false }),
      },
    });
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    expect(asked).toEqual(['holder/sync']);
  });

  it('shows a first screen read from the list’s summary with the counts of the whole list, then the whole list', async () => {
    const whole = Array.from({ length: 40 }, (_, index) => view(EBAY, { label: `Shop ${String(index).padStart(2, '0')}`, grantExpiry: expiresAt(NOW + (index + 1) * MS_PER_DAY) }));
    const { count, attentionFrom } = summarize(whole.map(({ connection }) => connection), NOW, 'Europe/Berlin');
    const listConnections = vi.fn(async () => ({ views: whole }));
    await act(async () => {
      render(
        <Popup
          client={{ listConnections, startConsent: notCalled, refresh: notCalled, remove: notCalled, update: notCalled, renewed: notCalled }}
          initial={{ views: whole.slice(0, 30), whole: { count, attentionFrom } }}
          texts={textsFor('de')}
          now={NOW}
          timeZone="Europe/Berlin"
          requestHostAccess={async () => true}
          openSettings={() => undefined}
          openPage={() => undefined}
        />,
        page.element,
      );
    });
    // The first 30 are within their warnings (30 days by default): the same headline as the whole list gives.
    expect(page.element.querySelector('.popup__summary')!.textContent).toBe('30 brauchen Aufmerksamkeit · 10 in Ordnung');
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    expect(listConnections).toHaveBeenCalledTimes(1);
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    expect(page.element.querySelectorAll('li.connection')).toHaveLength(40);
    expect(page.element.querySelector('.popup__summary')!.textContent).toBe('30 brauchen Aufmerksamkeit · 10 in Ordnung');
  });

  it('shows a list read before its first render at once, without a loading state', async () => {
    await act(async () => {
      render(
        <Popup
          client={{ listConnections: notCalled, startConsent: notCalled, refresh: notCalled, remove: notCalled, update: notCalled, renewed: notCalled }}
          initial={{ views: [renewable()] }}
          texts={textsFor('de')}
          now={NOW}
          timeZone="Europe/Berlin"
          requestHostAccess={async () => true}
          openSettings={() => undefined}
          openPage={() => undefined}
        />,
        page.element,
      );
    });
    expect(page.element.querySelector('main')!.getAttribute('aria-busy')).toBe('false');
    expect(page.element.querySelectorAll('li.connection')).toHaveLength(1);
  });
});
