// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it } from 'vitest';
import { Popup, type PopupClient } from '../../../entrypoints/popup/Popup';
import { BackgroundError } from '../../../utils/messaging/client';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import type { ConnectionView } from '../../../utils/messaging/protocol';
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
const EBAY = { id: 'ebay', name: 'eBay', kind: 'oauth' as const, ruleSource: 'refresh_token_expires_in, else 18 months' };
const LEXWARE = { id: 'lexware-office-api-key', name: 'Lexware Office API-Schlüssel', kind: 'tracked' as const, ruleSource: '24 months' };

const notCalled = async (): Promise<never> => {
  throw new Error('not called in this test');
};

async function show(
  list: () => Promise<ConnectionView[]>,
  lang: 'en' | 'de' = 'de',
  { client: overrides = {}, requestHostAccess = async () => true }: { client?: Partial<PopupClient>; requestHostAccess?: (origins: string[]) => Promise<boolean> } = {},
) {
  const client: PopupClient = {
    listConnections: async () => ({ views: await list(), activeConsent: null }),
    startConsent: notCalled,
    refresh: notCalled,
    remove: notCalled,
    ...overrides,
  };
  await act(async () => {
    render(
      <Popup client={client} texts={textsFor(lang)} now={NOW} timeZone="Europe/Berlin" requestHostAccess={requestHostAccess} openSettings={() => undefined} />,
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
      view(EBAY, { label: 'Shop Berlin', account: 'verkauf@beispiel-shop.de', needsReconsent: true, grantExpiry: expiresAt(NOW + 90 * MS_PER_DAY, 'token-response') }),
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

  it('explains an empty list', async () => {
    await show(async () => [], 'en');
    expect(page.element.querySelector('.empty-state h2')!.textContent).toBe('Nothing is being watched yet');
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

  it('removes only after a confirmation, and can be cancelled', async () => {
    const removed: string[] = [];
    await show(async () => [renewable()], 'en', { client: { remove: async (id) => (removed.push(id), { revoked: false }) } });
    await click('button[data-action="remove"]');
    await click('button[data-action="cancel-remove"]');
    expect(removed).toEqual([]);
    await click('button[data-action="remove"]');
    expect(page.element.querySelector('.connection__confirm')!.textContent).toContain('Remove this connection?');
    await click('button[data-action="confirm-remove"]');
    expect(removed).toEqual(['shop']);
    expect(page.element.querySelector('.popup__notice')!.textContent).toBe(
      'Removed from Token Watch. If the platform still lists the authorization, withdraw it there as well.',
    );
  });
});

describe('a long list', () => {
  it('shows the most urgent rows at once and the rest right after', async () => {
    const many = Array.from({ length: 200 }, (_, index) =>
      view(EBAY, { label: `Shop ${String(index).padStart(3, '0')}`, grantExpiry: expiresAt(NOW + (index + 1) * MS_PER_DAY) }),
    );
    const client: PopupClient = { listConnections: async () => ({ views: many, activeConsent: null }), startConsent: notCalled, refresh: notCalled, remove: notCalled };
    await act(async () => {
      render(<Popup client={client} texts={textsFor('en')} now={NOW} timeZone="Europe/Berlin" requestHostAccess={async () => true} openSettings={() => undefined} />, page.element);
    });
    await act(async () => {
      await Promise.resolve();
    });
    expect(page.element.querySelectorAll('li.connection')).toHaveLength(30);
    expect(page.element.querySelector('li.connection .connection__who')!.textContent).toBe('Shop 000 · ' + many[0]!.connection.account);
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    expect(page.element.querySelectorAll('li.connection')).toHaveLength(200);
  });
});
