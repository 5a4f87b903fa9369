import { useState } from 'preact/hooks';
import { statusTone } from '@/utils/watch/badge';
import { workingText, type Feedback } from '@/utils/messaging/feedback';
import type { Texts } from '@/utils/i18n/texts';
import type { ConnectionView } from '@/utils/messaging/protocol';
import type { StatusInfo } from '@/utils/expiry/status';
import { expiryDateText, nextStepText, statusText } from '@/utils/watch/status-text';
import { ConnectionDetails } from './ConnectionDetails';
import { RemoveConfirmation } from './RemoveConfirmation';

export type RowAction = 'consent' | 'refresh' | 'remove';

interface ConnectionRowProps {
  view: ConnectionView;
  info: StatusInfo;
  texts: Texts;
  now: number;
  timeZone: string;
  feedback?: Feedback;
  onAction: (action: RowAction) => void;
}

export function ConnectionRow({ view, info, texts, now, timeZone, feedback, onAction }: ConnectionRowProps) {
  const { connection, platform } = view;
  const [confirming, setConfirming] = useState(false);
  const date = expiryDateText(texts, connection.grantExpiry, now, timeZone);
  const nextStep = nextStepText(texts, info);
  const who = [connection.label, connection.account].filter(Boolean).join(' · ');
  const busy = feedback?.kind === 'working';
  // Held grants are signed in and checked through the company's token holder.
  const renewable = platform.kind === 'oauth' && (connection.client !== undefined || connection.held !== undefined);

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
        <ConnectionDetails view={view} texts={texts} now={now} timeZone={timeZone} />
        {confirming ? (
          <RemoveConfirmation texts={texts} onConfirm={() => (setConfirming(false), onAction('remove'))} onCancel={() => setConfirming(false)} />
        ) : (
          <div class="connection__actions">
            {renewable && (
              <button type="button" class="button button--primary" data-action="consent" disabled={busy} onClick={() => onAction('consent')}>
                {texts.t('actionSignIn')}
              </button>
            )}
            {renewable && connection.hasRefreshToken && (
              <button type="button" class="button" data-action="refresh" disabled={busy} onClick={() => onAction('refresh')}>
                {texts.t('actionRefresh')}
              </button>
            )}
            {!connection.managed && (
              <button type="button" class="button button--quiet" data-action="remove" disabled={busy} onClick={() => setConfirming(true)}>
                {texts.t('actionRemove')}
              </button>
            )}
          </div>
        )}
      </div>
    </li>
  );
}
