import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page, type Target, type WebWorker } from 'puppeteer-core';
import { importAsSettingsPage } from './import-file';
import { homeTrusting } from './nss';

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
];

/** The local test platforms speak HTTPS with a certificate made at start-up, which this browser accepts unchecked. */
const ACCEPT_ANY_CERTIFICATE = '--ignore-certificate-errors';

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
  /**
   * Chromium's own host name mapping (`--host-resolver-rules`), so that a local look-alike answers
   * under a platform's real host names, e.g. `MAP login.datev.de 127.0.0.1:8443`.
   */
  hostResolverRules?: string;
  /**
   * A certificate authority (PEM) this browser trusts besides the system's, through an NSS database
   * in a home folder of its own (nss.ts); every certificate is then checked as for any site. Without
   * it, the browser accepts any certificate (the local test platforms on 127.0.0.1).
   */
  trustedAuthority?: string;
  /** A profile directory to start on, kept after close (a test copies it); by default a new one, deleted at close. */
  profileDir?: string;
}

export interface ExtensionSession {
  browser: Browser;
  extensionId: string;
  worker(): Promise<WebWorker>;
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  badge(): Promise<{ text: string; title: string; color: number[] }>;
  /**
   * Brings the browser back to what a test finds after launch, without a new browser: every tab
   * but one blank one closed; the extension's databases, storage, alarms, notifications and
   * granted hosts wiped; the extension reloaded (a new service worker, nothing of the old one in
   * memory), checked empty and its badge back to the empty state; cookies, cache, download
   * settings and the visited sites' storage cleared; site access as given (the launch's by default).
   */
  reset(options?: { siteAccess?: string[] }): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_SITE_ACCESS = ['https://127.0.0.1/*'];

export async function launchWithExtension({
  lang = 'en',
  timeZone = 'Europe/Berlin',
  headless = true,
  extensionDir = CHROME_BUILD_DIR,
  siteAccess = DEFAULT_SITE_ACCESS,
  hostResolverRules,
  trustedAuthority,
  profileDir,
}: LaunchOptions = {}): Promise<ExtensionSession> {
  if (!existsSync(join(extensionDir, 'manifest.json'))) {
    throw new Error(`No built extension in ${extensionDir}. Run "npm run build" first.`);
  }
  const userDataDir = profileDir ?? mkdtempSync(join(tmpdir(), 'token-watch-profile-'));
  // Developer mode, as for any unpacked extension: without it runtime.reload() (see reset) unloads
  // the extension and never loads it again.
  if (!existsSync(join(userDataDir, 'Default'))) {
    mkdirSync(join(userDataDir, 'Default'));
    writeFileSync(join(userDataDir, 'Default', 'Preferences'), JSON.stringify({ extensions: { ui: { developer_mode: true } } }));
  }
  const home = trustedAuthority ? homeTrusting(trustedAuthority) : undefined;
  const browser = await puppeteer.launch({
    executablePath: findChromium(),
    headless,
    pipe: true,
    enableExtensions: [extensionDir],
    userDataDir,
    args: [
      ...QUIET_FLAGS,
      ...(home ? [] : [ACCEPT_ANY_CERTIFICATE]),
      `--lang=${lang}`,
      ...(hostResolverRules ? [`--host-resolver-rules=${hostResolverRules}`] : []),
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    ],
    env: { ...process.env, LANGUAGE: lang, TZ: timeZone, ...(home ? { HOME: home } : {}) },
  });
  const extensionId = CHROME_EXTENSION_ID;
  const workerUrl = `chrome-extension://${extensionId}/background.js`;

  const isWorker = (t: Target) => t.type() === 'service_worker' && t.url() === workerUrl;
  /** Workers of an extension that reset() reloaded: their targets can linger a moment. */
  const replaced = new WeakSet<Target>();
  /** The origins of the web pages seen since launch or the last reset, whose storage reset() clears. */
  const visited = new Set<string>();
  const remember = (target: Target) => {
    if (/^https?:/.test(target.url())) visited.add(new URL(target.url()).origin);
  };
  browser.on('targetcreated', remember);
  browser.on('targetchanged', remember);

  // The extension installs after launch resolves: wait for its service worker.
  async function worker(): Promise<WebWorker> {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      for (const target of browser.targets().filter((t) => isWorker(t) && !replaced.has(t))) {
        const handle = await target.worker().catch(() => null);
        // The target of a worker that is shutting down can linger a moment: only one that answers counts.
        if (handle && (await handle.evaluate(() => true).catch(() => false))) return handle;
      }
    }
    throw new Error('The extension service worker did not start.');
  }

  /**
   * The worker of a reloaded extension, once its extension API is there (a worker target can show
   * up before it is, and one of the unloaded extension after it is gone); other targets are
   * set aside, so that worker() finds this one.
   */
  async function reloadedWorker(): Promise<WebWorker> {
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 50))) {
      const candidates = browser.targets().filter((target) => isWorker(target) && !replaced.has(target));
      for (const target of candidates) {
        const handle = await target.worker().catch(() => null);
        if (!(await handle?.evaluate(() => typeof chrome === 'object' && typeof chrome.runtime?.id === 'string').catch(() => false))) continue;
        for (const other of candidates) if (other !== target) replaced.add(other);
        return handle!;
      }
    }
    throw new Error('The reloaded extension started no service worker.');
  }

  async function openPage(path: string, ready: string, viewport?: { width: number; height: number }): Promise<Page> {
    const page = await browser.newPage();
    if (viewport) await page.setViewport(viewport);
    await page.goto(`chrome-extension://${extensionId}/${path}`);
    await page.waitForSelector(ready);
    return page;
  }
  // chrome://extensions (only where hosts are to be allowed) loads while the extension installs;
  // the hosts are granted once it has.
  const settings = siteAccess.length > 0 ? openExtensionSettings(browser) : undefined;
  settings?.catch(() => undefined);
  await worker();
  const granted = new Set<string>();
  if (settings) await changeSiteAccess(await settings, extensionId, granted, siteAccess);

  return {
    browser,
    extensionId,
    worker,
    openPopup: () => openPage('popup.html', 'main.popup[aria-busy="false"]', { width: 380, height: 600 }),
    openOptions: () => openPage('options.html', 'main.options[aria-busy="false"]', { width: 900, height: 900 }),
    async badge() {
      const sw = await worker();
      return sw.evaluate(async () => ({
        text: await chrome.action.getBadgeText({}),
        title: await chrome.action.getTitle({}),
        color: await chrome.action.getBadgeBackgroundColor({}),
      }));
    },
    async reset({ siteAccess: sites = siteAccess } = {}) {
      // Nothing of the last test stays open (sign-in windows, extension pages): one blank tab, as after launch.
      const pages = await browser.pages();
      const blank = pages.find((page) => page.url() === 'about:blank') ?? (await browser.newPage());
      await Promise.all(pages.filter((page) => page !== blank).map((page) => page.close()));

      // The extension wipes its own state, then reloads itself: the new worker finds what a new
      // install finds, or (should a task of the old worker have written after the wipe) it all goes again.
      let left: string[] = [];
      for (let attempt = 1; attempt <= 3; attempt++) {
        const old = browser.targets().filter(isWorker);
        // Its running worker does it, or else a page of its origin that runs none of its code.
        const running = await old.find((target) => !replaced.has(target))?.worker();
        let page: Page | undefined;
        if (!running || !(await running.evaluate(wipeExtensionState).then(() => true, () => false))) {
          page = await browser.newPage();
          await page.goto(`chrome-extension://${extensionId}/manifest.json`);
          await page.evaluate(wipeExtensionState);
        }
        for (const target of browser.targets().filter(isWorker)) replaced.add(target);
        // The reload (which also drops the extension's alarms and notifications) ends the context that asks for it.
        await (page ?? running)!.evaluate(() => void setTimeout(() => chrome.runtime.reload(), 0)).catch(() => undefined);
        const fresh = await reloadedWorker();
        // DevTools keeps a replaced worker alive for 30 s unless its target is closed.
        await Promise.all(old.map(async (target) => (await target.worker().catch(() => null))?.close().catch(() => undefined)));
        if (page && !page.isClosed()) await page.close().catch(() => undefined);
        left = await fresh.evaluate(extensionStateLeft);
        if (left.length === 0) break;
      }
      if (left.length > 0) throw new Error(`The extension kept state through the reset: ${left.join('; ')}`);

      // The web's part of the profile: cookies and cache, and the storage of the sites seen.
      const cdp = await browser.target().createCDPSession();
      try {
        await cdp.send('Storage.clearCookies', {});
        await cdp.send('Browser.setDownloadBehavior', { behavior: 'default' });
      } finally {
        await cdp.detach();
      }
      const tab = await blank.createCDPSession();
      try {
        await tab.send('Network.clearBrowserCache');
        for (const origin of visited) await tab.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' });
        visited.clear();
      } finally {
        await tab.detach();
      }

      const wanted = new Set(sites);
      if (granted.size !== wanted.size || [...wanted].some((site) => !granted.has(site))) {
        await changeSiteAccess(await openExtensionSettings(browser), extensionId, granted, sites);
      }
    },
    async close() {
      await browser.close();
      if (!profileDir) rmSync(userDataDir, { recursive: true, force: true });
      if (home) rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * How long a worker is given to finish what an answer left it to do (notices, the next alarm, with
 * every connection read) before it is stopped or timed. The browser stops a worker that has been
 * idle for half a minute, so a worker woken from sleep has finished its work: one stopped in the
 * middle of it would be timed with the browser still tearing it down.
 */
const WORKER_SETTLING_MS = 1000;

const extensionWorkers = (session: ExtensionSession, extensionId: string) =>
  session.browser.targets().filter((target) => target.type() === 'service_worker' && target.url().startsWith(`chrome-extension://${extensionId}/`));

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Gives the extension's worker the time to finish what its last answer left it to do (WORKER_SETTLING_MS). */
export const letWorkerSettle = () => pause(WORKER_SETTLING_MS);

/**
 * Stops the extension's service worker, as the browser does when it idles, and waits until it is
 * gone. An event on its way (a message from a page closed just before, an alarm) may start it
 * again: that one is left to finish its work before it is stopped in turn, rather than stopped in
 * the middle of it again and again (the browser starts it anew for an event it could not hand over).
 */
export async function stopWorkers(session: ExtensionSession, extensionId = session.extensionId): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (let attempt = 1; extensionWorkers(session, extensionId).length > 0; attempt++) {
    if (Date.now() > deadline) throw new Error(`The service worker did not stop (${attempt - 1} attempts).`);
    for (const target of extensionWorkers(session, extensionId)) await (await target.worker().catch(() => null))?.close().catch(() => undefined);
    for (const gone = Date.now() + 1000; Date.now() < gone && extensionWorkers(session, extensionId).length > 0; ) await pause(20);
    if (extensionWorkers(session, extensionId).length > 0) await letWorkerSettle();
  }
}

/**
 * Wipes what the extension keeps in the profile, from one of its own contexts (worker or page, in
 * Chromium or Firefox): alarms, notifications, storage, granted optional hosts, IndexedDB.
 * Passed to evaluate(): it must refer to nothing outside itself and declare no named functions.
 */
export async function wipeExtensionState(): Promise<void> {
  const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
  await api.alarms.clearAll();
  await Promise.all(Object.keys(await api.notifications.getAll()).map((id) => api.notifications.clear(id)));
  await Promise.all([api.storage.local.clear(), api.storage.session.clear(), api.storage.sync.clear()]);
  const { origins = [] } = await api.permissions.getAll();
  if (origins.length > 0) await api.permissions.remove({ origins });
  // The background's open connection closes on the deletion's versionchange (utils/storage/db.ts, blocking).
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error);
    });
  }
}

/**
 * Run in the extension after a wipe and reload: waits until its new background has painted the
 * empty badge, then names what a new install would not have (stored records, notifications,
 * granted hosts, stored items). Passed to evaluate(): it must refer to nothing outside itself
 * and declare no named functions (a bundler's name helper would be missing in the browser).
 */
export async function extensionStateLeft(): Promise<string[]> {
  const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
  const left: string[] = [];
  const empty = api.i18n.getMessage('tooltipNothingWatched');
  let [text, title] = ['', ''];
  for (const deadline = Date.now() + 10_000; ; await new Promise((resolve) => setTimeout(resolve, 50))) {
    [text, title] = await Promise.all([api.action.getBadgeText({}), api.action.getTitle({})]);
    if ((text === '' && title === empty) || Date.now() > deadline) break;
  }
  if (text !== '' || title !== empty) left.push(`the badge "${text}" ("${title}")`);
  for (const { name } of await indexedDB.databases()) {
    if (!name) continue;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    for (const store of Array.from(db.objectStoreNames)) {
      const count = await new Promise<number>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).count();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      if (count > 0) left.push(`${count} records in ${name}/${store}`);
    }
    db.close();
  }
  const notifications = Object.keys(await api.notifications.getAll());
  if (notifications.length > 0) left.push(`the notifications ${notifications.join(', ')}`);
  const { origins = [] } = await api.permissions.getAll();
  if (origins.length > 0) left.push(`the hosts ${origins.join(', ')}`);
  const stored = [await api.storage.local.get(null), await api.storage.session.get(null), await api.storage.sync.get(null)].flatMap(Object.keys);
  if (stored.length > 0) left.push(`the stored items ${stored.join(', ')}`);
  return left;
}

/**
 * Browsers shared by the tests of one file: one per language, time zone, host mapping and trusted authority (fixed at launch).
 * The first test to ask for one gets a newly launched browser with a new profile, each later
 * one the same browser after reset(). Call closeAll() in afterAll.
 */
export function sharedBrowsers() {
  const sessions = new Map<string, ExtensionSession>();
  return {
    async session(options: LaunchOptions = {}): Promise<ExtensionSession> {
      const { lang = 'en', timeZone = 'Europe/Berlin', headless = true, extensionDir = CHROME_BUILD_DIR, hostResolverRules, trustedAuthority } = options;
      const key = JSON.stringify([lang, timeZone, headless, extensionDir, hostResolverRules, trustedAuthority]);
      const shared = sessions.get(key);
      if (shared?.browser.connected) {
        await shared.reset({ siteAccess: options.siteAccess ?? DEFAULT_SITE_ACCESS });
        return shared;
      }
      // A browser that crashed in the last test is replaced.
      if (shared) await shared.close().catch(() => undefined);
      const launched = await launchWithExtension(options);
      sessions.set(key, launched);
      return launched;
    },
    async closeAll() {
      const all = [...sessions.values()];
      sessions.clear();
      await Promise.all(all.map((session) => session.close()));
    },
  };
}

/** chrome://extensions, whose developerPrivate API does what a user does there. Its full load is not needed. */
async function openExtensionSettings(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  void page.goto('chrome://extensions/').catch(() => undefined);
  await page.waitForFunction(() => typeof (chrome as unknown as { developerPrivate?: object }).developerPrivate === 'object', { polling: 50, timeout: 20_000 });
  return page;
}

/**
 * Grants host access the way a user does on the extension's details page in
 * chrome://extensions, since a test cannot click the permission prompt that
 * permissions.request shows. The extension then finds the access granted.
 * Takes back what `granted` holds beyond `sites`, and updates it. Closes the page.
 */
async function changeSiteAccess(page: Page, extensionId: string, granted: Set<string>, sites: string[]) {
  try {
    const change = async (method: 'addHostPermission' | 'removeHostPermission', site: string) => {
      const error = await page.evaluate(
        (name, id, host) =>
          new Promise<string | null>((resolve) => {
            const privateApi = (chrome as unknown as { developerPrivate: Record<typeof name, (id: string, host: string, done: () => void) => void> }).developerPrivate;
            privateApi[name](id, host, () => resolve(chrome.runtime.lastError?.message ?? null));
          }),
        method,
        extensionId,
        site,
      );
      if (error) throw new Error(`Could not ${method === 'addHostPermission' ? 'allow' : 'withdraw'} ${site} for the extension: ${error}`);
    };
    for (const site of [...granted].filter((site) => !sites.includes(site))) {
      await change('removeHostPermission', site);
      granted.delete(site);
    }
    for (const site of sites.filter((site) => !granted.has(site))) {
      await change('addHostPermission', site);
      granted.add(site);
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

/** Puts connections in as the settings page imports a file (`importAsSettingsPage`), through the popup's messages. */
export async function importThroughPopup(session: ExtensionSession, document: unknown) {
  const page = await session.openPopup();
  try {
    return await importAsSettingsPage((message) => sendFromPage(page, message), document);
  } finally {
    await page.close();
  }
}
