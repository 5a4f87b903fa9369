import { useEffect, useState } from 'preact/hooks';
import type { OptionsClient } from '@/utils/messaging/options-client';
import type { Texts } from '@/utils/i18n/texts';
import type { Preferences } from '@/utils/records/input';
import { ActionMessage } from './ActionMessage';
import { useAction } from './use-action';
import { MAX_TEXT } from '@/utils/limits';

interface PreferencesFormProps {
  client: Pick<OptionsClient, 'preferences' | 'savePreferences'>;
  texts: Texts;
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export function PreferencesForm({ client, texts }: PreferencesFormProps) {
  const [preferences, setPreferences] = useState<Preferences | null>(null);
  const { message, busy, run } = useAction(texts);

  useEffect(() => {
    void run(async () => {
      setPreferences(await client.preferences());
      return null;
    });
  }, [client]);

  const hourText = (hour: number) => new Intl.DateTimeFormat(texts.locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(Date.UTC(2000, 0, 1, hour));

  return (
    <form class="form" aria-labelledby="preferences"
      onSubmit={(event) => {
        event.preventDefault();
        if (preferences) void run(async () => (setPreferences(await client.savePreferences(preferences)), texts.t('saved')));
      }}>
      <h2 id="preferences">{texts.t('sectionPreferences')}</h2>
      <label class="field">
        <span class="field__label">{texts.t('fieldMorningHour')}</span>
        <select name="morningHour" value={preferences?.morningHour ?? ''} disabled={preferences === null}
          onChange={(event) => preferences && setPreferences({ ...preferences, morningHour: Number(event.currentTarget.value) })}>
          {HOURS.map((hour) => (
            <option value={hour}>{hourText(hour)}</option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="field__label">{texts.t('fieldUserName')}</span>
        <input name="userName" type="text" autocomplete="name" maxLength={MAX_TEXT} value={preferences?.userName ?? ''} disabled={preferences === null}
          onInput={(event) => preferences && setPreferences({ ...preferences, userName: event.currentTarget.value })} />
      </label>
      <button type="submit" class="button button--primary" disabled={busy || preferences === null}>
        {texts.t('actionSave')}
      </button>
      <ActionMessage message={message} />
    </form>
  );
}
