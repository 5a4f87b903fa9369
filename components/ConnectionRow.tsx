import { statusTone } from '@/utils/watch/badge';
import { workingText, type Feedback } from '@/utils/messaging/feedback';
import type { Texts } from '@/utils/i18n/texts';
import type { ConnectionView } from '@/utils/messaging/protocol';
import { needsAttention, type StatusInfo } from '@/utils/expiry/status';
import { actionName, nextStepText, rowActions } from '@/utils/watch/next-step';
import { expiryDateText, statusText } from '@/utils/watch/status-text';
import { ConnectionDetails } from './ConnectionDetails';
import { RowActions, type RowRequest } from './RowActions';

interface ConnectionRowProps {
  view: ConnectionView;
  info: StatusInfo;
  texts: Texts;
  now: number;
  timeZone: string;
  feedback?: Feedback;
  onAction: (request: RowRequest) => void;
}

export function ConnectionRow({ view, info, texts, now, timeZone, feedback, onAction }: ConnectionRowProps) {
  const { connection, platform } = view;
  const actions = rowActions(view);
  const date = expiryDateText(texts, connection.grantExpiry, now, timeZone);
  const nextStep = nextStepText(texts, info, actions[0], view.hostsMissing);
  const who = [connection.label, connection.account].filter(Boolean).join(' · ');
  const busy = feedback?.kind === 'working';
  const name = (action: string) => actionName(texts, action, platform.name, connection.label);

  return (
    <li class="connection" data-status={info.status} data-tone={statusTone(info)} data-connection-id={connection.id}>
      <span class="connection__marker" aria-hidden="true" />
      <div class="connection__body">
        <p class="connection__platform">{platform.name}</p>
        {who && <p class="connection__who">{who}</p>}
        {connection.held && (
          <p class="connection__held">{connection.held.consentedBy ? texts.t('heldConsentedBy', [connection.held.consentedBy]) : texts.t('heldBy')}</p>
        )}
        <p class="connection__status">{statusText(texts, platform.kind, info)}</p>
        {date && <p class="connection__date">{date}</p>}
        {nextStep && !feedback && <p class="connection__next-step">{nextStep}</p>}
        <p class="connection__feedback" role="status" aria-live="polite" data-kind={feedback?.kind}>
          {feedback && (feedback.kind === 'working' ? workingText(texts, feedback.action) : feedback.text)}
        </p>
        <RowActions view={view} actions={actions} texts={texts} now={now} timeZone={timeZone} busy={busy} prominent={needsAttention(info)} name={name} onAction={onAction} />
        <ConnectionDetails view={view} texts={texts} now={now} timeZone={timeZone}>
          {!connection.managed && (
            // Never the row's only or first button: it waits here, and the popup offers to undo it.
            <button type="button" class="button button--quiet" data-action="remove" aria-label={name(texts.t('actionRemove'))} disabled={busy}
              onClick={() => onAction({ action: 'remove' })}>
              {texts.t('actionRemove')}
            </button>
          )}
        </ConnectionDetails>
      </div>
    </li>
  );
}
