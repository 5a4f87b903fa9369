import type { Texts } from '@/utils/i18n';
import type { ErrorCode } from '@/utils/protocol';

/** Storage problems get their own next step; everything else the generic one. */
export function ErrorMessage({ texts, code }: { texts: Texts; code: ErrorCode }) {
  const storage = code === 'storage-unavailable' || code === 'storage-blocked' || code === 'storage-full';
  return (
    <p class="error-message" role="alert" data-error={code}>
      {texts.t(storage ? 'errorStorage' : 'errorUnexpected')}
    </p>
  );
}
