import type { Texts } from '@/utils/i18n/texts';

interface RemoveConfirmationProps {
  texts: Texts;
  onConfirm: () => void;
  onCancel: () => void;
}

/** The question before a connection is removed (in the popup and in the settings). */
export function RemoveConfirmation({ texts, onConfirm, onCancel }: RemoveConfirmationProps) {
  return (
    <div class="connection__actions" role="group">
      <p class="connection__confirm">{texts.t('confirmRemove')}</p>
      <button type="button" class="button button--danger" data-action="confirm-remove" onClick={onConfirm}>
        {texts.t('actionRemove')}
      </button>
      <button type="button" class="button" data-action="cancel-remove" onClick={onCancel}>
        {texts.t('actionCancel')}
      </button>
    </div>
  );
}
