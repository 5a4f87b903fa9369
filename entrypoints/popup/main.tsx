import { render } from 'preact';
import { browser } from 'wxt/browser';
import { settingsHash } from '@/components/settings-place';
import { createBackgroundClient } from '@/utils/messaging/client';
import { browserTexts } from '@/utils/i18n/browser-texts';
import { loadPresets } from '@/utils/catalogue/platforms.background';
import { readFirstScreen, readStoredList } from '@/utils/storage/reader';
import { Popup, type PopupList } from './Popup';
import { withMissingHosts } from './missing-hosts';
import { storedListFirst } from './stored-list';
import './style.css';

// The first screen (from the list's summary where it is current) and the platform catalogue (from
// the extension's catalogue.json, wxt.config.ts) are asked for first, so that they are read while
// the browser loads the extension's messages. The whole list is read once the first screen is shown.
const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
let firstRead: ReturnType<typeof readStoredList> | undefined = readFirstScreen(timeZone);
const catalogue = loadPresets(async () => (await fetch(browser.runtime.getURL('/catalogue.json'))).json());

const texts = browserTexts();
document.documentElement.lang = texts.locale;
document.title = texts.t('extName');

const background = createBackgroundClient();
const readOnce = () => {
  const read = firstRead ?? readStoredList();
  firstRead = undefined;
  return read;
};
const listConnections = withMissingHosts(storedListFirst(texts, catalogue, background.listConnections, readOnce), (origins) =>
  browser.permissions.contains({ origins }),
);

const show = (initial?: PopupList) =>
  render(
    <Popup
      client={{ ...background, listConnections }}
      {...(initial ? { initial } : {})}
      texts={texts}
      now={Date.now()}
      timeZone={timeZone}
      requestHostAccess={(origins) => browser.permissions.request({ origins })}
      openSettings={(place) =>
        void (place ? browser.tabs.create({ url: `${browser.runtime.getURL('/options.html')}${settingsHash(place)}` }) : browser.runtime.openOptionsPage())
      }
      openPage={(url) => void browser.tabs.create({ url })}
    />,
    document.getElementById('app')!,
  );

// The first render waits a moment for the list, so that the first screen shows the rows rather than
// "Loading" and then the rows; should the list take longer, the popup shows that it is loading.
const FIRST_LIST_WAIT_MS = 200;
void Promise.race([listConnections(), new Promise<undefined>((resolve) => setTimeout(resolve, FIRST_LIST_WAIT_MS))]).then(show, () => show());
