import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { importThroughPopup, sharedBrowsers, type ExtensionSession } from '../../scripts/lib/chromium';
import { exampleConnections } from '../../scripts/lib/example-connections';

const TIME_ZONE = 'Europe/Berlin';
// One browser per language for the file; each test finds it reset to a new profile's state.
const browsers = sharedBrowsers();
afterAll(() => browsers.closeAll());

async function rows(page: Page) {
  return page.$$eval('li.connection', (items) =>
    items.map((item) => ({
      status: item.getAttribute('data-status'),
      platform: item.querySelector('.connection__platform')?.textContent,
      who: item.querySelector('.connection__who')?.textContent ?? '',
      text: item.querySelector('.connection__status')?.textContent,
    })),
  );
}

const EXPECTED = {
  en: {
    empty: 'Nothing is being watched yet',
    emptyTooltip: 'Token Watch: nothing is being watched yet',
    tooltipFirst: 'Amazon Seller Central (EU) – Marketplace DE: Expired 3 days ago',
    unknownPlatform: 'sevDesk API token',
    statuses: [
      'Expired 3 days ago',
      'Authenticated (expires in 6 days)',
      'Authenticated (expires in 20 days)',
      'Authenticated (expires in 200 days)',
      'Expiry date unknown',
    ],
  },
  de: {
    empty: 'Noch wird nichts überwacht',
    emptyTooltip: 'Token-Wächter: Noch wird nichts überwacht',
    tooltipFirst: 'Amazon Seller Central (EU) – Marketplace DE: Seit 3 Tagen abgelaufen',
    unknownPlatform: 'sevDesk API-Token',
    statuses: [
      'Seit 3 Tagen abgelaufen',
      'Authentifiziert (läuft in 6 Tagen ab)',
      'Authentifiziert (läuft in 20 Tagen ab)',
      'Authentifiziert (läuft in 200 Tagen ab)',
      'Ablaufdatum unbekannt',
    ],
  },
} as const;

describe.each(['en', 'de'] as const)('the popup and the badge in real Chromium (%s)', (lang) => {
  const expected = EXPECTED[lang];
  let session: ExtensionSession | undefined;

  it('shows an empty state and an empty badge before anything is tracked', async () => {
    session = await browsers.session({ lang, timeZone: TIME_ZONE });
    const popup = await session.openPopup();
    expect(await popup.$eval('.empty-state h2', (el) => el.textContent)).toBe(expected.empty);
    await expect.poll(() => session!.badge()).toMatchObject({ text: '', title: expected.emptyTooltip });
  });

  it('lists the example connections by urgency with their status in the browser language', async () => {
    session = await browsers.session({ lang, timeZone: TIME_ZONE });
    const summary = await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
    expect(summary).toEqual({ imported: 5, skipped: [] });

    const popup = await session.openPopup();
    expect(await popup.evaluate(() => document.documentElement.lang)).toMatch(new RegExp(`^${lang}`));
    const listed = await rows(popup);
    expect(listed.map((row) => row.platform)).toEqual([
      'Amazon Seller Central (EU)',
      'eBay',
      'DATEV',
      'DATEV',
      expected.unknownPlatform,
    ]);
    expect(listed.map((row) => row.who)).toEqual([
      'Marketplace DE · A1B2C3D4E5F6G7',
      'Shop Berlin · verkauf@beispiel-shop.de',
      'Mandant 10002 Schneider Handel KG · a.becker',
      'Mandant 10001 Müller Bau GmbH · a.becker',
      'Buchhaltung',
    ]);
    expect(listed.map((row) => row.status)).toEqual(['expired', 'expiring', 'expiring', 'ok', 'unknown']);
    expect(listed.map((row) => row.text)).toEqual(expected.statuses);
  });

  it('marks an expired connection with a red "!" and names it first in the tooltip', async () => {
    session = await browsers.session({ lang, timeZone: TIME_ZONE });
    await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
    const badge = await session.badge();
    expect(badge.text).toBe('!');
    expect(badge.color).toEqual([197, 34, 31, 255]);
    expect(badge.title.split('\n')[1]).toBe(expected.tooltipFirst);
  });
});

describe('the badge counts days to the soonest expiry', () => {
  it('shows 6 in red for the eBay authorization when nothing has expired', async () => {
    const session = await browsers.session({ lang: 'en', timeZone: TIME_ZONE });
    const document = exampleConnections(Date.now(), TIME_ZONE);
    document.connections = document.connections.filter((c) => c.platformId === 'ebay' || c.platformId === 'datev');
    await importThroughPopup(session, document);
    const badge = await session.badge();
    expect(badge.text).toBe('6');
    expect(badge.color).toEqual([197, 34, 31, 255]);
    expect(badge.title.split('\n')).toEqual([
      'Token Watch',
      'eBay – Shop Berlin: Authenticated (expires in 6 days)',
      'DATEV – Mandant 10002 Schneider Handel KG: Authenticated (expires in 20 days)',
      'DATEV – Mandant 10001 Müller Bau GmbH: Authenticated (expires in 200 days)',
    ]);
  });
});
