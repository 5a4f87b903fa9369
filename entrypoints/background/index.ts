// Here `wxt/browser` is the browser's own promise-based API, not webextension-polyfill (see
// wxt.config.ts), so replies to messages go through sendResponse.
import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBadgePresenter, type BadgeAction } from '@/utils/watch/badge-presenter';
import { lazyRepository } from '@/utils/storage/db';
import { browserTexts } from '@/utils/i18n/browser-texts';
import { planManaged } from '@/utils/records/managed';
import { createMessageRouter } from '@/utils/messaging/router';
import { createNoticeClicks } from '@/utils/notices/clicks';
import { createNoticeService } from '@/utils/notices/service';
import { createOAuthClient } from '@/utils/consent/oauth-client';
import { createOAuthHandlers } from '@/utils/messaging/oauth-handlers';
import { createRecordHandlers } from '@/utils/messaging/record-handlers';
import { createTokenService } from '@/utils/consent/token-service';
import { createVault } from '@/utils/storage/vault';
import { createWatchService } from '@/utils/watch/service';

export default defineBackground(() => {
  // Firefox's Manifest V2 build names the toolbar button `browserAction`.
  const action = (browser.action ?? (browser as unknown as { browserAction: BadgeAction }).browserAction) as BadgeAction;
  const repository = lazyRepository();
  const vault = async () => createVault((await repository()).keyStore);
  const newId = () => crypto.randomUUID();
  // eslint-disable-next-line prefer-const -- assigned once, after the watch service it refers back to
  let tokens: ReturnType<typeof createTokenService>;

  const texts = browserTexts;
  const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
  const watch = createWatchService({
    repository,
    badge: createBadgePresenter(action),
    alarms: browser.alarms,
    texts,
    now: Date.now,
    timeZone,
    notices: createNoticeService({
      repository,
      notifications: browser.notifications,
      texts,
      now: Date.now,
      timeZone,
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      // Firefox shows no buttons on notifications.
      buttons: import.meta.env.CHROME,
    }),
    refresh: (connectionId) => tokens.refresh(connectionId, 'Token Watch'),
  });
  const oauth = createOAuthClient({
    fetch: (...args) => fetch(...args),
    launchWebAuthFlow: (details) => browser.identity.launchWebAuthFlow(details),
    redirectUrl: browser.identity.getRedirectURL(),
    allowLoopbackHttp: import.meta.env.DEV,
  });
  tokens = createTokenService({
    repository,
    vault,
    oauth,
    now: Date.now,
    locks: globalThis.navigator?.locks,
    changed: watch.refreshBadge,
  });
  const route = createMessageRouter(
    {
      ...createRecordHandlers({
        repository,
        vault,
        texts,
        now: Date.now,
        timeZone,
        newId,
        changed: watch.refreshBadge,
        activeConsent: () => tokens.activeConsent(),
      }),
      ...createOAuthHandlers({
        repository,
        tokens,
        releaseHosts: (origins) => browser.permissions.remove({ origins }),
        vault,
        now: Date.now,
        newId,
        changed: watch.refreshBadge,
        allowLoopbackHttp: import.meta.env.DEV,
      }),
    },
    { extensionId: browser.runtime.id, extensionOrigin: browser.runtime.getURL('/') },
  );

  const noticeClicked = createNoticeClicks({
    repository,
    signIn: (connectionId) => tokens.consent(connectionId, ''),
    hostsAllowed: (origins) => browser.permissions.contains({ origins }),
    openList: () => browser.tabs.create({ url: browser.runtime.getURL('/popup.html') }),
    openPage: (url) => browser.tabs.create({ url }),
    clear: (id) => browser.notifications.clear(id),
  });

  /** Takes over the administrator's connections from the enterprise policy, if there is one. */
  async function applyPolicy() {
    // Without a policy (and in Firefox without a managed storage manifest) get() rejects: nothing to apply.
    const policy = await browser.storage.managed.get().catch(() => ({}));
    const store = await repository();
    const plan = planManaged(policy, await store.list(), { now: Date.now(), timeZone: timeZone(), custom: await store.platforms() });
    const at = Date.now();
    await store.saveAll(
      [...plan.save, ...plan.release].map((connection) => ({
        connection,
        event: { connectionId: connection.id, type: 'edited' as const, at, actor: 'Administrator', detail: connection.managed ? 'policy' : 'policy-released' },
      })),
    );
  }
  const applyPolicyAndSettle = () =>
    void applyPolicy()
      .catch(() => undefined)
      .then(() => watch.refreshBadge());
  // Every start of the worker (install, update, browser start, enable after disable, a wake-up):
  // the policy, the badge and the next alarm are checked. Repeating it is harmless; the alarm is
  // only ever brought forward.
  applyPolicyAndSettle();

  // Registered synchronously at the top level, so an alarm or message that wakes the worker finds them.
  browser.runtime.onMessage.addListener((message, sender, sendResponse) => {
    void route(message, sender).then(sendResponse);
    // Keeps the channel open for the asynchronous reply (Chrome and Firefox alike).
    return true;
  });
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'managed') applyPolicyAndSettle();
  });
  browser.alarms.onAlarm.addListener((alarm) => void watch.onAlarm(alarm));
  browser.notifications.onClicked.addListener((id) => void noticeClicked(id));
  browser.notifications.onButtonClicked?.addListener((id) => void noticeClicked(id));
});
