import { useState } from 'preact/hooks';
import { errorCodeOf } from '@/utils/messaging/client';
import { errorSentence } from '@/utils/messaging/error-text';
import { withLimit } from '@/utils/messaging/limit-text';
import type { Texts } from '@/utils/i18n/texts';

export interface ActionMessage {
  kind: 'success' | 'problem';
  text: string;
}

/**
 * Runs one user action against the background and keeps what to say about it:
 * its success text, or the error's sentence with the next step.
 */
export function useAction(texts: Texts) {
  const [message, setMessage] = useState<ActionMessage | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(action: () => Promise<string | null>) {
    setBusy(true);
    setMessage(null);
    try {
      const text = await action();
      if (text) setMessage({ kind: 'success', text });
    } catch (error) {
      setMessage({ kind: 'problem', text: errorSentence(texts, errorCodeOf(error), (key) => withLimit(texts, key)) });
    } finally {
      setBusy(false);
    }
  }

  return { message, busy, run, setMessage };
}
