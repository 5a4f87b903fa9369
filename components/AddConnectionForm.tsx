import { useEffect, useRef, useState } from 'preact/hooks';
import { BackgroundError } from '@/utils/messaging/client';
import type { OptionsClient } from '@/utils/messaging/options-client';
import type { ExchangeMode } from '@/utils/connection';
import { hostOrigins } from '@/utils/catalogue/host-access';
import type { MessageKey, Texts } from '@/utils/i18n/texts';
import { PRESETS, presetName, ruleText, type CustomPlatform, type PlatformPreset } from '@/utils/catalogue/presets';
import { ActionMessage } from './ActionMessage';
import { AppSettingsFields, appClientOf, exchangeOf, Field } from './AppSettingsFields';
import { useAction } from './use-action';
import { fieldMaxLength } from '@/utils/limits';

interface AddConnectionFormProps {
  client: Pick<OptionsClient, 'createConnection' | 'track'>;
  texts: Texts;
  customPlatforms: readonly CustomPlatform[];
  requestHostAccess: (origins: string[]) => Promise<boolean>;
  onAdded: () => void;
  /** Opened from the popup to add the first connection: the form comes into view, ready to choose. */
  focus?: boolean;
}

/** "30, 14, 7" → [30, 14, 7]; the background checks the numbers. */
export const parseDays = (value: string) => value.split(/[,;\s]+/).filter(Boolean).map(Number);

export function AddConnectionForm({ client, texts, customPlatforms, requestHostAccess, onAdded, focus = false }: AddConnectionFormProps) {
  const chooser = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (!focus) return;
    chooser.current?.scrollIntoView({ block: 'start' });
    chooser.current?.focus();
  }, [focus]);
  const all: PlatformPreset[] = [...PRESETS, ...customPlatforms];
  const [platformId, setPlatformId] = useState(PRESETS[0]!.id);
  const [values, setValues] = useState<Record<string, string>>({});
  const [exchange, setExchange] = useState<ExchangeMode | ''>('');
  const { message, busy, run } = useAction(texts);
  const platform = all.find((candidate) => candidate.id === platformId)!;
  const oauth = platform.oauth;
  const mode: ExchangeMode = oauth ? exchangeOf(oauth, exchange) : 'public';
  const input = (name: string, label: string, type: 'text' | 'url' | 'date' = 'text') => (
    <Field label={label}>
      <input
        name={name}
        // Preact types each input `type` apart; a field that takes several needs the widening.
        type={type as 'text'}
        value={values[name] ?? ''}
        maxLength={fieldMaxLength(type)}
        onInput={(event) => setValues({ ...values, [name]: event.currentTarget.value })}
        autocomplete="off"
      />
    </Field>
  );

  function submit(event: Event) {
    event.preventDefault();
    void run(async () => {
      const common = { platformId, label: values.label ?? '', account: values.account ?? '' };
      if (!oauth) {
        await client.track({
          ...common,
          ...(values.warningDays ? { warningDays: parseDays(values.warningDays) } : {}),
          ...(values.expiresOn ? { expiresOn: values.expiresOn } : {}),
          ...(values.issuedOn ? { issuedOn: values.issuedOn } : {}),
          ...(values.renewUrl ? { renewUrl: values.renewUrl } : {}),
        });
      } else {
        const oauthClient = appClientOf(oauth, mode, values);
        // Asked from this click: the browser allows the prompt only in answer to the user.
        const origins = hostOrigins(oauth, oauthClient).filter((origin) => !origin.includes('{'));
        if (origins.length > 0 && !(await requestHostAccess(origins))) throw new BackgroundError('host-access-denied');
        await client.createConnection({ ...common, client: oauthClient, ...(mode === 'secret' ? { clientSecret: values.clientSecret ?? '' } : {}) });
      }
      setValues({});
      onAdded();
      return texts.t(oauth ? 'addedOAuth' : 'addedTracked');
    });
  }

  const group = (key: MessageKey, platforms: readonly PlatformPreset[]) =>
    platforms.length > 0 && (
      <optgroup label={texts.t(key)}>
        {platforms.map((candidate) => (
          <option value={candidate.id}>{presetName(candidate, texts)}</option>
        ))}
      </optgroup>
    );

  return (
    <form class="form" onSubmit={submit} aria-labelledby="add-connection">
      <h2 id="add-connection">{texts.t('sectionAdd')}</h2>
      <Field label={texts.t('fieldPlatform')}>
        <select ref={chooser} name="platformId" value={platformId} onChange={(event) => setPlatformId(event.currentTarget.value)}>
          {group('groupOAuth', PRESETS.filter((candidate) => candidate.kind === 'oauth'))}
          {group('groupTracked', PRESETS.filter((candidate) => candidate.kind === 'tracked'))}
          {group('groupCustom', customPlatforms)}
        </select>
      </Field>
      <p class="form__hint">{ruleText(platform, texts)}</p>
      {input('label', texts.t('fieldLabel'))}
      {input('account', texts.t('fieldAccount'))}
      {oauth ? (
        <AppSettingsFields oauth={oauth} mode={mode} values={values} texts={texts} onMode={setExchange} onValue={(name, value) => setValues({ ...values, [name]: value })} />
      ) : (
        <>
          {platform.grantRule.kind === 'fixed' ? input('issuedOn', texts.t('fieldIssuedOn'), 'date') : null}
          {input('expiresOn', texts.t('fieldExpiresOn'), 'date')}
          {input('renewUrl', texts.t('fieldRenewUrl'), 'url')}
        </>
      )}
      {input('warningDays', texts.t('fieldWarningDays'))}
      <button type="submit" class="button button--primary" disabled={busy}>
        {texts.t('actionAddConnection')}
      </button>
      <ActionMessage message={message} />
    </form>
  );
}
