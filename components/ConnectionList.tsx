import { useEffect, useState } from 'preact/hooks';
import type { Feedback } from '@/utils/messaging/feedback';
import type { Texts } from '@/utils/i18n/texts';
import type { ConnectionView } from '@/utils/messaging/protocol';
import { byUrgency } from '@/utils/expiry/status';
import { ConnectionRow, type RowAction } from './ConnectionRow';

interface ConnectionListProps {
  views: readonly ConnectionView[];
  texts: Texts;
  now: number;
  timeZone: string;
  feedback: (connectionId: string) => Feedback | undefined;
  onAction: (connectionId: string, action: RowAction) => void;
}

/** More than fill the popup: the rest follows right after the first paint, so a long list opens as fast as a short one. */
export const FIRST_ROWS = 30;

export function ConnectionList({ views, texts, now, timeZone, feedback, onAction }: ConnectionListProps) {
  const [shown, setShown] = useState(FIRST_ROWS);
  useEffect(() => {
    if (views.length <= shown) return;
    const timer = setTimeout(() => setShown(views.length), 0);
    return () => clearTimeout(timer);
  }, [views.length, shown]);
  const rows = byUrgency(views, now, timeZone);
  return (
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
          onAction={(action) => onAction(view.connection.id, action)}
        />
      ))}
    </ul>
  );
}
