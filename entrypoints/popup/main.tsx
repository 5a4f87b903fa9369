import { render } from 'preact';
import { browser } from 'wxt/browser';
import { settingsHash } from '@/components/settings-place';
import { createBackgroundClient } from '@/utils/messaging/client';
import { browserTexts } from '@/utils/i18n/browser-texts';
import { Popup } from './Popup';
import './style.css';

const texts = browserTexts();
document.documentElement.lang = texts.locale;
document.title = texts.t('extName');

render(
  <Popup
    client={createBackgroundClient()}
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
