// Here `wxt/browser` is the browser's own promise-based API, not webextension-polyfill (see
// wxt.config.ts), so replies to messages go through sendResponse.
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { loadPresets } from '@/utils/catalogue/platforms.background';
import { createOAuthClient } from '@/utils/consent/oauth-client';
import { createMetadataRefresh } from '@/utils/consent/metadata-refresh';
import { createHolderCompanion, HOLDER_SYNC_ALARM, HOLDER_SYNC_MINUTES } from '@/utils/consent/holder';
import { createTokenService } from '@/utils/consent/token-service';
import { browserTexts } from '@/utils/i18n/browser-texts';
import { createHolderHandlers } from '@/utils/messaging/holder-handlers';
import { createLockHandlers } from '@/utils/messaging/lock-handlers';
import { createOAuthHandlers } from '@/utils/messaging/oauth-handlers';
import { createRecordHandlers } from '@/utils/messaging/record-handlers';
import { createMessageRouter } from '@/utils/messaging/router';
import { createNoticeClicks } from '@/utils/notices/clicks';
import { createNoticeService } from '@/utils/notices/service';
import { lazyRepository, lazyVault } from '@/utils/storage/db';
import { sessionKeyStore } from '@/utils/storage/vault';
import { createBadgePresenter } from '@/utils/watch/badge-presenter';
import { createPolicyService } from '@/utils/watch/policy';
import { createWatchService } from '@/utils/watch/service';

/** Who the history names for renewals the background does by itself. */
const BACKGROUND_ACTOR = 'Token Watch';

export default defineBackground(() => {
  const repository = lazyRepository();
  const vault = lazyVault(repository, sessionKeyStore(browser.storage.session));
  const texts = browserTexts;
  const now = Date.now;
  const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
  const newId = () => crypto.randomUUID();
  const actor = async () => (await (await repository()).preferences()).userName;
  const allowLoopbackHttp = import.meta.env.DEV;

  const oauth = createOAuthClient({
    fetch: (...args) => fetch(...args),
    launchWebAuthFlow: (details) => browser.identity.launchWebAuthFlow(details),
    // Read when a sign-in needs it: should the identity API be unavailable (a private window), the
    // start must still reach the listeners below.
    get redirectUrl() {
      return browser.identity.getRedirectURL();
    },
    allowLoopbackHttp,
  });
  const metadata = createMetadataRefresh({ repository, fetch: (...args) => fetch(...args), now, allowLoopbackHttp });
  // The two services call each other only after both exist: a change settles the watch, a wake-up renews.
  const tokens = createTokenService({ repository, vault, oauth, now, locks: globalThis.navigator?.locks, changed: () => watch.settle() });
  const watch = createWatchService({
    repository,
    badge: createBadgePresenter(browser.action),
    alarms: browser.alarms,
    texts,
    now,
    timeZone,
    notices: createNoticeService({
      repository,
      notifications: browser.notifications,
      texts,
      now,
      timeZone,
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      // Firefox shows no buttons on notifications.
      buttons: import.meta.env.CHROME,
    }),
    renew: (connectionId) => tokens.refresh(connectionId, BACKGROUND_ACTOR),
    retryRevocations: () => tokens.retryRevocations(),
    refreshMetadata: metadata.refreshDue,
    report: (message) => console.warn(`Token Watch: ${message}`),
  });
  const holder = createHolderCompanion({ repository, vault, oauth, fetch: (...args) => fetch(...args), now, changed: () => watch.settle(), options: { allowLoopbackHttp } });
  // Created once: creating it again would restart its hour at every start of the worker.
  const syncAlarm = async (on: boolean) => {
    if (!on) return browser.alarms.clear(HOLDER_SYNC_ALARM);
    if (!(await browser.alarms.get(HOLDER_SYNC_ALARM))) await browser.alarms.create(HOLDER_SYNC_ALARM, { periodInMinutes: HOLDER_SYNC_MINUTES });
    return true;
  };
  const applyPolicy = createPolicyService({
    repository,
    readPolicy: () => browser.storage.managed.get(),
    now,
    timeZone,
    holderPolicy: async (entry) => {
      await holder.applyPolicy(entry);
      if ((await holder.summary()) !== null) await syncAlarm(true);
    },
  });
  const route = createMessageRouter(
    {
      ...createRecordHandlers({ repository, vault, texts, now, timeZone, newId, actor, changed: watch.changed, activeConsent: tokens.activeConsent, holder: holder.summary }),
      ...createOAuthHandlers({ repository, tokens, holder, vault, now, newId, actor, changed: watch.changed, releaseHosts: (origins) => browser.permissions.remove({ origins }), connectionAdded: metadata.connectionAdded }),
      ...createHolderHandlers({ holder, syncAlarm }),
      ...createLockHandlers({
        vault,
        resume: async () => {
          await tokens.resumeLocked(BACKGROUND_ACTOR);
          if (await holder.summary()) await holder.sync().catch(watch.failed);
        },
        changed: watch.settle,
      }),
    },
    { extensionId: browser.runtime.id, extensionOrigin: browser.runtime.getURL('/'), allowLoopbackHttp },
  );
  const noticeClicked = createNoticeClicks({
    repository,
    signIn: async (connectionId) => ((await holder.isHeld(connectionId)) ? holder.signIn(connectionId) : tokens.consent(connectionId, await actor())),
    hostsAllowed: (origins) => browser.permissions.contains({ origins }),
    openList: () => browser.tabs.create({ url: browser.runtime.getURL('/popup.html') }),
    openPage: (url) => browser.tabs.create({ url }),
    clear: (id) => browser.notifications.clear(id),
    now,
    timeZone,
    changed: watch.settle,
    failed: watch.failed,
  });

  // The platform catalogue is no part of this script (wxt.config.ts): it is read from the extension's
  // catalogue.json, and everything below waits for it, so no handler finds the catalogue empty. One
  // that could not be read is read again at the next event, which is handled all the same: the badge
  // and the next wake-up then come from the settling's fallback.
  const loadCatalogue = () => loadPresets(async () => (await fetch(browser.runtime.getURL('/catalogue.json'))).json());
  let catalogue = loadCatalogue();
  const catalogueLoaded = () => (catalogue = catalogue.catch(loadCatalogue)).catch(() => console.warn('Token Watch: catalogue.json could not be read'));
  // The database opens meanwhile: the badge at the start needs both.
  void repository().catch(() => undefined);

  // Every start of the worker (install, update, browser start, enable after disable, a wake-up)
  // checks the policy, the badge and the next alarm. Repeating it is harmless; the alarm is only
  // ever brought forward. The badge is shown from the list's summary first, one read, before the
  // policy and the settling read every connection.
  const applyPolicyAndSettle = () =>
    void catalogueLoaded()
      .then(() => watch.showStored().catch(() => false))
      .then(() => applyPolicy().catch(watch.failed))
      .then(watch.settle);
  applyPolicyAndSettle();

  // Registered synchronously at the top level, so an alarm or message that wakes the worker finds them.
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void catalogueLoaded().then(() => route(message, sender)).then(sendResponse);
    // Keeps the channel open for the asynchronous reply (Chrome and Firefox alike).
    return true;
  });
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') applyPolicyAndSettle();
  });
  browser.alarms.onAlarm.addListener(
    (alarm) => void catalogueLoaded().then(() => (alarm.name === HOLDER_SYNC_ALARM ? holder.sync().catch(watch.failed) : watch.onAlarm(alarm))),
  );
  browser.notifications.onClicked.addListener((id) => void catalogueLoaded().then(() => noticeClicked(id)));
  browser.notifications.onButtonClicked?.addListener((id, index) => void catalogueLoaded().then(() => noticeClicked(id, index)));
});
