import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { importThroughPopup, sendFromPage, sharedBrowsers, type ExtensionSession } from '../../scripts/lib/chromium';
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

/** The popup's rows, each with its buttons' accessible names, first the row's own (not those in its details). */
async function rowButtons(page: Page) {
  return page.$$eval('li.connection', (items) =>
    items.map((item) => ({
      who: item.querySelector('.connection__who')?.textContent?.split(' · ')[0],
      buttons: [...item.querySelectorAll(':scope > .connection__body > .connection__actions button')].map((button) => button.getAttribute('aria-label')),
      inDetails: [...item.querySelectorAll('details.connection__details button')].map((button) => button.getAttribute('data-action')),
    })),
  );
}

/** Every button's name as the browser computes it for screen readers. */
async function accessibleButtonNames(page: Page): Promise<string[]> {
  const names: string[] = [];
  const walk = (node: { role?: string; name?: string; children?: unknown[] } | null) => {
    if (!node) return;
    if (node.role === 'button' && node.name) names.push(node.name);
    for (const child of node.children ?? []) walk(child as typeof node);
  };
  walk(await page.accessibility.snapshot({ interestingOnly: false }));
  return names;
}

/** Types a date into a date field the way a person's choice arrives: its value, then an input event. */
async function enterDate(page: Page, selector: string, value: string) {
  await page.$eval(selector, (el, v) => ((el as HTMLInputElement).value = v, el.dispatchEvent(new Event('input', { bubbles: true }))), value);
}

/** A page the popup opened in a new tab, once its address is what `matches` expects. */
async function openedPage(session: ExtensionSession, matches: (url: string) => boolean): Promise<Page> {
  const target = await session.browser.waitForTarget((t) => t.type() === 'page' && matches(t.url()), { timeout: 20_000 });
  return (await target.page())!;
}

const localDate = (instant: number) => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(instant);

describe('every row’s first button is its next step, named with its connection (de)', () => {
  it('leads each row of the example office, with removing kept in the details', async () => {
    const session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE });
    await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
    const popup = await session.openPopup();
    expect(await popup.$eval('.popup__summary', (el) => el.textContent)).toBe('4 brauchen Aufmerksamkeit · 1 in Ordnung');
    expect(await rowButtons(popup)).toEqual([
      { who: 'Marketplace DE', buttons: ['Anmeldung einrichten: Amazon Seller Central (EU) – Marketplace DE'], inDetails: ['remove'] },
      { who: 'Shop Berlin', buttons: ['Anmeldung einrichten: eBay – Shop Berlin'], inDetails: ['remove'] },
      { who: 'Mandant 10002 Schneider Handel KG', buttons: ['Anmeldung einrichten: DATEV – Mandant 10002 Schneider Handel KG'], inDetails: ['remove'] },
      { who: 'Mandant 10001 Müller Bau GmbH', buttons: ['Anmeldung einrichten: DATEV – Mandant 10001 Müller Bau GmbH'], inDetails: ['remove'] },
      { who: 'Buchhaltung', buttons: ['Datum eintragen: sevDesk API-Token – Buchhaltung'], inDetails: ['remove'] },
    ]);
    // What sits in a closed details element is hidden from screen readers too: open one.
    await popup.click('li.connection:nth-child(2) details summary');
    const names = await accessibleButtonNames(popup);
    expect(names).toEqual(expect.arrayContaining(['Anmeldung einrichten: eBay – Shop Berlin', 'Datum eintragen: sevDesk API-Token – Buchhaltung', 'Entfernen: eBay – Shop Berlin']));
    // No two buttons share a name: each says whose it is.
    expect(new Set(names).size).toBe(names.length);
  });

  it('"Anmeldung einrichten" opens the settings at the connection, missing fields marked; once saved, the row signs in', async () => {
    const session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE, siteAccess: ['https://127.0.0.1/*', 'https://api.ebay.com/*'] });
    await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
    let popup = await session.openPopup();
    await popup.click('::-p-aria(Anmeldung einrichten: eBay – Shop Berlin)');
    const settings = await openedPage(session, (url) => url.includes('/options.html#set-up='));
    await settings.waitForSelector('form[data-form="set-up"]');
    const setUp = await settings.$eval('form[data-form="set-up"]', (form) => ({
      name: form.getAttribute('aria-label'),
      marked: [...form.querySelectorAll('[aria-invalid="true"]')].map((input) => input.getAttribute('name')),
      focused: document.activeElement?.getAttribute('name'),
      row: form.closest('.settings-row')?.querySelector('.settings-row__head')?.textContent,
      id: form.closest('.settings-row')?.getAttribute('data-connection-id'),
    }));
    expect(setUp).toEqual({
      name: 'Anmeldung einrichten: eBay – Shop Berlin',
      marked: ['clientId', 'clientSecret', 'redirectName'],
      focused: 'clientId',
      row: 'eBay · Shop Berlin · verkauf@beispiel-shop.de',
      id: expect.any(String),
    });

    // The form with its marks passes axe-core, as the rest of the page does.
    await settings.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await settings.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string }[] }> } }).axe.run();
      return result.violations.map((violation) => violation.id);
    });
    expect(violations).toEqual([]);

    await settings.type('form[data-form="set-up"] [name="clientId"]', 'Beispiel-Shop-PRD-1234');
    await settings.type('form[data-form="set-up"] [name="clientSecret"]', 'PRD-geheim');
    await settings.type('form[data-form="set-up"] [name="redirectName"]', 'Beispiel_Shop-Beispiel-PRD');
    await settings.click('form[data-form="set-up"] button[type="submit"]');
    await settings.waitForFunction(
      (selector) => document.querySelector(selector)?.textContent?.startsWith('Anmeldung eingerichtet'),
      { timeout: 20_000 },
      `.settings-row[data-connection-id="${setUp.id}"] .action-message`,
    );

    popup = await session.openPopup();
    const shop = (await rowButtons(popup)).find((row) => row.who === 'Shop Berlin');
    expect(shop?.buttons).toEqual(['Anmelden: eBay – Shop Berlin']);
  });

  it('"Datum eintragen" takes the date in place, and the row is dated', async () => {
    const session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE });
    await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
    const popup = await session.openPopup();
    const id = await popup.$eval('li.connection[data-status="unknown"]', (el) => el.getAttribute('data-connection-id'));
    const row = `li.connection[data-connection-id="${id}"]`;
    await popup.click('::-p-aria(Datum eintragen: sevDesk API-Token – Buchhaltung)');
    expect(await popup.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('expiresOn');
    const due = Date.now() + 100 * 86_400_000;
    await enterDate(popup, `${row} input[name="expiresOn"]`, localDate(due));
    await popup.click('::-p-aria(Speichern: sevDesk API-Token – Buchhaltung)');
    await popup.waitForFunction((selector) => document.querySelector(selector)?.textContent?.startsWith('Gültig'), { timeout: 20_000 }, `${row} .connection__status`);
    expect(await popup.$eval(`${row} .connection__status`, (el) => el.textContent)).toMatch(/^Gültig \(läuft in (99|100) Tagen ab\)$/);
    expect(await popup.$eval(`${row} .connection__feedback`, (el) => el.textContent)).toMatch(/^Gespeichert: gültig bis \d\d\.\d\d\.\d{4}\.$/);
  });

  it('a tracked key leads with its renewal page, then "Heute erneuert" with the date its rule gives', async () => {
    const session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE });
    let popup = await session.openPopup();
    const renewUrl = 'https://127.0.0.1:9/schluessel';
    const issued = localDate(Date.now() - (730 - 6) * 86_400_000);
    const reply = (await sendFromPage(popup, { type: 'connections/track', connection: { platformId: 'lexware-office-api-key', label: 'Buchhaltung', account: '', issuedOn: issued, renewUrl } })) as { ok: boolean };
    expect(reply.ok).toBe(true);
    popup = await session.openPopup();
    expect((await rowButtons(popup))[0]!.buttons).toEqual(['Erneuerungsseite öffnen: Lexware Office API-Schlüssel – Buchhaltung', 'Heute erneuert: Lexware Office API-Schlüssel – Buchhaltung']);

    await popup.click('::-p-aria(Erneuerungsseite öffnen: Lexware Office API-Schlüssel – Buchhaltung)');
    const opened = await openedPage(session, (url) => url.startsWith(renewUrl));
    await opened.close();

    await popup.click('::-p-aria(Heute erneuert: Lexware Office API-Schlüssel – Buchhaltung)');
    const today = localDate(Date.now());
    const inTwoYears = `${Number(today.slice(0, 4)) + 2}${today.slice(4)}`;
    expect(await popup.$eval('input[name="expiresOn"]', (el) => (el as HTMLInputElement).value)).toBe(inTwoYears);
    await popup.click('::-p-aria(Speichern: Lexware Office API-Schlüssel – Buchhaltung)');
    await popup.waitForFunction(() => /^Gültig \(läuft in 7[23]\d Tagen ab\)$/.test(document.querySelector('li.connection .connection__status')?.textContent ?? ''), { timeout: 20_000 });
  });

  it('the empty state’s button opens the settings at the form that adds a connection', async () => {
    const session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE });
    const popup = await session.openPopup();
    await popup.click('::-p-aria(Verbindung hinzufügen)');
    const settings = await openedPage(session, (url) => url.endsWith('/options.html#add'));
    await settings.waitForSelector('main.options[aria-busy="false"]');
    await settings.waitForFunction(() => document.activeElement?.getAttribute('name') === 'platformId');
  });

  it('a new connection waiting for its first sign-in is a calm to-do on the badge, and its row leads with "Anmelden"', async () => {
    const session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE });
    let popup = await session.openPopup();
    const reply = (await sendFromPage(popup, { type: 'connections/create', connection: { platformId: 'etsy', label: 'Laden', account: '', client: { clientId: 'etsy-app', exchange: 'public' } } })) as { ok: boolean };
    expect(reply.ok).toBe(true);
    await expect.poll(() => session.badge()).toMatchObject({ text: '•', color: [26, 95, 180, 255] });
    expect((await session.badge()).title.split('\n')[1]).toBe('Etsy – Laden: Noch nicht angemeldet');
    popup = await session.openPopup();
    expect(await popup.$eval('li.connection', (el) => el.getAttribute('data-tone'))).toBe('todo');
    expect((await rowButtons(popup))[0]!.buttons).toEqual(['Anmelden: Etsy – Laden']);
  });

  it('removing from the details can be undone; left alone, it goes through', async () => {
    const session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE });
    await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
    let popup = await session.openPopup();
    const buchhaltung = 'li.connection[data-status="unknown"]';
    await popup.click(`${buchhaltung} details summary`);
    await popup.click('::-p-aria(Entfernen: sevDesk API-Token – Buchhaltung)');
    expect(await popup.$(buchhaltung)).toBeNull();
    expect(await popup.$eval('.popup__notice', (el) => el.textContent)).toBe('„sevDesk API-Token – Buchhaltung“ wird entfernt. Rückgängig');
    await popup.click('::-p-aria(Rückgängig: sevDesk API-Token – Buchhaltung)');
    expect(await popup.$(buchhaltung)).not.toBeNull();

    popup = await session.openPopup();
    await popup.click(`${buchhaltung} details summary`);
    await popup.click('::-p-aria(Entfernen: sevDesk API-Token – Buchhaltung)');
    await popup.waitForFunction(() => document.querySelector('.popup__notice')?.textContent?.startsWith('Aus Token-Wächter entfernt'), { timeout: 20_000 });
    popup = await session.openPopup();
    expect((await rows(popup)).map((row) => row.who)).not.toContain('Buchhaltung');
  });
});
