import { render } from 'preact';
import { browser } from 'wxt/browser';
import { settingsHash } from '@/components/settings-place';
import { createBackgroundClient } from '@/utils/messaging/client';
import { browserTexts } from '@/utils/i18n/browser-texts';
import { loadPresets } from '@/utils/catalogue/platforms.background';
import { Popup } from './Popup';
import { storedListFirst } from './stored-list';
import './style.css';

const texts = browserTexts();
document.documentElement.lang = texts.locale;
document.title = texts.t('extName');

const background = createBackgroundClient();
// The platform catalogue comes from the extension's catalogue.json (wxt.config.ts), read while the list is.
const catalogue = loadPresets(async () => (await fetch(browser.runtime.getURL('/catalogue.json'))).json());

render(
  <Popup
    client={{ ...background, listConnections: storedListFirst(texts, catalogue, background.listConnections) }}
    texts={texts}
    now={Date.now()}
    timeZone={Intl.DateTimeFormat().resolvedOptions().timeZone}
    requestHostAccess={(origins) => browser.permissions.request({ origins })}
    openSettings={(place) =>
      void (place ? browser.tabs.create({ url: `${browser.runtime.getURL('/options.html')}${settingsHash(place)}` }) : browser.runtime.openOptionsPage())
    }
    openPage={(url) => void browser.tabs.create({ url })}
  />,
  document.getElementById('app')!,
);
