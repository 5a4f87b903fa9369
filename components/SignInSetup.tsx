import { useEffect, useRef, useState } from 'preact/hooks';
import type { ExchangeMode, OAuthClient } from '@/utils/connection';
import type { OAuthSettings } from '@/utils/catalogue/presets';
import type { Texts } from '@/utils/i18n/texts';
import { AppSettingsFields, appClientOf, exchangeOf } from './AppSettingsFields';

interface SignInSetupProps {
  connectionId: string;
  oauth: OAuthSettings;
  texts: Texts;
  busy: boolean;
  /** Its accessible name, naming the connection. */
  name: string;
  /** Opened from the popup: the first missing field comes into view and takes the focus. */
  focus: boolean;
  onSave: (client: OAuthClient, clientSecret: string | undefined) => void;
}

/** The app settings of a connection that has none yet (an import, an older record), each missing one marked. */
export function SignInSetup({ connectionId, oauth, texts, busy, name, focus, onSave }: SignInSetupProps) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [exchange, setExchange] = useState<ExchangeMode | ''>('');
  const form = useRef<HTMLFormElement>(null);
  const mode = exchangeOf(oauth, exchange);
  const hintId = `set-up-hint-${connectionId}`;

  useEffect(() => {
    if (!focus) return;
    const first = form.current?.querySelector<HTMLInputElement>('[aria-invalid="true"]');
    first?.scrollIntoView({ block: 'center' });
    first?.focus();
  }, [focus]);

  return (
    <form ref={form} class="form form--inline" aria-label={name} data-form="set-up"
      onSubmit={(event) => (event.preventDefault(), onSave(appClientOf(oauth, mode, values), mode === 'secret' ? values.clientSecret : undefined))}>
      <p class="form__hint" id={hintId}>
        {texts.t('setUpNeeded')}
      </p>
      <AppSettingsFields oauth={oauth} mode={mode} values={values} texts={texts} onMode={setExchange}
        onValue={(field, value) => setValues({ ...values, [field]: value })} missing={{ hintId }} />
      <button type="submit" class="button button--primary" data-action="save-sign-in" disabled={busy}>
        {texts.t('actionSaveSignIn')}
      </button>
    </form>
  );
}
