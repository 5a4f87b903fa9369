import { ERROR_TEXT } from '@/utils/error-text';
import type { Texts } from '@/utils/i18n';
import type { ErrorCode } from '@/utils/protocol';

export function ErrorMessage({ texts, code }: { texts: Texts; code: ErrorCode }) {
  return (
    <p class="error-message" role="alert" data-error={code}>
      {texts.t(ERROR_TEXT[code] ?? 'errorUnexpected')}
    </p>
  );
}
