import { useState } from 'preact/hooks';
import { BackgroundError } from '@/utils/messaging/client';
import type { OptionsClient } from '@/utils/messaging/options-client';
import type { ConnectionEvent, OAuthClient } from '@/utils/connection';
import { hostOrigins } from '@/utils/catalogue/host-access';
import type { OAuthSettings } from '@/utils/catalogue/presets';
import { formatDate, type MessageKey, type Texts } from '@/utils/i18n/texts';
import type { ConnectionView } from '@/utils/messaging/protocol';
import { connectionStatus } from '@/utils/expiry/status';
import { actionName } from '@/utils/watch/next-step';
import { expiryDateText, statusText } from '@/utils/watch/status-text';
import type { ConnectionChanges } from '@/utils/records/input';
import { ActionMessage } from './ActionMessage';
import { RemoveConfirmation } from './RemoveConfirmation';
import { parseDays } from './AddConnectionForm';
import { SignInSetup } from './SignInSetup';
import { useAction } from './use-action';
import { fieldMaxLength } from '@/utils/limits';

export type SettingsClient = Pick<OptionsClient, 'update' | 'renewed' | 'events' | 'remove' | 'startConsent'>;

interface ConnectionSettingsProps {
  view: ConnectionView;
  /** The platform's sign-in settings, where it has them. */
  oauth?: OAuthSettings;
  client: SettingsClient;
  texts: Texts;
  now: number;
  timeZone: string;
  requestHostAccess: (origins: string[]) => Promise<boolean>;
  onChanged: () => void;
  /** Opened from the popup's "Set up sign-in": the form is open and its first missing field focused. */
  settingUp?: boolean;
}

/** One watched connection in the options page: sign in or set the sign-in up, edit, pause, renewed today, history, remove. */
export function ConnectionSettings({ view, oauth, client, texts, now, timeZone, requestHostAccess, onChanged, settingUp: openedToSetUp = false }: ConnectionSettingsProps) {
  const { connection, platform } = view;
  const [settingUp, setSettingUp] = useState(openedToSetUp);
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [history, setHistory] = useState<ConnectionEvent[] | null>(null);
  const [draft, setDraft] = useState<Record<string, string>>({});
  const { message, busy, run } = useAction(texts);
  const tracked = platform.kind === 'tracked';
  const id = connection.id;
  const field = (name: string, label: string, initial: string, type: 'text' | 'date' | 'url' | 'password' = 'text') => (
    <label class="field">
      <span class="field__label">{label}</span>
      <input
        name={name}
        type={type as 'text'}
        value={draft[name] ?? initial}
        maxLength={fieldMaxLength(type)}
        onInput={(event) => setDraft({ ...draft, [name]: event.currentTarget.value })}
      />
    </label>
  );
  const act = (action: () => Promise<string | null>) => void run(action).then(onChanged);
  const name = (action: MessageKey) => actionName(texts, texts.t(action), platform.name, connection.label);
  const canSetUp = !tracked && !connection.client && oauth !== undefined;

  function saveSignIn(appClient: OAuthClient, clientSecret: string | undefined) {
    act(async () => {
      // Asked from this click: the browser allows the prompt only in answer to the user.
      const origins = hostOrigins(oauth, appClient).filter((origin) => !origin.includes('{'));
      if (origins.length > 0 && !(await requestHostAccess(origins))) throw new BackgroundError('host-access-denied');
      await client.update(id, { client: appClient, ...(clientSecret ? { clientSecret } : {}) });
      setSettingUp(false);
      return texts.t('signInSetUp');
    });
  }

  function save(event: Event) {
    event.preventDefault();
    act(async () => {
      const changes: ConnectionChanges = {};
      if (draft.label !== undefined) changes.label = draft.label;
      if (draft.account !== undefined) changes.account = draft.account;
      if (draft.warningDays !== undefined) changes.warningDays = parseDays(draft.warningDays);
      if (draft.renewUrl !== undefined) changes.renewUrl = draft.renewUrl;
      if (draft.expiresOn) changes.expiresOn = draft.expiresOn;
      if (draft.clientSecret) changes.clientSecret = draft.clientSecret;
      await client.update(id, changes);
      setEditing(false);
      setDraft({});
      return texts.t('saved');
    });
  }

  const info = connectionStatus(connection, now, timeZone);
  const date = expiryDateText(texts, connection.grantExpiry, now, timeZone);
  return (
    <li class="settings-row" data-connection-id={id} data-paused={connection.paused ? 'true' : undefined}>
      <div class="settings-row__head">
        <strong>{platform.name}</strong> · {connection.label}
        {connection.account && <span class="muted"> · {connection.account}</span>}
        {connection.paused && <span class="mark">{texts.t('pausedMark')}</span>}
        {connection.managed && <span class="mark">{texts.t('managedMark')}</span>}
      </div>
      <p class="settings-row__status">
        {statusText(texts, platform.kind, info)}
        {date && <span class="muted"> – {date}</span>}
      </p>
      <div class="connection__actions">
        {canSetUp && (
          <button type="button" class="button button--primary" data-action="set-up" aria-expanded={settingUp} aria-label={name('actionSetUp')}
            onClick={() => setSettingUp(!settingUp)}>
            {texts.t('actionSetUp')}
          </button>
        )}
        {!tracked && connection.client && (
          <button type="button" class="button button--primary" data-action="consent" aria-label={name('actionSignIn')} disabled={busy}
            onClick={() => act(async () => {
              if (view.hostOrigins.length > 0 && !(await requestHostAccess(view.hostOrigins))) throw new BackgroundError('host-access-denied');
              await client.startConsent(id);
              return texts.t('consentDone');
            })}>
            {texts.t('actionSignIn')}
          </button>
        )}
        {tracked && (
          <button type="button" class="button" data-action="renewed" aria-label={name('actionRenewedToday')} disabled={busy}
            onClick={() => act(async () => (await client.renewed(id, draft.expiresOn || undefined), texts.t('saved')))}>
            {texts.t('actionRenewedToday')}
          </button>
        )}
        <button type="button" class="button" data-action="edit" aria-expanded={editing} aria-label={name('actionEdit')} onClick={() => setEditing(!editing)}>
          {texts.t('actionEdit')}
        </button>
        <button type="button" class="button" data-action="pause" aria-label={name(connection.paused ? 'actionResume' : 'actionPause')} disabled={busy}
          onClick={() => act(async () => (await client.update(id, { paused: !connection.paused }), texts.t('saved')))}>
          {texts.t(connection.paused ? 'actionResume' : 'actionPause')}
        </button>
        <button type="button" class="button" data-action="history" aria-expanded={history !== null} aria-label={name('actionHistory')}
          onClick={() => (history ? setHistory(null) : void run(async () => (setHistory(await client.events(id)), null)))}>
          {texts.t('actionHistory')}
        </button>
        {!connection.managed && !confirming && (
          <button type="button" class="button button--quiet" data-action="remove" aria-label={name('actionRemove')} onClick={() => setConfirming(true)}>
            {texts.t('actionRemove')}
          </button>
        )}
      </div>
      {settingUp && canSetUp && (
        <SignInSetup connectionId={id} oauth={oauth} texts={texts} busy={busy} name={name('actionSetUp')} focus={openedToSetUp} onSave={saveSignIn} />
      )}
      {confirming && (
        <RemoveConfirmation
          texts={texts}
          name={name}
          onConfirm={() => (setConfirming(false), act(async () => ((await client.remove(id)).revoked ? texts.t('removedRevoked') : texts.t('removedLocally'))))}
          onCancel={() => setConfirming(false)}
        />
      )}
      {editing && (
        <form class="form form--inline" onSubmit={save}>
          {field('label', texts.t('fieldLabel'), connection.label)}
          {field('account', texts.t('fieldAccount'), connection.account)}
          {field('warningDays', texts.t('fieldWarningDays'), connection.warningDays.join(', '))}
          {tracked && field('expiresOn', texts.t('fieldExpiresOn'), '', 'date')}
          {tracked && field('renewUrl', texts.t('fieldRenewUrl'), connection.renewUrl ?? '', 'url')}
          {connection.client?.exchange === 'secret' && field('clientSecret', texts.t('fieldClientSecret'), '', 'password')}
          <button type="submit" class="button button--primary" disabled={busy}>
            {texts.t('actionSave')}
          </button>
        </form>
      )}
      {history && (
        <ol class="history" aria-label={texts.t('actionHistory')}>
          {history.length === 0 && <li>{texts.t('historyEmpty')}</li>}
          {history.map((event) => (
            <li>
              {formatDate(texts, event.at, timeZone)} – {texts.t(`event_${event.type.replace(/-/g, '_')}` as MessageKey)}
              {event.actor && <span class="muted"> ({event.actor})</span>}
            </li>
          ))}
        </ol>
      )}
      <ActionMessage message={message} />
    </li>
  );
}
