import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createBackgroundClient } from '@/utils/messaging/client';
import { browserTexts } from '@/utils/i18n/browser-texts';
import { inspectPlatform } from '@/utils/consent/discovery';
import { readSettingsPlace } from '@/components/settings-place';
import { Options } from './Options';
import './style.css';

const texts = browserTexts();
document.documentElement.lang = texts.locale;
document.title = texts.t('optionsTitle');

render(
  <Options
    client={createBackgroundClient()}
    texts={texts}
    now={Date.now()}
    timeZone={Intl.DateTimeFormat().resolvedOptions().timeZone}
    requestHostAccess={(origins) => browser.permissions.request({ origins })}
    inspect={(issuer) => inspectPlatform(issuer, { fetch: (...args) => fetch(...args), allowLoopbackHttp: import.meta.env.DEV })}
    place={readSettingsPlace(location.hash)}
  />,
  document.getElementById('app')!,
);
