import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { GECKO_ID } from '../../wxt.config';
import { extensionStateLeft, wipeExtensionState } from './chromium';

export const FIREFOX_BUILD_DIR = resolve(import.meta.dirname, '../../.output/firefox-mv3');
/** Pinned so the extension's pages have a known address (moz-extension://<uuid>/) in tests. */
export const FIREFOX_EXTENSION_UUID = '6f1d9c2e-4b7a-4e3f-9a58-1c2d3e4f5a6b';
export const FIREFOX_ORIGIN = `moz-extension://${FIREFOX_EXTENSION_UUID}`;

const INSTALL_HINT =
  'Install Firefox with "sudo apt-get install firefox-esr" (Debian, Ubuntu), or set TOKEN_WATCH_FIREFOX to the path of a Firefox binary.';

export function findFirefox(): string {
  const fromEnv = process.env.TOKEN_WATCH_FIREFOX;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`The browser ${fromEnv} does not exist. ${INSTALL_HINT}`);
    return fromEnv;
  }
  const found = ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((path) => existsSync(path));
  if (!found) throw new Error(`No Firefox found. ${INSTALL_HINT}`);
  return found;
}

export interface FirefoxSession {
  browser: Browser;
  /** Opens one of the extension's pages; Firefox's goto of moz-extension pages never resolves, so wait for content. */
  openPage(path: string, ready: string): Promise<Page>;
  openPopup(): Promise<Page>;
  badge(): Promise<{ text: string; title: string }>;
  /**
   * Brings the browser back to what a test finds after launch, without a new browser: every tab
   * but one blank one closed; the extension's databases, storage, alarms, notifications and
   * granted hosts wiped; the extension reloaded (a new background, nothing of the old one in
   * memory), checked empty and its badge back to the empty state; the browser's cookies deleted.
   */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * `lang` "de" needs Firefox's German language pack (Debian's `firefox-esr-l10n-de`, which `.ci/run`
 * installs): Firefox then speaks German, and so does the extension.
 */
export async function launchFirefoxWithExtension({ timeZone = 'Europe/Berlin', lang = 'en' }: { timeZone?: string; lang?: 'en' | 'de' } = {}): Promise<FirefoxSession> {
  if (!existsSync(join(FIREFOX_BUILD_DIR, 'manifest.json'))) {
    throw new Error(`No Firefox build in ${FIREFOX_BUILD_DIR}. Run "npm run build:firefox" first.`);
  }
  const profile = mkdtempSync(join(tmpdir(), 'token-watch-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    userDataDir: profile,
    // Without it Firefox refuses to navigate the automation to moz-extension:// pages.
    args: ['--remote-allow-system-access'],
    // The local test platforms use a certificate made at start-up.
    acceptInsecureCerts: true,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
      // What a user grants at the prompt, granted without one: a test cannot click it.
      'extensions.webextOptionalPermissionPrompts': false,
      'intl.locale.requested': lang === 'de' ? 'de' : 'en-US',
      // The system's language packs (Debian installs them beside Firefox) may be used.
      'extensions.autoDisableScopes': 0,
      'datareporting.policy.dataSubmissionEnabled': false,
      'app.update.enabled': false,
      'browser.shell.checkDefaultBrowser': false,
    },
    env: { ...process.env, TZ: timeZone },
  });
  await browser.installExtension(FIREFOX_BUILD_DIR);

  async function openPage(path: string, ready: string, timeout = 20_000): Promise<Page> {
    const page = await browser.newPage();
    void page.goto(`${FIREFOX_ORIGIN}/${path}`).catch(() => undefined);
    // While the page replaces its first, empty document, an evaluation can fail with a protocol
    // error instead of waiting; such a failure is retried, a real timeout is not.
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        await page.waitForSelector(ready, { timeout: Math.max(1, deadline - Date.now()) });
        return page;
      } catch (error) {
        if (Date.now() >= deadline || (error instanceof Error && error.name === 'TimeoutError')) {
          await page.close().catch(() => undefined);
          throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  return {
    browser,
    openPage,
    openPopup: () => openPage('popup.html', 'main.popup[aria-busy="false"]'),
    async badge() {
      const page = await openPage('popup.html', 'main.popup');
      const badge = await page.evaluate(async () => {
        const api = (globalThis as unknown as { browser: typeof chrome }).browser;
        return { text: await api.action.getBadgeText({}), title: await api.action.getTitle({}) };
      });
      await page.close();
      return badge;
    },
    async reset() {
      const pages = await browser.pages();
      const blank = pages.find((page) => page.url() === 'about:blank') ?? (await browser.newPage());
      await Promise.all(pages.filter((page) => page !== blank).map((page) => page.close()));

      // From one of its pages the extension wipes its own state and reloads itself: the new
      // background finds what a new install finds, or (should a task of the old one have written
      // after the wipe) it all goes again.
      let left: string[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const page = await openPage('popup.html', 'main.popup[aria-busy="false"]');
        await page.evaluate(wipeExtensionState);
        // The old background is marked, to tell the new one. The reload closes the extension's
        // tabs, so the evaluation may not answer; the page's document going away tells when it has
        // happened (page.url() does not follow moz-extension pages).
        page
          .evaluate(async () => {
            const api = (globalThis as unknown as { browser: typeof chrome }).browser;
            Object.assign((await api.runtime.getBackgroundPage())!, { tokenWatchBeforeReset: true });
            api.runtime.reload();
          })
          .catch(() => undefined);
        for (const deadline = Date.now() + 10_000; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
          const address = await Promise.race([page.evaluate(() => location.href), new Promise<string>((resolve) => setTimeout(resolve, 1_000, FIREFOX_ORIGIN))]).catch(() => null);
          if (address === null || !address.startsWith(FIREFOX_ORIGIN)) break;
          if (Date.now() > deadline) throw new Error('The extension did not reload.');
        }
        await page.close().catch(() => undefined);

        // The reloaded extension's page (should the extension still be starting, once more).
        const check = await openPage('popup.html', 'main.popup[aria-busy="false"]', 10_000).catch(() => openPage('popup.html', 'main.popup[aria-busy="false"]'));
        await check.waitForFunction(
          async () => {
            const background = await (globalThis as unknown as { browser: typeof chrome }).browser.runtime.getBackgroundPage();
            return background !== undefined && !('tokenWatchBeforeReset' in background);
          },
          { polling: 50, timeout: 10_000 },
        );
        left = await check.evaluate(extensionStateLeft);
        await check.close();
        if (left.length === 0) break;
      }
      if (left.length > 0) throw new Error(`The extension kept state through the reset: ${left.join('; ')}`);

      const cookies = await browser.cookies();
      if (cookies.length > 0) await browser.deleteCookie(...cookies);
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
