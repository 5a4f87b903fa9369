import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importThroughPopup, launchWithExtension, sharedBrowsers, signInAtPlatform, type ExtensionSession } from '../../scripts/lib/chromium';
import { exampleConnections } from '../../scripts/lib/example-connections';
import { startLocalPlatforms, type LocalPlatforms } from '../../scripts/lib/local-platforms';

const TIME_ZONE = 'Europe/Berlin';
let session: ExtensionSession | undefined;
let platforms: LocalPlatforms;
// One browser per language for the file; each test finds it reset to a new profile's state.
const browsers = sharedBrowsers();

beforeAll(async () => {
  platforms = await startLocalPlatforms();
});
afterAll(async () => {
  await browsers.closeAll();
  await Promise.all(Object.values(platforms).map((platform) => platform.close()));
});

/** Fills a field of the "add" form by its name, as a user types. */
async function fill(page: Page, form: string, values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) {
    const selector = `${form} [name="${name}"]`;
    const type = await page.$eval(selector, (el) => (el as HTMLInputElement).type);
    if (type === 'date') await page.$eval(selector, (el, v) => ((el as HTMLInputElement).value = v, el.dispatchEvent(new Event('input', { bubbles: true }))), value);
    else await page.type(selector, value);
  }
}

const rowTexts = (page: Page) =>
  page.$$eval('.settings-row', (rows) => rows.map((row) => `${row.querySelector('.settings-row__head')?.textContent} | ${row.querySelector('.settings-row__status')?.textContent}`));

const messageOf = async (page: Page, scope: string) => {
  await page.waitForSelector(`${scope} .action-message:not(:empty)`, { timeout: 20_000 });
  return page.$eval(`${scope} .action-message`, (el) => el.textContent);
};

describe('the options page in real Chromium', () => {
  it('adds an OAuth connection and a tracked API key from the catalogue; "renewed today" restarts the key’s lifetime', async () => {
    // DATEV's sign-in host and its API host (token, userinfo, revocation), asked for together.
    session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE, siteAccess: ['https://127.0.0.1/*', 'https://login.datev.de/*', 'https://api.datev.de/*'] });
    const page = await session.openOptions();
    const add = 'form[aria-labelledby="add-connection"]';

    await page.select(`${add} select[name="platformId"]`, 'datev');
    await fill(page, add, { label: 'Mandant 10001 Müller Bau GmbH', field_consultant: '455148', field_client: '10001', clientId: 'datev-app-4711', clientSecret: 'geheim-123' });
    await page.click(`${add} input[name="scope"][value="accounting:documents"]`);
    await page.click(`${add} button[type="submit"]`);
    expect(await messageOf(page, add)).toBe('Hinzugefügt. Klicken Sie auf „Anmelden“, um die Verbindung herzustellen.');

    await page.select(`${add} select[name="platformId"]`, 'lexware-office-api-key');
    await fill(page, add, { label: 'Buchhaltung', issuedOn: '2025-01-10' });
    await page.click(`${add} button[type="submit"]`);
    await page.waitForFunction(() => document.querySelectorAll('.settings-row').length === 2);
    const rows = await rowTexts(page);
    expect(rows[0]).toMatch(/^DATEV · Mandant 10001 Müller Bau GmbH \| Noch nicht angemeldet$/);
    expect(rows[1]).toMatch(/^Lexware Office API-Schlüssel · Buchhaltung \| Gültig \(läuft in \d+ Tagen ab\) – Läuft ab am 10\.01\.2027/);

    const key = '.settings-row:nth-child(2)';
    await page.click(`${key} button[data-action="renewed"]`);
    await page.waitForFunction((selector) => !document.querySelector(selector)?.textContent?.includes('10.01.2027'), {}, `${key} .settings-row__status`);
    const [day, month, year] = new Intl.DateTimeFormat('de-DE', { timeZone: TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' }).format(Date.now()).split('.');
    expect(await page.$eval(`${key} .settings-row__status`, (el) => el.textContent)).toMatch(
      new RegExp(`^Gültig \\(läuft in 7[23]\\d Tagen ab\\) – Läuft ab am ${day}\\.${month}\\.${Number(year) + 2} `),
    );

    await page.click(`${key} button[data-action="history"]`);
    await page.waitForSelector(`${key} .history li`);
    expect(await page.$$eval(`${key} .history li`, (items) => items.map((item) => item.textContent?.replace(/^.* – /, '')))).toEqual([
      'Als erneuert markiert',
      'Hinzugefügt',
    ]);
  });

  it('adds a custom platform by discovery against the local oidc-provider, then signs in to it from the popup', async () => {
    session = await browsers.session({ lang: 'en', timeZone: TIME_ZONE });
    const page = await session.openOptions();
    const custom = 'form[aria-labelledby="custom-platform"]';
    await page.type(`${custom} input[name="issuer"]`, platforms.public.issuer);
    await page.click(`${custom} button[type="submit"]`);
    expect(await messageOf(page, custom)).toBe(`Found: ${platforms.public.issuer} (sign-in and token addresses checked, PKCE supported).`);
    await page.click(`${custom} input[name="platformName"]`, { clickCount: 3 });
    await page.type(`${custom} input[name="platformName"]`, 'Our shop system');
    await page.click(`${custom} input[value="sliding"]`);
    await page.click(`${custom} button[type="submit"]`);
    expect(await messageOf(page, custom)).toBe('Platform added. You can now add a connection to it.');

    const add = 'form[aria-labelledby="add-connection"]';
    // The form lists the new platform once the page has loaded the platforms again.
    const option = await page.waitForFunction((form) => [...document.querySelectorAll<HTMLOptionElement>(`${form} option`)].find((o) => o.textContent === 'Our shop system')?.value, {}, add);
    const customId = (await option.jsonValue()) as string;
    await page.select(`${add} select[name="platformId"]`, customId);
    await fill(page, add, { label: 'Webshop', clientId: platforms.public.clientId });
    await page.click(`${add} button[type="submit"]`);
    expect(await messageOf(page, add)).toBe('Added. Press “Sign in” to connect it.');

    const popup = await session.openPopup();
    await popup.click('li.connection button[data-action="consent"]');
    await signInAtPlatform(session, platforms.public.issuer, { login: 'erp-admin' });
    await popup.waitForSelector('li.connection .connection__feedback[data-kind="success"]', { timeout: 20_000 });
    expect(await popup.$eval('li.connection .connection__status', (el) => el.textContent)).toBe('Authenticated (expires in 90 days)');
  });

  it('refuses an address without HTTPS with a clear next step', async () => {
    session = await browsers.session({ lang: 'en', timeZone: TIME_ZONE });
    const page = await session.openOptions();
    const custom = 'form[aria-labelledby="custom-platform"]';
    await page.type(`${custom} input[name="issuer"]`, 'http://login.example.com');
    await page.click(`${custom} button[type="submit"]`);
    expect(await messageOf(page, custom)).toBe('The address must start with https://. Token Watch never sends sign-ins over unencrypted connections.');
  });

  it('exports to a file, and a new browser profile imports it again', async () => {
    const downloads = mkdtempSync(join(tmpdir(), 'token-watch-downloads-'));
    let newProfile: ExtensionSession | undefined;
    try {
      session = await browsers.session({ lang: 'en', timeZone: TIME_ZONE });
      let page = await session.openOptions();
      const add = 'form[aria-labelledby="add-connection"]';
      await page.select(`${add} select[name="platformId"]`, 'other-software');
      await fill(page, add, { label: 'eBay token in the ERP', expiresOn: '2027-06-30', renewUrl: 'https://erp.example/settings/ebay' });
      await page.click(`${add} button[type="submit"]`);
      await page.waitForSelector('.settings-row');
      const cdp = await session.browser.target().createCDPSession();
      await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      await page.click('button[data-action="export"]');
      const file = await waitForFile(downloads, /\.json$/);
      const exported = JSON.parse(readFileSync(file, 'utf8'));
      expect(exported).toMatchObject({ format: 'token-watch', version: 2, connections: [{ label: 'eBay token in the ERP', renewUrl: 'https://erp.example/settings/ebay' }] });

      // A new computer: a fresh profile in a browser of its own, the file imported through the page.
      newProfile = await launchWithExtension({ lang: 'en', timeZone: TIME_ZONE });
      page = await newProfile.openOptions();
      const input = await page.$('input[type="file"][name="import"]');
      await input!.uploadFile(file);
      expect(await messageOf(page, 'section[aria-labelledby="transfer"]')).toBe('1 imported, 0 skipped.');
      expect(await rowTexts(page)).toEqual([expect.stringMatching(/^Authorization held by other software · eBay token in the ERP \| Valid \(expires in \d+ days\) – Expires on Jun 30, 2027 \(date entered by you\)$/)]);

      // The same file again: nothing is added twice, and the report says why.
      const again = join(downloads, 'again.json');
      writeFileSync(again, readFileSync(file));
      await (await page.$('input[type="file"][name="import"]'))!.uploadFile(again);
      await page.waitForFunction(() => document.querySelector('section[aria-labelledby="transfer"] .action-message')?.textContent?.startsWith('0 imported'));
      expect(await page.$eval('section[aria-labelledby="transfer"] .action-message', (el) => el.textContent)).toBe(
        '0 imported, 1 skipped.\nEntry 1 (eBay token in the ERP): already watched',
      );
    } finally {
      await newProfile?.close();
      rmSync(downloads, { recursive: true, force: true });
    }
  });

  it.each(['light', 'dark'] as const)('axe-core finds no violations on the options page with the example office (%s scheme)', async (scheme) => {
    session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE });
    await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
    const page = await session.openOptions();
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    // The connections are listed, so that their rows and buttons are checked too.
    await page.waitForFunction(() => document.querySelectorAll('.settings-row[data-connection-id]').length > 3);
    await page.evaluate(readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
      return result.violations.map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    });
    expect(violations).toEqual([]);
  });
});

async function waitForFile(dir: string, pattern: RegExp): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = readdirSync(dir).find((name) => pattern.test(name));
    if (found) return join(dir, found);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`No download matching ${pattern} in ${dir}`);
}
