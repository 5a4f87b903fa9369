import { useEffect, useState } from 'preact/hooks';
import type { Feedback } from '@/utils/messaging/feedback';
import type { Texts } from '@/utils/i18n/texts';
import type { ConnectionView } from '@/utils/messaging/protocol';
import type { StatusInfo } from '@/utils/expiry/status';
import { MAX_CONNECTIONS } from '@/utils/connection';
import { ConnectionRow } from './ConnectionRow';
import type { RowRequest } from './RowActions';

interface ConnectionListProps {
  /** Most urgent first, with their status (`byUrgency`). */
  rows: readonly { view: ConnectionView; info: StatusInfo }[];
  texts: Texts;
  now: number;
  timeZone: string;
  feedback: (connectionId: string) => Feedback | undefined;
  onAction: (view: ConnectionView, request: RowRequest) => void;
}

/** More than fill the popup: the rest follows right after the first paint, so a long list opens as fast as a short one. */
export const FIRST_ROWS = 30;

export function ConnectionList({ rows, texts, now, timeZone, feedback, onAction }: ConnectionListProps) {
  const [shown, setShown] = useState(FIRST_ROWS);
  // A store beyond the limit (by an earlier version) shows its most urgent ones; the settings page tells what to do.
  const all = Math.min(rows.length, MAX_CONNECTIONS);
  useEffect(() => {
    if (all <= shown) return;
    const timer = setTimeout(() => setShown(all), 0);
    return () => clearTimeout(timer);
  }, [all, shown]);
  return (
    <>
      <ul class="connection-list" aria-label={texts.t('listLabel')}>
        {rows.slice(0, shown).map(({ view, info }) => (
          <ConnectionRow
            key={view.connection.id}
            view={view}
            info={info}
            texts={texts}
            now={now}
            timeZone={timeZone}
            feedback={feedback(view.connection.id)}
            onAction={(request) => onAction(view, request)}
          />
        ))}
      </ul>
      {rows.length > all && <p class="muted" data-beyond-limit>{texts.t('beyondLimitPopup', [(rows.length - all).toLocaleString(texts.locale)])}</p>}
    </>
  );
}
