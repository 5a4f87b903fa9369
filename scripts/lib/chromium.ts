import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type WebWorker } from 'puppeteer-core';

/** Follows from the manifest `key` in wxt.config.ts (checked by a unit test). */
export const CHROME_EXTENSION_ID = 'nbcciljdmbmgpmklgkcafonbdgigmaoj';
export const CHROME_BUILD_DIR = resolve(import.meta.dirname, '../../.output/chrome-mv3');

const INSTALL_HINT =
  'Install Chromium with "sudo apt-get install chromium chromium-l10n" (Debian, Ubuntu), ' +
  'or set TOKEN_WATCH_CHROMIUM to the path of a Chrome or Chromium binary.';

/** An explicit path first, then the system's Chromium, then a browser puppeteer downloaded itself. */
export function findChromium(): string {
  const fromEnv = process.env.TOKEN_WATCH_CHROMIUM ?? process.env.PUPPETEER_EXECUTABLE_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`The browser ${fromEnv} does not exist. ${INSTALL_HINT}`);
    return fromEnv;
  }
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome'];
  const found = system.find((path) => existsSync(path));
  if (found) return found;
  try {
    const { executablePath } = createRequire(import.meta.url)('puppeteer') as { executablePath(): string };
    const downloaded = executablePath();
    if (existsSync(downloaded)) return downloaded;
  } catch {
    // puppeteer itself is optional: only puppeteer-core is a dependency.
  }
  throw new Error(`No Chromium found. ${INSTALL_HINT}`);
}

/** Keeps Chromium from dialing out: these machines, and CI, have no internet. */
const QUIET_FLAGS = [
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--no-default-browser-check',
  // The local test platforms speak HTTPS with a certificate made at start-up.
  '--ignore-certificate-errors',
];

export interface LaunchOptions {
  /** UI language of the browser, and so of the extension: "en" or "de". */
  lang?: string;
  timeZone?: string;
  headless?: boolean;
  extensionDir?: string;
  /**
   * Sites the user has allowed the extension to reach, as in chrome://extensions,
   * "Site access". The local platforms run on 127.0.0.1.
   */
  siteAccess?: string[];
}

export interface ExtensionSession {
  browser: Browser;
  extensionId: string;
  worker(): Promise<WebWorker>;
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  badge(): Promise<{ text: string; title: string; color: number[] }>;
  close(): Promise<void>;
}

export async function launchWithExtension({
  lang = 'en',
  timeZone = 'Europe/Berlin',
  headless = true,
  extensionDir = CHROME_BUILD_DIR,
  siteAccess = ['https://127.0.0.1/*'],
}: LaunchOptions = {}): Promise<ExtensionSession> {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}. Run "npm run build" first.`);
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'token-watch-profile-'));
  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless,
    pipe: true,
    enableExtensions: [extensionDir],
    userDataDir,
    args: [...QUIET_FLAGS, `--lang=${lang}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
    env: { ...process.env, LANGUAGE: lang, TZ: timeZone },
  });
  const extensionId = CHROME_EXTENSION_ID;
  const workerUrl = `chrome-extension://${extensionId}/background.js`;

  // The extension installs after launch resolves: wait for its service worker.
  async function worker(): Promise<WebWorker> {
    const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url() === workerUrl, {
      timeout: 20_000,
    });
    const handle = await target.worker();
    if (!handle) throw new Error('The extension service worker did not start.');
    return handle;
  }
  await worker();
  await allowSites(browser, extensionId, siteAccess);

  return {
    browser,
    extensionId,
    worker,
    async openPopup() {
      const page = await browser.newPage();
      await page.setViewport({ width: 380, height: 600 });
      await page.goto(`chrome-extension://${extensionId}/popup.html`);
      await page.waitForSelector('main.popup[aria-busy="false"]');
      return page;
    },
    async openOptions() {
      const page = await browser.newPage();
      await page.setViewport({ width: 900, height: 900 });
      await page.goto(`chrome-extension://${extensionId}/options.html`);
      await page.waitForSelector('main.options[aria-busy="false"]');
      return page;
    },
    async badge() {
      const sw = await worker();
      return sw.evaluate(async () => ({
        text: await chrome.action.getBadgeText({}),
        title: await chrome.action.getTitle({}),
        color: await chrome.action.getBadgeBackgroundColor({}),
      }));
    },
    async close() {
      await browser.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Grants host access the way a user does on the extension's details page in
 * chrome://extensions, since a test cannot click the permission prompt that
 * permissions.request shows. The extension then finds the access granted.
 */
async function allowSites(browser: Browser, extensionId: string, sites: string[]) {
  if (sites.length === 0) return;
  const page = await browser.newPage();
  try {
    await page.goto('chrome://extensions/');
    for (const site of sites) {
      const error = await page.evaluate(
        (id, host) =>
          new Promise<string | null>((resolve) => {
            const privateApi = (chrome as unknown as { developerPrivate: { addHostPermission(id: string, host: string, done: () => void): void } }).developerPrivate;
            privateApi.addHostPermission(id, host, () => resolve(chrome.runtime.lastError?.message ?? null));
          }),
        extensionId,
        site,
      );
      if (error) throw new Error(`Could not allow ${site} for the extension: ${error}`);
    }
  } finally {
    await page.close();
  }
}

/** Sends one message of the extension's protocol from one of its own pages, as the pages do. */
export async function sendFromPage(page: Page, message: object): Promise<unknown> {
  return page.evaluate((m) => chrome.runtime.sendMessage(m), message);
}

/**
 * Plays the user in the sign-in window that launchWebAuthFlow opened at a
 * local platform: signs in, then confirms the access (or cancels).
 */
export async function signInAtPlatform(
  session: { browser: Browser },
  issuer: string,
  { login = 'anna', password = 'demo', cancel = false }: { login?: string; password?: string; cancel?: boolean } = {},
): Promise<void> {
  const target = await session.browser.waitForTarget((t) => t.type() === 'page' && t.url().startsWith(issuer), { timeout: 20_000 });
  const page = (await target.page())!;
  await page.waitForSelector('input[name="login"]');
  if (cancel) {
    await Promise.all([page.waitForNavigation().catch(() => undefined), page.click('a[href*="/abort"]')]);
    return;
  }
  await page.type('input[name="login"]', login);
  await page.type('input[name="password"]', password);
  await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
  // The consent screen; its button ends the flow and the window closes by itself.
  await page.waitForSelector('button[type="submit"]');
  await page.click('button[type="submit"]').catch(() => undefined);
}

/** Puts connections in through the extension's own import message, with the file's text as the settings page sends it. */
export async function importThroughPopup(session: ExtensionSession, document: unknown) {
  const page = await session.openPopup();
  const reply = (await sendFromPage(page, { type: 'connections/import', document: JSON.stringify(document) })) as { ok: boolean; value?: unknown } | undefined;
  await page.close();
  if (!reply?.ok) throw new Error(`The extension refused the example data: ${JSON.stringify(reply)}`);
  return reply.value as { imported: number; skipped: unknown[] };
}
