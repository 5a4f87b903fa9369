import { useEffect, useRef, useState } from 'preact/hooks';
import type { OptionsClient } from '@/utils/messaging/options-client';
import type { Texts } from '@/utils/i18n/texts';
import type { MessageKey } from '@/utils/i18n/texts';
import { withLimit } from '@/utils/messaging/limit-text';
import type { LockState } from '@/utils/messaging/protocol';
import { ActionMessage } from './ActionMessage';
import { useAction } from './use-action';

interface LockPanelProps {
  client: Pick<OptionsClient, 'lockState' | 'enableLock' | 'unlock' | 'lockNow' | 'changePassphrase' | 'disableLock' | 'forgetSecrets'>;
  texts: Texts;
  /** The popup sent the user here to unlock: the passphrase field has the focus. */
  focus?: boolean;
  onChanged: () => void;
}

const STATE_TEXT: Record<LockState, MessageKey> = { off: 'lockStateOff', locked: 'lockStateLocked', unlocked: 'lockStateUnlocked' };

/**
 * "Passphrase lock": turn it on (a passphrase typed twice), unlock after a start of the browser,
 * lock now, change the passphrase, turn it off, or, with the passphrase forgotten, delete the
 * stored sign-ins and start again.
 */
export function LockPanel({ client, texts, focus = false, onChanged }: LockPanelProps) {
  const [state, setState] = useState<LockState | undefined>(undefined);
  const [fields, setFields] = useState({ passphrase: '', repeat: '', current: '' });
  const { message, busy, run, setMessage } = useAction(texts);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void run(async () => (setState(await client.lockState()), null));
  }, [client]);
  useEffect(() => {
    if (focus && state) first.current?.focus();
  }, [focus, state]);

  /** Runs a step of the lock; the fields are emptied whatever happened, a passphrase is never kept on the page. */
  const step = (action: () => Promise<LockState>, done: MessageKey) =>
    void run(async () => {
      try {
        setState(await action());
      } finally {
        setFields({ passphrase: '', repeat: '', current: '' });
      }
      onChanged();
      return texts.t(done);
    });
  /** A new passphrase must be typed the same twice. */
  const twice = (action: () => Promise<LockState>, done: MessageKey) => {
    if (fields.passphrase !== fields.repeat) return setMessage({ kind: 'problem', text: texts.t('lockPassphrasesDiffer') });
    step(action, done);
  };
  const field = (name: keyof typeof fields, label: MessageKey, autocomplete: string, ref?: typeof first) => (
    <label class="field">
      <span class="field__label">{texts.t(label)}</span>
      <input ref={ref} name={name} type="password" required autocomplete={autocomplete} spellcheck={false} maxLength={1000} value={fields[name]}
        onInput={(event) => setFields({ ...fields, [name]: event.currentTarget.value })} />
    </label>
  );

  return (
    <section class="form" id="lock" aria-labelledby="lock-title" aria-busy={state === undefined} data-lock={state}>
      <h2 id="lock-title">{texts.t('lockTitle')}</h2>
      <p class="muted">{texts.t('lockIntro')}</p>
      {state && <p data-lock-state>{texts.t(STATE_TEXT[state])}</p>}

      {state === 'off' && (
        <form class="form" aria-label={texts.t('actionLockOn')} onSubmit={(event) => (event.preventDefault(), twice(() => client.enableLock(fields.passphrase), 'lockDoneOn'))}>
          {field('passphrase', 'fieldPassphrase', 'new-password', first)}
          {field('repeat', 'fieldPassphraseRepeat', 'new-password')}
          <p class="muted">{withLimit(texts, 'lockPassphraseHint')}</p>
          <button type="submit" class="button button--primary" disabled={busy}>{texts.t('actionLockOn')}</button>
        </form>
      )}

      {state === 'locked' && (
        <>
          <form class="form" aria-label={texts.t('actionUnlock')} onSubmit={(event) => (event.preventDefault(), step(() => client.unlock(fields.passphrase), 'lockDoneUnlocked'))}>
            {field('passphrase', 'fieldPassphrase', 'current-password', first)}
            <button type="submit" class="button button--primary" disabled={busy}>{texts.t('actionUnlock')}</button>
          </form>
          <details>
            <summary>{texts.t('actionForgotPassphrase')}</summary>
            <p>{texts.t('lockForgetWarning')}</p>
            <button type="button" class="button button--danger" disabled={busy} onClick={() => step(() => client.forgetSecrets(), 'lockDoneForgotten')}>
              {texts.t('actionForgetSecrets')}
            </button>
          </details>
        </>
      )}

      {state === 'unlocked' && (
        <>
          <div class="form__actions">
            <button type="button" class="button" disabled={busy} onClick={() => step(() => client.lockNow(), 'lockDoneLocked')}>{texts.t('actionLockNow')}</button>
          </div>
          <details>
            <summary>{texts.t('actionChangePassphrase')}</summary>
            <form class="form" aria-label={texts.t('actionChangePassphrase')}
              onSubmit={(event) => (event.preventDefault(), twice(() => client.changePassphrase(fields.current, fields.passphrase), 'lockDoneChanged'))}>
              {field('current', 'fieldCurrentPassphrase', 'current-password')}
              {field('passphrase', 'fieldNewPassphrase', 'new-password')}
              {field('repeat', 'fieldPassphraseRepeat', 'new-password')}
              <button type="submit" class="button" disabled={busy}>{texts.t('actionChangePassphrase')}</button>
            </form>
          </details>
          <details>
            <summary>{texts.t('actionLockOff')}</summary>
            <form class="form" aria-label={texts.t('actionLockOff')} onSubmit={(event) => (event.preventDefault(), step(() => client.disableLock(fields.current), 'lockDoneOff'))}>
              {field('current', 'fieldCurrentPassphrase', 'current-password')}
              <button type="submit" class="button" disabled={busy}>{texts.t('actionLockOff')}</button>
            </form>
          </details>
        </>
      )}
      <ActionMessage message={message} />
    </section>
  );
}
