import { statusTone } from '@/utils/badge';
import type { Texts } from '@/utils/i18n';
import type { ConnectionView } from '@/utils/protocol';
import type { StatusInfo } from '@/utils/status';
import { expiryDateText, nextStepText, statusText } from '@/utils/status-text';

interface ConnectionRowProps {
  view: ConnectionView;
  info: StatusInfo;
  texts: Texts;
  now: number;
  timeZone: string;
}

export function ConnectionRow({ view: { connection, platform }, info, texts, now, timeZone }: ConnectionRowProps) {
  const date = expiryDateText(texts, connection.grantExpiry, now, timeZone);
  const nextStep = nextStepText(texts, info);
  const who = [connection.label, connection.account].filter(Boolean).join(' · ');
  return (
    <li class="connection" data-status={info.status} data-tone={statusTone(info)} data-connection-id={connection.id}>
      <span class="connection__marker" aria-hidden="true" />
      <div class="connection__body">
        <p class="connection__platform">{platform.name}</p>
        {who && <p class="connection__who">{who}</p>}
        <p class="connection__status">{statusText(texts, platform.kind, info)}</p>
        {date && <p class="connection__date">{date}</p>}
        {nextStep && <p class="connection__next-step">{nextStep}</p>}
      </div>
    </li>
  );
}
