import type { ActionMessage as Message } from './use-action';

/** The result of an action, read out by screen readers; problems as alerts. */
export function ActionMessage({ message }: { message: Message | null }) {
  return (
    <p class="action-message" data-kind={message?.kind} role={message?.kind === 'problem' ? 'alert' : 'status'} aria-live="polite">
      {message?.text}
    </p>
  );
}
