import type { MessageKey, Texts } from '@/utils/i18n/texts';

interface RemoveConfirmationProps {
  texts: Texts;
  /** A button's accessible name, naming the connection. */
  name: (action: MessageKey) => string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The question before a connection is removed on the settings page (the popup offers an undo instead). */
export function RemoveConfirmation({ texts, name, onConfirm, onCancel }: RemoveConfirmationProps) {
  return (
    <div class="connection__actions" role="group">
      <p class="connection__confirm">{texts.t('confirmRemove')}</p>
      <button type="button" class="button button--danger" data-action="confirm-remove" aria-label={name('actionConfirmRemove')} onClick={onConfirm}>
        {texts.t('actionConfirmRemove')}
      </button>
      <button type="button" class="button" data-action="cancel-remove" aria-label={name('actionCancel')} onClick={onCancel}>
        {texts.t('actionCancel')}
      </button>
    </div>
  );
}
