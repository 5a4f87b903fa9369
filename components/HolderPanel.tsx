import { useEffect, useState } from 'preact/hooks';
import type { OptionsClient } from '@/utils/messaging/options-client';
import type { Texts } from '@/utils/i18n/texts';
import { catalogueKey } from '@/utils/catalogue/presets';
import type { HolderStatus } from '@/utils/messaging/protocol';
import { ActionMessage } from './ActionMessage';
import { useAction } from './use-action';
import { MAX_TEXT, MAX_URL } from '@/utils/limits';

interface HolderPanelProps {
  client: Pick<OptionsClient, 'holderStatus' | 'connectHolder' | 'disconnectHolder' | 'syncHolder' | 'signInHeld'>;
  texts: Texts;
  timeZone: string;
  onChanged: () => void;
}

/**
 * "Connect to your company's token holder": address and member key; once connected, who the
 * holder knows this colleague as, how the last sync went, and new grants signed in through it.
 */
export function HolderPanel({ client, texts, timeZone, onChanged }: HolderPanelProps) {
  const [status, setStatus] = useState<HolderStatus | null | undefined>(undefined);
  const [platformId, setPlatformId] = useState('');
  const [draft, setDraft] = useState({ url: '', memberKey: '', label: '' });
  /** The new grant's address parts (Shopify's shop, DATEV's consultant number) and chosen API scopes. */
  const [values, setValues] = useState<Record<string, string>>({});
  const [scopes, setScopes] = useState<string[]>([]);
  const { message, busy, run } = useAction(texts);
  const when = (instant: number) => new Intl.DateTimeFormat(texts.locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(instant);

  useEffect(() => {
    void run(async () => (setStatus(await client.holderStatus()), null));
  }, [client]);

  if (status === undefined) return <section class="form" aria-busy="true" aria-labelledby="holder"><h2 id="holder">{texts.t('holderTitle')}</h2></section>;

  if (status === null) {
    return (
      <form class="form" aria-labelledby="holder" data-holder="disconnected"
        onSubmit={(event) => {
          event.preventDefault();
          // No host access needed: the holder answers the extension's origin itself (CORS).
          void run(async () => {
            setStatus(await client.connectHolder(draft.url.trim(), draft.memberKey.trim()));
            setDraft({ ...draft, memberKey: '' });
            onChanged();
            return null;
          });
        }}>
        <h2 id="holder">{texts.t('holderTitle')}</h2>
        <p class="muted">{texts.t('holderIntro')}</p>
        <label class="field">
          <span class="field__label">{texts.t('fieldHolderUrl')}</span>
          <input name="holderUrl" type="url" required autocomplete="url" spellcheck={false} maxLength={MAX_URL} value={draft.url}
            onInput={(event) => setDraft({ ...draft, url: event.currentTarget.value })} />
        </label>
        <label class="field">
          <span class="field__label">{texts.t('fieldMemberKey')}</span>
          <input name="memberKey" type="password" required autocomplete="off" spellcheck={false} maxLength={MAX_TEXT} value={draft.memberKey}
            onInput={(event) => setDraft({ ...draft, memberKey: event.currentTarget.value })} />
        </label>
        <button type="submit" class="button button--primary" disabled={busy}>{texts.t('actionHolderConnect')}</button>
        <ActionMessage message={message} />
      </form>
    );
  }

  const chosen = platformId || status.platforms[0]?.id || '';
  const platform = status.platforms.find((candidate) => candidate.id === chosen);
  return (
    <section class="form" aria-labelledby="holder" data-holder="connected">
      <h2 id="holder">{texts.t('holderTitle')}</h2>
      <p>{texts.t('holderConnected', [status.member, status.url])}</p>
      {status.unreachableSince ? (
        <p class="holder__problem" role="alert">{texts.t('holderUnreachableSince', [when(status.unreachableSince)])}</p>
      ) : (
        status.syncedAt !== null && <p class="muted">{texts.t('holderSyncedAt', [when(status.syncedAt)])}</p>
      )}
      <div class="form__actions">
        <button type="button" class="button" disabled={busy} data-action="holder-sync"
          onClick={() => void run(async () => (await client.syncHolder(false), setStatus(await client.holderStatus()), onChanged(), null))}>
          {texts.t('actionHolderSync')}
        </button>
        {!status.managed && (
          <button type="button" class="button button--quiet" disabled={busy} data-action="holder-disconnect"
            onClick={() => void run(async () => (await client.disconnectHolder(), setStatus(null), onChanged(), null))}>
            {texts.t('actionHolderDisconnect')}
          </button>
        )}
      </div>
      <form class="form" aria-labelledby="holder-new"
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            const endpointValues = Object.fromEntries((platform?.fields ?? []).map((name) => [name, values[name] ?? '']));
            await client.signInHeld({
              platformId: chosen,
              label: draft.label,
              ...(platform?.fields.length ? { endpointValues } : {}),
              ...(platform?.scopeChoices.length ? { scopes } : {}),
            });
            setDraft({ ...draft, label: '' });
            onChanged();
            return texts.t('saved');
          });
        }}>
        <h3 id="holder-new">{texts.t('holderNewGrant')}</h3>
        {status.platforms.length === 0 ? (
          <p class="muted">{texts.t('holderNoApps')}</p>
        ) : (
          <>
            <label class="field">
              <span class="field__label">{texts.t('fieldPlatform')}</span>
              <select name="platformId" value={chosen} onChange={(event) => setPlatformId(event.currentTarget.value)}>
                {status.platforms.map((platform) => <option value={platform.id}>{platform.name}</option>)}
              </select>
            </label>
            <label class="field">
              <span class="field__label">{texts.t('fieldLabel')}</span>
              <input name="label" type="text" required maxLength={MAX_TEXT} value={draft.label} onInput={(event) => setDraft({ ...draft, label: event.currentTarget.value })} />
            </label>
            {platform?.fields.map((name) => (
              <label class="field">
                <span class="field__label">{texts.t(catalogueKey('field', name))}</span>
                <input name={`field_${name}`} type="text" required maxLength={MAX_TEXT} value={values[name] ?? ''} onInput={(event) => setValues({ ...values, [name]: event.currentTarget.value })} />
              </label>
            ))}
            {platform && platform.scopeChoices.length > 0 && (
              <fieldset class="field">
                <legend class="field__label">{texts.t('fieldApiScopes')}</legend>
                {platform.scopeChoices.map((scope) => (
                  <label class="choice">
                    <input type="checkbox" name="scope" value={scope} checked={scopes.includes(scope)}
                      onChange={(event) => setScopes(event.currentTarget.checked ? [...scopes, scope] : scopes.filter((other) => other !== scope))} />
                    <code>{scope}</code>
                  </label>
                ))}
              </fieldset>
            )}
            <button type="submit" class="button button--primary" disabled={busy}>{texts.t('actionHolderSignIn')}</button>
          </>
        )}
      </form>
      <ActionMessage message={message} />
    </section>
  );
}
