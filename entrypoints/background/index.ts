import { browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { createBadgePresenter, type BadgeAction } from '@/utils/badge-presenter';
import { lazyRepository } from '@/utils/db';
import type { MessageKey } from '@/utils/i18n';
import { createMessageRouter } from '@/utils/message-router';
import { createWatchService } from '@/utils/watch-service';

export default defineBackground(() => {
  // Firefox's Manifest V2 build names the toolbar button `browserAction`.
  const action = (browser.action ?? (browser as unknown as { browserAction: BadgeAction }).browserAction) as BadgeAction;
  const watch = createWatchService({
    repository: lazyRepository(),
    badge: createBadgePresenter(action),
    alarms: browser.alarms,
    texts: () => ({
      t: (key: MessageKey, substitutions?: string[]) => browser.i18n.getMessage(key, substitutions),
      locale: browser.i18n.getUILanguage(),
    }),
    now: Date.now,
    timeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    newId: () => crypto.randomUUID(),
  });
  const route = createMessageRouter(watch.handlers, {
    extensionId: browser.runtime.id,
    extensionOrigin: browser.runtime.getURL('/'),
  });

  // Registered synchronously at the top level, so an alarm or message that wakes the worker finds them.
  browser.runtime.onMessage.addListener((message, sender) => route(message, sender));
  browser.runtime.onInstalled.addListener(() => void watch.refreshBadge());
  browser.runtime.onStartup.addListener(() => void watch.refreshBadge());
  browser.alarms.onAlarm.addListener((alarm) => void watch.onAlarm(alarm));
});
