import { useCallback, useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { ConnectionList } from '@/components/ConnectionList';
import { EmptyState } from '@/components/EmptyState';
import { ErrorMessage } from '@/components/ErrorMessage';
import { errorCodeOf, type BackgroundClient } from '@/utils/messaging/client';
import { consentFeedback, errorFeedback, refreshFeedback, type Feedback } from '@/utils/messaging/feedback';
import type { Texts } from '@/utils/i18n/texts';
import type { ConnectionView, ErrorCode, HolderSummary } from '@/utils/messaging/protocol';

export type PopupClient = Pick<BackgroundClient, 'listConnections' | 'startConsent' | 'refresh' | 'remove'> & Partial<Pick<BackgroundClient, 'syncHolder'>>;

interface PopupProps {
  client: PopupClient;
  texts: Texts;
  now: number;
  timeZone: string;
  /** permissions.request: must run from the user's click, so the popup asks, not the background. */
  requestHostAccess: (origins: string[]) => Promise<boolean>;
  openSettings: () => void;
}

type LoadState =
  | { phase: 'loading' }
  | { phase: 'ready'; views: ConnectionView[]; holder?: HolderSummary }
  | { phase: 'failed'; code: ErrorCode };

export const LIST_RENDERED = 'token-watch:list-rendered';

/** While a sign-in window is open elsewhere, look again this often for its result. */
const CONSENT_POLL_MS = 1500;

export function Popup({ client, texts, now, timeZone, requestHostAccess, openSettings }: PopupProps) {
  const [state, setState] = useState<LoadState>({ phase: 'loading' });
  const [feedback, setFeedback] = useState<Record<string, Feedback>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [consentElsewhere, setConsentElsewhere] = useState<string | null>(null);

  const say = (connectionId: string, value: Feedback) => setFeedback((current) => ({ ...current, [connectionId]: value }));

  const load = useCallback(
    () =>
      client.listConnections().then(
        ({ views, activeConsent, holder }) => {
          // Paused connections wait in the settings; the popup shows what is watched.
          setState({ phase: 'ready', views: views.filter((view) => !view.connection.paused), ...(holder ? { holder } : {}) });
          setConsentElsewhere(activeConsent);
        },
        (error: unknown) => setState({ phase: 'failed', code: errorCodeOf(error) }),
      ),
    [client],
  );

  useEffect(() => {
    void load();
    // The company's token holder: a list older than a few minutes is synced, then shown again.
    void client.syncHolder?.(true).then(({ synced }) => (synced ? load() : undefined), () => undefined);
  }, [load]);

  // The moment the list is on the page, for the benchmark (npm run bench) and the browser's profiler.
  const ready = state.phase === 'ready';
  useLayoutEffect(() => {
    if (ready && performance.getEntriesByName(LIST_RENDERED).length === 0) performance.mark(LIST_RENDERED);
  }, [ready]);

  // The popup may have closed and reopened while a sign-in window stayed open: follow it to its end.
  useEffect(() => {
    if (!consentElsewhere || feedback[consentElsewhere]?.kind === 'working') return;
    const timer = setInterval(() => void load(), CONSENT_POLL_MS);
    return () => clearInterval(timer);
  }, [consentElsewhere, feedback, load]);

  async function act(connectionId: string, action: 'consent' | 'refresh' | 'remove') {
    say(connectionId, { kind: 'working', action });
    setNotice(null);
    try {
      const origins = state.phase === 'ready' ? state.views.find((view) => view.connection.id === connectionId)?.hostOrigins ?? [] : [];
      if (action !== 'remove' && origins.length > 0 && !(await requestHostAccess(origins))) {
        say(connectionId, errorFeedback(texts, 'host-access-denied'));
        return;
      }
      if (action === 'consent') say(connectionId, consentFeedback(texts, await client.startConsent(connectionId), timeZone));
      if (action === 'refresh') say(connectionId, refreshFeedback(texts, await client.refresh(connectionId), timeZone));
      if (action === 'remove') {
        const { revoked } = await client.remove(connectionId);
        setNotice(texts.t(revoked ? 'removedRevoked' : 'removedLocally'));
      }
    } catch (error) {
      say(connectionId, errorFeedback(texts, errorCodeOf(error)));
    }
    await load();
  }

  const working = (id: string): Feedback | undefined =>
    feedback[id] ?? (id === consentElsewhere ? { kind: 'working', action: 'consent' } : undefined);

  return (
    <main class="popup" aria-busy={state.phase === 'loading'}>
      <header class="popup__header">
        <h1>{texts.t('extName')}</h1>
        <button type="button" class="button button--quiet" data-action="settings" onClick={openSettings}>
          {texts.t('openSettings')}
        </button>
      </header>
      <p class="popup__notice" role="status" aria-live="polite">
        {notice}
      </p>
      {state.phase === 'ready' && state.holder?.unreachableSince && (
        <p class="popup__holder" role="alert">
          {texts.t('holderUnreachableSince', [new Intl.DateTimeFormat(texts.locale, { dateStyle: 'short', timeStyle: 'short', timeZone }).format(state.holder.unreachableSince)])}
        </p>
      )}
      {state.phase === 'loading' && <p class="popup__loading">{texts.t('loading')}</p>}
      {state.phase === 'failed' && <ErrorMessage texts={texts} code={state.code} />}
      {state.phase === 'ready' &&
        (state.views.length === 0 ? (
          <EmptyState texts={texts} />
        ) : (
          <ConnectionList
            views={state.views}
            texts={texts}
            now={now}
            timeZone={timeZone}
            feedback={working}
            onAction={(id, action) => void act(id, action)}
          />
        ))}
    </main>
  );
}
