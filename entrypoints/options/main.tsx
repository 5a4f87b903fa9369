import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createOptionsClient } from '@/utils/messaging/options-client';
import { browserTexts } from '@/utils/i18n/browser-texts';
import { inspectPlatform } from '@/utils/consent/discovery';
import { readSettingsPlace } from './place';
import { loadPresets } from '@/utils/catalogue/platforms.background';
import { Options } from './Options';
import './style.css';

const texts = browserTexts();
document.documentElement.lang = texts.locale;
document.title = texts.t('optionsTitle');

// The platform catalogue comes from the extension's catalogue.json (wxt.config.ts): the forms need it from the start.
void loadPresets(async () => (await fetch(browser.runtime.getURL('/catalogue.json'))).json()).then(() =>
  render(
    <Options
      client={createOptionsClient()}
      texts={texts}
      now={Date.now()}
      timeZone={Intl.DateTimeFormat().resolvedOptions().timeZone}
      requestHostAccess={(origins) => browser.permissions.request({ origins })}
      inspect={(issuer) => inspectPlatform(issuer, { fetch: (...args) => fetch(...args), allowLoopbackHttp: import.meta.env.DEV })}
      place={readSettingsPlace(location.hash)}
    />,
    document.getElementById('app')!,
  ),
);
