import { useState } from 'preact/hooks';
import type { OptionsClient } from '@/utils/messaging/options-client';
import { BackgroundError } from '@/utils/messaging/client';
import type { MessageKey, Texts } from '@/utils/i18n/texts';
import { suggestedSetup, type PlatformMetadata } from '@/utils/consent/discovery';
import type { ExchangeMode } from '@/utils/connection';
import type { ExpiryRule } from '@/utils/expiry/rules';
import { ActionMessage } from './ActionMessage';
import { EXCHANGE_TEXT } from './AppSettingsFields';
import { useAction } from './use-action';
import { MAX_TEXT, MAX_URL } from '@/utils/limits';

interface CustomPlatformFormProps {
  client: Pick<OptionsClient, 'addPlatform'>;
  /** Reads and checks the platform's metadata (the page may, with the host allowed from the click). */
  inspect: (issuer: string) => Promise<PlatformMetadata>;
  texts: Texts;
  requestHostAccess: (origins: string[]) => Promise<boolean>;
  onAdded: () => void;
}

type Lifetime = 'unknown' | 'fixed' | 'sliding';
const LIFETIME_TEXT: Record<Lifetime, MessageKey> = { fixed: 'lifetimeFixedMonths', sliding: 'lifetimeSlidingDays', unknown: 'lifetimeUnknown' };

/** A platform not in the catalogue, checked by its address (discovery) before it is added. */
export function CustomPlatformForm({ client, inspect, texts, requestHostAccess, onAdded }: CustomPlatformFormProps) {
  const [issuer, setIssuer] = useState('');
  const [found, setFound] = useState<PlatformMetadata | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState('openid offline_access');
  const [exchanges, setExchanges] = useState<ExchangeMode[]>(['public']);
  // No lifetime is chosen for the user: "not known" would end every sign-in as "expiry date unknown".
  const [lifetime, setLifetime] = useState<Lifetime | null>(null);
  const [amount, setAmount] = useState('90');
  const { message, busy, run } = useAction(texts);

  function check(event: Event) {
    event.preventDefault();
    setFound(null);
    void run(async () => {
      const origin = URL.parse(issuer.trim());
      if (origin?.protocol === 'https:' && !(await requestHostAccess([`https://${origin.hostname}/*`]))) {
        throw new BackgroundError('host-access-denied');
      }
      // A discovery failure carries its code (OAuthFailure), which the message below explains.
      const metadata = await inspect(issuer.trim());
      const suggested = suggestedSetup(metadata);
      setFound(metadata);
      setExchanges(suggested.exchanges);
      setScopes(suggested.scopes.join(' '));
      setLifetime(suggested.asksLifetime ? null : 'unknown');
      if (!name) setName(new URL(metadata.issuer).hostname);
      return texts.t('discovered', [metadata.issuer]);
    });
  }

  function add(event: Event) {
    event.preventDefault();
    if (!found) return;
    const count = Number(amount);
    const chosen: ExpiryRule =
      lifetime === 'fixed' ? { kind: 'fixed', lifetime: { months: count } } : lifetime === 'sliding' ? { kind: 'sliding', lifetime: { days: count } } : { kind: 'unknown' };
    // Where the platform states the refresh token's lifetime in its answer, that date wins over the choice.
    const grantRule: ExpiryRule = { kind: 'response-field', field: 'refresh_token_expires_in', otherwise: chosen };
    const lifetimeText = `${texts.t(LIFETIME_TEXT[lifetime ?? 'unknown'])}${lifetime === 'unknown' || lifetime === null ? '' : ` (${count})`}`;
    void run(async () => {
      await client.addPlatform({
        name,
        oauth: {
          issuer: found.issuer,
          // Kept beside the issuer so that the hosts asked for at sign-in include the token endpoint's.
          endpoints: {
            authorization: found.authorizationEndpoint,
            token: found.tokenEndpoint,
            ...(found.revocationEndpoint ? { revocation: found.revocationEndpoint } : {}),
          },
          ...(found.hosts.length > 0 ? { hosts: found.hosts } : {}),
          scopes: scopes.split(/\s+/).filter(Boolean),
          exchanges,
        },
        grantRule,
        ruleSource: `${found.issuer}: ${texts.t('ruleStatedElse', [lifetimeText])}`,
      });
      setFound(null);
      setIssuer('');
      onAdded();
      return texts.t('platformAdded');
    });
  }

  const toggle = (mode: ExchangeMode) =>
    setExchanges(exchanges.includes(mode) ? exchanges.filter((candidate) => candidate !== mode) : [...exchanges, mode]);

  return (
    <form class="form" onSubmit={found ? add : check} aria-labelledby="custom-platform">
      <h2 id="custom-platform">{texts.t('sectionCustom')}</h2>
      <label class="field">
        <span class="field__label">{texts.t('fieldIssuer')}</span>
        <input name="issuer" type="url" maxLength={MAX_URL} value={issuer} onInput={(e) => (setIssuer(e.currentTarget.value), setFound(null))} />
      </label>
      {found && (
        <>
          <label class="field">
            <span class="field__label">{texts.t('fieldPlatformName')}</span>
            <input name="platformName" maxLength={MAX_TEXT} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </label>
          <label class="field">
            <span class="field__label">{texts.t('fieldScopes')}</span>
            <input name="scopes" value={scopes} onInput={(e) => setScopes(e.currentTarget.value)} />
          </label>
          <fieldset class="field">
            <legend class="field__label">{texts.t('fieldExchange')}</legend>
            <p class="form__hint">{texts.t(found.tokenAuthMethods.includes('none') ? 'customPublicWorks' : 'customSecretNeeded')}</p>
            {(['public', 'secret', 'broker'] as const).map((mode) => (
              <label class="choice">
                <input type="checkbox" name={`exchange-${mode}`} checked={exchanges.includes(mode)} onChange={() => toggle(mode)} />
                {texts.t(EXCHANGE_TEXT[mode])}
              </label>
            ))}
          </fieldset>
          <fieldset class="field">
            <legend class="field__label">{texts.t('fieldLifetime')}</legend>
            <p class="form__hint">{texts.t(found.refreshTokens === false ? 'customNoRefresh' : 'customLifetimeHint')}</p>
            {(['sliding', 'fixed', 'unknown'] as const).map((kind) => (
              <label class="choice">
                <input type="radio" name="lifetime" value={kind} required checked={lifetime === kind} onChange={() => setLifetime(kind)} />
                {texts.t(LIFETIME_TEXT[kind])}
              </label>
            ))}
            {lifetime === 'unknown' && found.refreshTokens !== false && <p class="form__hint">{texts.t('customUnknownWarning')}</p>}
            {(lifetime === 'fixed' || lifetime === 'sliding') && (
              <label class="field">
                <span class="field__label">{texts.t('fieldLifetimeAmount')}</span>
                <input name="lifetimeAmount" type="number" min="1" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
              </label>
            )}
          </fieldset>
        </>
      )}
      <button type="submit" class="button button--primary" disabled={busy}>
        {texts.t(found ? 'actionAddPlatform' : 'actionCheck')}
      </button>
      <ActionMessage message={message} />
    </form>
  );
}
