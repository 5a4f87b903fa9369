import { render } from 'preact';
import { browser } from 'wxt/browser';
import { createBackgroundClient } from '@/utils/background-client';
import type { MessageKey, Texts } from '@/utils/i18n';
import { Options } from './Options';
import './style.css';

const texts: Texts = {
  t: (key: MessageKey, substitutions?: string[]) => browser.i18n.getMessage(key, substitutions),
  locale: browser.i18n.getUILanguage(),
};
document.documentElement.lang = texts.locale;
document.title = texts.t('optionsTitle');

render(
  <Options
    client={createBackgroundClient()}
    texts={texts}
    now={Date.now()}
    timeZone={Intl.DateTimeFormat().resolvedOptions().timeZone}
    actor=""
    requestHostAccess={(origins) => browser.permissions.request({ origins })}
  />,
  document.getElementById('app')!,
);
