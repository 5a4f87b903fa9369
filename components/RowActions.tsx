import { useEffect, useRef, useState } from 'preact/hooks';
import type { Texts } from '@/utils/i18n/texts';
import type { ConnectionView } from '@/utils/messaging/protocol';
import { ACTION_TEXT, renewedUntil, type RowAction } from '@/utils/watch/next-step';

/** What a row asks the popup to do; the two dates come from the row's small date field. */
export type RowRequest =
  | { action: 'consent' | 'refresh' | 'set-up' | 'unlock' | 'renewal-page' | 'remove' }
  | { action: 'renewed'; expiresOn?: string }
  | { action: 'enter-date'; expiresOn: string };

interface RowActionsProps {
  view: ConnectionView;
  actions: readonly RowAction[];
  texts: Texts;
  now: number;
  timeZone: string;
  busy: boolean;
  /** The first button stands out where the row needs something done. */
  prominent: boolean;
  /** A button's accessible name: its words and the connection's. */
  name: (action: string) => string;
  onAction: (request: RowRequest) => void;
}

/** A row's buttons, its next step first; "Renewed today" and "Enter date" open a date field in place. */
export function RowActions({ view, actions, texts, now, timeZone, busy, prominent, name, onAction }: RowActionsProps) {
  const [dating, setDating] = useState<'renewed' | 'enter-date' | null>(null);
  if (dating) {
    const initial = dating === 'renewed' ? renewedUntil(view.platform.grantRule, now, timeZone) : null;
    return (
      <DateForm
        label={texts.t(dating === 'renewed' ? 'fieldNewExpiresOn' : 'fieldExpiresOn')}
        initial={initial ?? ''}
        texts={texts}
        name={name}
        onCancel={() => setDating(null)}
        onSave={(value) => {
          setDating(null);
          // Left as the rule says, the date stays the platform's documented one, not the user's.
          if (dating === 'enter-date') onAction({ action: 'enter-date', expiresOn: value });
          else onAction(value === initial ? { action: 'renewed' } : { action: 'renewed', expiresOn: value });
        }}
      />
    );
  }
  return (
    <div class="connection__actions">
      {actions.map((action, index) => {
        const text = texts.t(ACTION_TEXT[action]);
        return (
          <button
            type="button"
            class={index === 0 && prominent ? 'button button--primary' : 'button'}
            data-action={action}
            aria-label={name(text)}
            disabled={busy}
            onClick={() => (action === 'renewed' || action === 'enter-date' ? setDating(action) : onAction({ action }))}>
            {text}
          </button>
        );
      })}
    </div>
  );
}

interface DateFormProps {
  label: string;
  initial: string;
  texts: Texts;
  name: (action: string) => string;
  onSave: (value: string) => void;
  onCancel: () => void;
}

function DateForm({ label, initial, texts, name, onSave, onCancel }: DateFormProps) {
  const [value, setValue] = useState(initial);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  return (
    <form class="connection__actions connection__date-form" onSubmit={(event) => (event.preventDefault(), onSave(value))}>
      <label class="connection__date-field">
        <span>{label}</span>
        <input ref={field} type="date" name="expiresOn" required value={value} onInput={(event) => setValue(event.currentTarget.value)} />
      </label>
      <button type="submit" class="button button--primary" data-action="save-date" aria-label={name(texts.t('actionSave'))}>
        {texts.t('actionSave')}
      </button>
      <button type="button" class="button" data-action="cancel-date" aria-label={name(texts.t('actionCancel'))} onClick={onCancel}>
        {texts.t('actionCancel')}
      </button>
    </form>
  );
}
