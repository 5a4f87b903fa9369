import { useEffect, useState } from 'preact/hooks';
import { ConnectionList } from '@/components/ConnectionList';
import { EmptyState } from '@/components/EmptyState';
import { ErrorMessage } from '@/components/ErrorMessage';
import { BackgroundError, type BackgroundClient } from '@/utils/background-client';
import type { Texts } from '@/utils/i18n';
import type { ConnectionView, ErrorCode } from '@/utils/protocol';

interface PopupProps {
  client: Pick<BackgroundClient, 'listConnections'>;
  texts: Texts;
  now: number;
  timeZone: string;
}

type LoadState =
  | { phase: 'loading' }
  | { phase: 'ready'; views: ConnectionView[] }
  | { phase: 'failed'; code: ErrorCode };

export function Popup({ client, texts, now, timeZone }: PopupProps) {
  const [state, setState] = useState<LoadState>({ phase: 'loading' });

  useEffect(() => {
    client.listConnections().then(
      (views) => setState({ phase: 'ready', views }),
      (error: unknown) =>
        setState({ phase: 'failed', code: error instanceof BackgroundError ? error.code : 'unexpected' }),
    );
  }, [client]);

  return (
    <main class="popup" aria-busy={state.phase === 'loading'}>
      <header class="popup__header">
        <h1>{texts.t('extName')}</h1>
      </header>
      {state.phase === 'loading' && <p class="popup__loading">{texts.t('loading')}</p>}
      {state.phase === 'failed' && <ErrorMessage texts={texts} code={state.code} />}
      {state.phase === 'ready' &&
        (state.views.length === 0 ? (
          <EmptyState texts={texts} />
        ) : (
          <ConnectionList views={state.views} texts={texts} now={now} timeZone={timeZone} />
        ))}
    </main>
  );
}
