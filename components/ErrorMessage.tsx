import { errorSentence } from '@/utils/messaging/error-text';
import type { Texts } from '@/utils/i18n/texts';
import type { ErrorCode } from '@/utils/messaging/protocol';

export function ErrorMessage({ texts, code }: { texts: Texts; code: ErrorCode }) {
  return (
    <p class="error-message" role="alert" data-error={code}>
      {errorSentence(texts, code)}
    </p>
  );
}
