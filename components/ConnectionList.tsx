import type { Feedback } from '@/utils/feedback';
import type { Texts } from '@/utils/i18n';
import type { ConnectionView } from '@/utils/protocol';
import { compareByUrgency, connectionStatus } from '@/utils/status';
import { ConnectionRow, type RowAction } from './ConnectionRow';

interface ConnectionListProps {
  views: readonly ConnectionView[];
  texts: Texts;
  now: number;
  timeZone: string;
  feedback: (connectionId: string) => Feedback | undefined;
  onAction: (connectionId: string, action: RowAction) => void;
}

export function ConnectionList({ views, texts, now, timeZone, feedback, onAction }: ConnectionListProps) {
  const rows = views
    .map((view) => ({ view, info: connectionStatus(view.connection, now, timeZone) }))
    .sort((a, b) =>
      compareByUrgency({ ...a.view.connection, status: a.info.status }, { ...b.view.connection, status: b.info.status }),
    );
  return (
    <ul class="connection-list" aria-label={texts.t('listLabel')}>
      {rows.map(({ view, info }) => (
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
