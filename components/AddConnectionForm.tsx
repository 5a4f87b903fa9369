import { useState } from 'preact/hooks';
import { BackgroundError, type BackgroundClient } from '@/utils/messaging/client';
import type { ExchangeMode, OAuthClient } from '@/utils/connection';
import { hostOrigins } from '@/utils/catalogue/host-access';
import type { MessageKey, Texts } from '@/utils/i18n/texts';
import { catalogueKey, PRESETS, presetName, ruleText, type ClientField, type CustomPlatform, type PlatformPreset } from '@/utils/catalogue/presets';
import { ActionMessage } from './ActionMessage';
import { useAction } from './use-action';

interface AddConnectionFormProps {
  client: Pick<BackgroundClient, 'createConnection' | 'track'>;
  texts: Texts;
  customPlatforms: readonly CustomPlatform[];
  requestHostAccess: (origins: string[]) => Promise<boolean>;
  onAdded: () => void;
}

const EXCHANGE_TEXT: Record<ExchangeMode, MessageKey> = { public: 'exchangePublic', secret: 'exchangeSecret', broker: 'exchangeBroker' };
const CLIENT_FIELD_TEXT: Record<ClientField['kind'], MessageKey> = { redirectName: 'fieldRedirectName', applicationId: 'fieldAppId', draft: 'fieldDraftApp' };

/** The app's id under the platform's parameter name (Amazon: application_id), and its draft mark (version=beta), where the platform asks for them. */
export function authorizationParamsOf(fields: readonly ClientField[], values: Record<string, string>): Pick<OAuthClient, 'authorizationParams'> {
  const params = Object.fromEntries(
    fields.flatMap((field) => {
      if (field.kind === 'applicationId' && values.applicationId) return [[field.param, values.applicationId]];
      if (field.kind === 'draft' && values.draft === 'on') return [[field.param, field.value]];
      return [];
    }),
  );
  return Object.keys(params).length > 0 ? { authorizationParams: params } : {};
}

/** "30, 14, 7" → [30, 14, 7]; the background checks the numbers. */
export const parseDays = (value: string) => value.split(/[,;\s]+/).filter(Boolean).map(Number);

function Field({ label, children }: { label: string; children: preact.ComponentChildren }) {
  return (
    <label class="field">
      <span class="field__label">{label}</span>
      {children}
    </label>
  );
}

export function AddConnectionForm({ client, texts, customPlatforms, requestHostAccess, onAdded }: AddConnectionFormProps) {
  const all: PlatformPreset[] = [...PRESETS, ...customPlatforms];
  const [platformId, setPlatformId] = useState(PRESETS[0]!.id);
  const [values, setValues] = useState<Record<string, string>>({});
  const [exchange, setExchange] = useState<ExchangeMode | ''>('');
  const [scopes, setScopes] = useState<string[]>([]);
  const { message, busy, run } = useAction(texts);
  const platform = all.find((candidate) => candidate.id === platformId)!;
  const oauth = platform.oauth;
  const mode: ExchangeMode = exchange && oauth?.exchanges.includes(exchange) ? exchange : (oauth?.exchanges[0] ?? 'public');
  const input = (name: string, label: string, type: 'text' | 'password' | 'url' | 'date' = 'text') => (
    <Field label={label}>
      <input
        name={name}
        // Preact types each input `type` apart; a field that takes several needs the widening.
        type={type as 'text'}
        value={values[name] ?? ''}
        onInput={(event) => setValues({ ...values, [name]: event.currentTarget.value })}
        autocomplete={type === 'password' ? 'new-password' : 'off'}
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
        const endpointValues = Object.fromEntries((oauth.fields ?? []).map(({ name }) => [name, values[`field_${name}`] ?? '']));
        const oauthClient: OAuthClient = {
          clientId: values.clientId ?? '',
          exchange: mode,
          ...(mode === 'broker' ? { brokerUrl: values.brokerUrl ?? '' } : {}),
          ...(values.redirectName ? { redirectName: values.redirectName } : {}),
          ...authorizationParamsOf(oauth.clientFields ?? [], values),
          ...(oauth.fields?.length ? { endpointValues } : {}),
          ...(oauth.scopeChoices ? { scopes: scopes.filter((scope) => oauth.scopeChoices?.includes(scope)) } : {}),
        };
        // Asked from this click: the browser allows the prompt only in answer to the user.
        const origins = hostOrigins(oauth, oauthClient).filter((origin) => !origin.includes('{'));
        if (origins.length > 0 && !(await requestHostAccess(origins))) throw new BackgroundError('host-access-denied');
        await client.createConnection({ ...common, client: oauthClient, ...(mode === 'secret' ? { clientSecret: values.clientSecret ?? '' } : {}) });
      }
      setValues({});
      setScopes([]);
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
        <select name="platformId" value={platformId} onChange={(event) => setPlatformId(event.currentTarget.value)}>
          {group('groupOAuth', PRESETS.filter((candidate) => candidate.kind === 'oauth'))}
          {group('groupTracked', PRESETS.filter((candidate) => candidate.kind === 'tracked'))}
          {group('groupCustom', customPlatforms)}
        </select>
      </Field>
      <p class="form__hint">{ruleText(platform, texts)}</p>
      {input('label', texts.t('fieldLabel'))}
      {input('account', texts.t('fieldAccount'))}
      {oauth ? (
        <>
          <fieldset class="field">
            <legend class="field__label">{texts.t('fieldExchange')}</legend>
            {oauth.exchanges.map((candidate) => (
              <label class="choice">
                <input type="radio" name="exchange" value={candidate} checked={mode === candidate} onChange={() => setExchange(candidate)} />
                {texts.t(EXCHANGE_TEXT[candidate])}
              </label>
            ))}
          </fieldset>
          {(oauth.fields ?? []).map(({ name }) => input(`field_${name}`, texts.t(catalogueKey('field', name))))}
          {input('clientId', texts.t('fieldClientId'))}
          {mode === 'secret' && input('clientSecret', texts.t('fieldClientSecret'), 'password')}
          {mode === 'broker' && input('brokerUrl', texts.t('fieldBrokerUrl'), 'url')}
          {(oauth.clientFields ?? []).map(({ kind }) =>
            kind === 'draft' ? (
              <label class="choice">
                <input type="checkbox" name="draft" checked={values.draft === 'on'} onChange={(event) => setValues({ ...values, draft: event.currentTarget.checked ? 'on' : '' })} />
                {texts.t(CLIENT_FIELD_TEXT[kind])}
              </label>
            ) : (
              input(kind, texts.t(CLIENT_FIELD_TEXT[kind]))
            ),
          )}
          {oauth.scopeChoices && (
            <fieldset class="field">
              <legend class="field__label">{texts.t('fieldApiScopes')}</legend>
              {oauth.scopeChoices.map((scope) => (
                <label class="choice">
                  <input
                    type="checkbox"
                    name="scope"
                    value={scope}
                    checked={scopes.includes(scope)}
                    onChange={(event) => setScopes(event.currentTarget.checked ? [...scopes, scope] : scopes.filter((chosen) => chosen !== scope))}
                  />
                  <code>{scope}</code>
                </label>
              ))}
            </fieldset>
          )}
        </>
      ) : (
        <>
          {platform.grantRule.kind === 'fixed' ? input('issuedOn', texts.t('fieldIssuedOn'), 'date') : null}
          {input('expiresOn', texts.t('fieldExpiresOn'), 'date')}
          {input('renewUrl', texts.t('fieldRenewUrl'), 'url')}
        </>
      )}
      {input('warningDays', texts.t('fieldWarningDays'))}
      <button type="submit" class="button button--primary" disabled={busy}>
        {texts.t('actionAdd')}
      </button>
      <ActionMessage message={message} />
    </form>
  );
}
