import { useEffect, useState } from 'preact/hooks';
import type { BackgroundClient } from '@/utils/messaging/client';
import type { Texts } from '@/utils/i18n/texts';
import { ActionMessage } from './ActionMessage';
import { useAction } from './use-action';

interface PreferencesFormProps {
  client: Pick<BackgroundClient, 'preferences' | 'savePreferences'>;
  texts: Texts;
}

const HOURS = Array.from({ length: 24 }, (_, hour) => hour);

export function PreferencesForm({ client, texts }: PreferencesFormProps) {
  const [morningHour, setMorningHour] = useState<number | null>(null);
  const { message, busy, run } = useAction(texts);

  useEffect(() => {
    void run(async () => {
      setMorningHour((await client.preferences()).morningHour);
      return null;
    });
  }, [client]);

  const hourText = (hour: number) => new Intl.DateTimeFormat(texts.locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(Date.UTC(2000, 0, 1, hour));

  return (
    <form class="form" aria-labelledby="preferences"
      onSubmit={(event) => (event.preventDefault(), void run(async () => (await client.savePreferences({ morningHour }), texts.t('saved'))))}>
      <h2 id="preferences">{texts.t('sectionPreferences')}</h2>
      <label class="field">
        <span class="field__label">{texts.t('fieldMorningHour')}</span>
        <select name="morningHour" value={morningHour ?? ''} disabled={morningHour === null}
          onChange={(event) => setMorningHour(Number((event.target as HTMLSelectElement).value))}>
          {HOURS.map((hour) => (
            <option value={hour}>{hourText(hour)}</option>
          ))}
        </select>
      </label>
      <button type="submit" class="button button--primary" disabled={busy || morningHour === null}>
        {texts.t('actionSave')}
      </button>
      <ActionMessage message={message} />
    </form>
  );
}
