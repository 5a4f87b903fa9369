import { importAsSettingsPage } from '../../scripts/lib/import-file';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendFromPage, signInAtPlatform } from '../../scripts/lib/chromium';
import { exampleConnections } from '../../scripts/lib/example-connections';
import { launchFirefoxWithExtension, type FirefoxSession } from '../../scripts/lib/firefox';
import { connectLocalOffice, startLocalPlatforms, type LocalPlatforms } from '../../scripts/lib/local-platforms';

const TIME_ZONE = 'Europe/Berlin';
let platforms: LocalPlatforms;
let shared: FirefoxSession | undefined;

/** One Firefox for the file: the first test gets it new, the next one reset to a new profile's state. */
async function firefox(): Promise<FirefoxSession> {
  if (shared?.browser.connected) {
    await shared.reset();
    return shared;
  }
  // A browser that crashed in the last test is replaced.
  await shared?.close().catch(() => undefined);
  shared = await launchFirefoxWithExtension({ timeZone: TIME_ZONE });
  return shared;
}

beforeAll(async () => {
  platforms = await startLocalPlatforms();
});
afterAll(async () => {
  await shared?.close();
  await Promise.all(Object.values(platforms).map((platform) => platform.close()));
});

/** Imports the example office, then reads what a user sees: the badge, the popup's statuses and its buttons' names. */
async function exampleOfficeSeen(session: FirefoxSession) {
  const page = await session.openPopup();
  expect((await importAsSettingsPage((message) => sendFromPage(page, message), exampleConnections(Date.now(), TIME_ZONE))).skipped).toEqual([]);
  await page.close();
  const badge = await session.badge();
  const popup = await session.openPopup();
  await popup.waitForSelector('li.connection');
  const statuses = await popup.$$eval('li.connection .connection__status', (items) => items.map((item) => item.textContent));
  const names = await popup.$$eval('li.connection button[aria-label]', (buttons) => buttons.map((button) => button.getAttribute('aria-label')));
  return { badge, statuses, names };
}

describe('Firefox ESR', () => {
  it('shows the badge and the popup’s list for the example office', async () => {
    const { badge, statuses } = await exampleOfficeSeen(await firefox());
    expect(badge).toEqual({
      text: '!',
      title: expect.stringMatching(/^Token Watch\nAmazon Seller Central \(EU\) – Marketplace DE: Expired 3 days ago\n/),
    });
    expect(statuses).toEqual([
      'Expired 3 days ago',
      'Authenticated (expires in 6 days)',
      'Authenticated (expires in 20 days)',
      'Authenticated (expires in 200 days)',
      'Expiry date unknown',
    ]);
  });

  it('speaks German where Firefox does: badge, popup and buttons', async () => {
    const german = await launchFirefoxWithExtension({ timeZone: TIME_ZONE, lang: 'de' });
    try {
      const { badge, statuses, names } = await exampleOfficeSeen(german);
      expect(badge).toEqual({
        text: '!',
        title: expect.stringMatching(/^Token-Wächter\nAmazon Seller Central \(EU\) – Marketplace DE: Seit 3 Tagen abgelaufen\n/),
      });
      expect(statuses).toEqual([
        'Seit 3 Tagen abgelaufen',
        'Authentifiziert (läuft in 6 Tagen ab)',
        'Authentifiziert (läuft in 20 Tagen ab)',
        'Authentifiziert (läuft in 200 Tagen ab)',
        'Ablaufdatum unbekannt',
      ]);
      expect(names).toContain('Datum eintragen: sevDesk API-Token – Buchhaltung');
    } finally {
      await german.close();
    }
  });

  it('signs in for real: the popup’s button, the platform’s window, the new dates', async () => {
    const session = await firefox();
    let popup = await session.openPopup();
    const office = await connectLocalOffice(popup, platforms);
    try {
      await popup.close();
      popup = await session.openPopup();
      const row = `li[data-connection-id="${office.connections.public.id}"]`;
      await popup.click(`${row} button[data-action="consent"]`);
      await signInAtPlatform(session, platforms.public.issuer, { login: 'firefox-user' });
      await popup.waitForSelector(`${row} .connection__feedback[data-kind="success"]`, { timeout: 30_000 });
      expect(await popup.$eval(`${row} .connection__status`, (el) => el.textContent)).toBe('Authenticated (expires in 90 days)');
      expect(await popup.$eval(`${row} .connection__who`, (el) => el.textContent)).toBe('Webshop · firefox-user@example.com');
    } finally {
      await office.close();
    }
  });
});
