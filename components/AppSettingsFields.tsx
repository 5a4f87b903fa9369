import type { ComponentChildren } from 'preact';
import type { ExchangeMode, OAuthClient } from '@/utils/connection';
import type { MessageKey, Texts } from '@/utils/i18n/texts';
import { catalogueKey, type ClientField, type OAuthSettings } from '@/utils/catalogue/presets';
import { fieldMaxLength } from '@/utils/limits';

export const EXCHANGE_TEXT: Record<ExchangeMode, MessageKey> = { public: 'exchangePublic', secret: 'exchangeSecret', broker: 'exchangeBroker' };
const CLIENT_FIELD_TEXT: Record<ClientField['kind'], MessageKey> = { redirectName: 'fieldRedirectName', applicationId: 'fieldAppId', draft: 'fieldDraftApp' };

export function Field({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <label class="field">
      <span class="field__label">{label}</span>
      {children}
    </label>
  );
}

/** The sign-in method chosen, where the platform offers it; else the platform's first. */
export function exchangeOf(oauth: OAuthSettings, chosen: ExchangeMode | ''): ExchangeMode {
  return chosen && oauth.exchanges.includes(chosen) ? chosen : (oauth.exchanges[0] ?? 'public');
}

/** The fields the app settings of this platform and method need, by their form names. */
export function appSettingNames(oauth: OAuthSettings, mode: ExchangeMode): string[] {
  return [
    ...(oauth.fields ?? []).map(({ name }) => `field_${name}`),
    'clientId',
    ...(mode === 'secret' ? ['clientSecret'] : mode === 'broker' ? ['brokerUrl'] : []),
    // A draft app's mark is a choice, never a field still to fill in.
    ...(oauth.clientFields ?? []).flatMap(({ kind }) => (kind === 'draft' ? [] : [kind])),
  ];
}

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

/** The API scopes ticked among those the platform offers to choose (DATEV's APIs); kept in the form's values as `scope_<scope>`. */
const chosenScopes = (oauth: OAuthSettings, values: Record<string, string>) => (oauth.scopeChoices ?? []).filter((scope) => values[`scope_${scope}`] === 'on');

/** The app settings as the background takes them; the background checks them against the platform. */
export function appClientOf(oauth: OAuthSettings, mode: ExchangeMode, values: Record<string, string>): OAuthClient {
  const endpointValues = Object.fromEntries((oauth.fields ?? []).map(({ name }) => [name, values[`field_${name}`] ?? '']));
  return {
    clientId: values.clientId ?? '',
    exchange: mode,
    ...(mode === 'broker' ? { brokerUrl: values.brokerUrl ?? '' } : {}),
    ...(values.redirectName ? { redirectName: values.redirectName } : {}),
    ...authorizationParamsOf(oauth.clientFields ?? [], values),
    ...(oauth.fields?.length ? { endpointValues } : {}),
    ...(oauth.scopeChoices ? { scopes: chosenScopes(oauth, values) } : {}),
  };
}

interface AppSettingsFieldsProps {
  oauth: OAuthSettings;
  mode: ExchangeMode;
  values: Record<string, string>;
  texts: Texts;
  onMode: (mode: ExchangeMode) => void;
  onValue: (name: string, value: string) => void;
  /** Marks each field still empty as needed for the sign-in (the settings page, opened to set one up). */
  missing?: { hintId: string };
}

/** How the sign-in is completed and the app's settings at the platform: the same fields when adding and when setting up. */
export function AppSettingsFields({ oauth, mode, values, texts, onMode, onValue, missing }: AppSettingsFieldsProps) {
  const input = (name: string, label: string, type: 'text' | 'password' | 'url' = 'text') => {
    const empty = missing !== undefined && !values[name];
    return (
      <Field label={label}>
        <input
          name={name}
          // Preact types each input `type` apart; a field that takes several needs the widening.
          type={type as 'text'}
          value={values[name] ?? ''}
          // A secret is never cut short where it is pasted: one too long is refused by the background, with its message.
          {...(type === 'password' ? {} : { maxLength: fieldMaxLength(type) })}
          onInput={(event) => onValue(name, event.currentTarget.value)}
          autocomplete={type === 'password' ? 'new-password' : 'off'}
          {...(empty ? { 'aria-invalid': 'true', 'aria-describedby': missing.hintId, class: 'field--missing', placeholder: texts.t('fieldNeeded') } : {})}
        />
      </Field>
    );
  };
  return (
    <>
      <fieldset class="field">
        <legend class="field__label">{texts.t('fieldExchange')}</legend>
        {oauth.exchanges.map((candidate) => (
          <label class="choice">
            <input type="radio" name="exchange" value={candidate} checked={mode === candidate} onChange={() => onMode(candidate)} />
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
            <input type="checkbox" name="draft" checked={values.draft === 'on'} onChange={(event) => onValue('draft', event.currentTarget.checked ? 'on' : '')} />
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
              <input type="checkbox" name="scope" value={scope} checked={values[`scope_${scope}`] === 'on'}
                onChange={(event) => onValue(`scope_${scope}`, event.currentTarget.checked ? 'on' : '')} />
              <code>{scope}</code>
            </label>
          ))}
        </fieldset>
      )}
    </>
  );
}
