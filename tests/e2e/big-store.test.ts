import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchWithExtension, type ExtensionSession } from '../../scripts/lib/chromium';
import { createConnection } from '../../utils/records/new-connection';

const STORED = 100_000;
const HUGE_LABEL = 50_000_000;
let session: ExtensionSession | undefined;
const downloads = mkdtempSync(join(tmpdir(), 'token-watch-big-store-'));
afterAll(async () => {
  await session?.close();
  rmSync(downloads, { recursive: true, force: true });
});

async function waitForFile(dir: string, pattern: RegExp, timeoutMs = 120_000): Promise<string> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 200))) {
    const found = readdirSync(dir).find((name) => pattern.test(name));
    if (found) return join(dir, found);
  }
  throw new Error(`No download matching ${pattern} in ${dir}`);
}

describe('a store far beyond the limit, written before there was one (issue 12, item 3)', () => {
  it(`${STORED.toLocaleString('en')} connections and one ${HUGE_LABEL / 1e6} MB label: popup and settings stay usable, export everything, remove all`, async () => {
    session = await launchWithExtension({ siteAccess: [] });
    // The popup's first list has the extension create its database.
    await (await session.openPopup()).close();
    const day = 86_400_000;
    const template = createConnection(
      { platformId: 'sevdesk-api-token', label: 'API-Token', account: '', consentedAt: null, requestedBy: 'earlier version', grantExpiry: { at: Date.now() + 400 * day, source: 'user' } },
      { id: 'template', now: Date.now() },
    );
    // Written straight into the database, as an earlier version's import did without limits.
    await (await session.worker()).evaluate(
      async (record, count, hugeLength, expiredAt) => {
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const request = indexedDB.open('token-watch');
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        const tx = db.transaction('connections', 'readwrite');
        const store = tx.objectStore('connections');
        for (let index = 0; index < count; index++) store.put({ ...record, id: `old-${index}`, label: `API-Token ${index}` });
        // The most urgent of all, so the popup's first screen shows it.
        store.put({ ...record, id: 'huge', label: `Riesig ${'x'.repeat(hugeLength)}`, grantExpiry: { at: expiredAt, source: 'user' } });
        await new Promise((resolve, reject) => {
          tx.oncomplete = resolve;
          tx.onerror = () => reject(tx.error);
        });
        db.close();
      },
      template,
      STORED,
      HUGE_LABEL,
      Date.now() - 2 * day,
    );

    // The popup: the most urgent rows, the huge label cut for showing, and a word about the rest.
    const popup = await session.openPopup();
    await popup.waitForSelector('[data-beyond-limit]', { timeout: 120_000 });
    const seen = await popup.evaluate(() => ({
      rows: document.querySelectorAll('li.connection').length,
      first: document.querySelector('li.connection .connection__who')?.textContent ?? '',
      note: document.querySelector('[data-beyond-limit]')?.textContent,
    }));
    expect(seen.rows).toBe(2_000);
    expect(seen.first.startsWith('Riesig xxx')).toBe(true);
    expect(seen.first.length).toBeLessThan(400);
    expect(seen.note).toBe('98,001 more connections are stored than Token Watch works with. The settings page says what to do.');
    await popup.close();

    // The settings page: says what happened and what to do, and lists the most urgent.
    const page = await session.openOptions();
    await page.waitForSelector('[data-beyond-limit]', { timeout: 120_000 });
    expect(await page.$eval('[data-beyond-limit]', (element) => element.textContent)).toBe(
      'Token Watch works with at most 2,000 connections, and this browser holds 100,001 (stored by an earlier version). The list shows the 2,000 most urgent. Export them all to a file below, then remove all connections and import the ones you need.',
    );
    expect(await page.$$eval('.settings-row', (rows) => rows.length)).toBe(2_000);

    // The export takes every stored record whole: nothing is lost on the way out.
    const cdp = await session.browser.target().createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await page.click('button[data-action="export"]');
    const exported = JSON.parse(readFileSync(await waitForFile(downloads, /\.json$/), 'utf8')) as { connections: { label: string }[] };
    expect(exported.connections).toHaveLength(STORED + 1);
    expect(exported.connections.find((connection) => connection.label.startsWith('Riesig'))!.label).toHaveLength(HUGE_LABEL + 'Riesig '.length);

    // Then everything can go, after a question that names how many.
    await page.click('button[data-action="remove-all"]');
    expect(await page.$eval('[data-remove-all="confirm"] p', (element) => element.textContent)).toMatch(/^Remove all 100,001 connections\?/);
    await page.click('button[data-action="confirm-remove-all"]');
    await page.waitForFunction(() => document.querySelector('section[aria-labelledby="transfer"] .action-message')?.textContent === '100,001 connections removed.', { timeout: 120_000 });
    await page.waitForFunction(() => document.querySelectorAll('.settings-row').length === 0 && !document.querySelector('[data-beyond-limit]'));
    expect(await session.badge()).toMatchObject({ text: '' });
  }, 600_000);
});
