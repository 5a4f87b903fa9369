import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ConnectionList } from '@/components/ConnectionList';
import { EmptyState } from '@/components/EmptyState';
import { ErrorMessage } from '@/components/ErrorMessage';
import type { RowRequest } from '@/components/RowActions';
import type { SettingsPlace } from '@/components/settings-place';
import { errorCodeOf, type BackgroundClient } from '@/utils/messaging/client';
import { consentFeedback, dateFeedback, errorFeedback, refreshFeedback, type Feedback } from '@/utils/messaging/feedback';
import type { Texts } from '@/utils/i18n/texts';
import type { ConnectionList as StoredConnections, ConnectionView, ErrorCode, HolderSummary } from '@/utils/messaging/protocol';
import { byUrgency } from '@/utils/expiry/status';
import { actionName } from '@/utils/watch/next-step';
import { countsText, summaryText } from '@/utils/watch/status-text';
import { attentionCount, type StoredList } from '@/utils/storage/reader';

/**
 * The list as the popup shows it; whose sign-in window is open is known only where the background
 * answered. With `whole`, the views are only the first screen's candidates (the list's summary).
 */
export type PopupList = Omit<StoredConnections, 'activeConsent'> & Partial<Pick<StoredConnections, 'activeConsent'>> & Pick<StoredList, 'whole'>;

export type PopupClient = Pick<BackgroundClient, 'startConsent' | 'refresh' | 'remove' | 'update' | 'renewed'> &
  Partial<Pick<BackgroundClient, 'syncHolder' | 'activeConsent'>> & {
    /** The stored list, read by the page itself where it can (entrypoints/popup/stored-list.ts). */
    listConnections: () => Promise<PopupList>;
  };

interface PopupProps {
  client: PopupClient;
  /** The list, where it was read before the popup was first rendered: then its first screen has the rows. */
  initial?: PopupList;
  texts: Texts;
  now: number;
  timeZone: string;
  /** permissions.request: must run from the user's click, so the popup asks, not the background. */
  requestHostAccess: (origins: string[]) => Promise<boolean>;
  /** The settings page, at a place where one is given. */
  openSettings: (place?: SettingsPlace) => void;
  /** A tracked credential's renewal page, in a new tab. */
  openPage: (url: string) => void;
}

type LoadState =
  | { phase: 'loading' }
  | { phase: 'ready'; views: ConnectionView[]; holder?: HolderSummary; whole?: StoredList['whole'] }
  | { phase: 'failed'; code: ErrorCode };

export const LIST_RENDERED = 'token-watch:list-rendered';

/** While a sign-in window is open elsewhere, look again this often for its result. */
const CONSENT_POLL_MS = 1500;
/** How long a removal can be undone before it is sent. */
export const UNDO_MS = 6000;

export function Popup({ client, initial, texts, now, timeZone, requestHostAccess, openSettings, openPage }: PopupProps) {
  const [state, setState] = useState<LoadState>(() =>
    initial
      ? { phase: 'ready', views: initial.views, ...(initial.holder ? { holder: initial.holder } : {}), ...(initial.whole ? { whole: initial.whole } : {}) }
      : { phase: 'loading' },
  );
  const [feedback, setFeedback] = useState<Record<string, Feedback>>({});
  const [notice, setNotice] = useState<string | null>(null);
  const [consentElsewhere, setConsentElsewhere] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ConnectionView | null>(null);
  const undo = useRef<HTMLButtonElement>(null);

  const say = (connectionId: string, value: Feedback) => setFeedback((current) => ({ ...current, [connectionId]: value }));

  const load = useCallback(
    () =>
      client.listConnections().then(
        ({ views, activeConsent, holder }) => {
          setState({ phase: 'ready', views, ...(holder ? { holder } : {}) });
          if (activeConsent !== undefined) setConsentElsewhere(activeConsent);
        },
        (error: unknown) => setState({ phase: 'failed', code: errorCodeOf(error) }),
      ),
    [client],
  );

  // Whose sign-in window is open is known to the background alone (it may be asleep: then nobody's).
  const checkConsent = useCallback(
    () => client.activeConsent?.().then(setConsentElsewhere, () => undefined),
    [client],
  );

  // A first screen read from the list's summary is followed by the whole list, once it is painted.
  useEffect(() => {
    if (!initial || initial.whole) void load();
  }, [load]);

  // Paused connections wait in the settings; the popup shows what is watched, and not what is being removed.
  const removingId = removing?.connection.id;
  const views = state.phase === 'ready' ? state.views : null;
  const rows = useMemo(
    () => byUrgency((views ?? []).filter(({ connection }) => !connection.paused && connection.id !== removingId), now, timeZone),
    [views, removingId, now, timeZone],
  );
  const whole = state.phase === 'ready' ? state.whole : undefined;
  const headline = whole
    ? whole.count > 0 && countsText(texts, attentionCount(whole, now), whole.count)
    : rows.length > 0 && summaryText(texts, rows.map(({ info }) => info));

  // The moment the list is on the page, for the benchmark (npm run bench) and the browser's profiler.
  const ready = state.phase === 'ready';
  useLayoutEffect(() => {
    if (ready && performance.getEntriesByName(LIST_RENDERED).length === 0) performance.mark(LIST_RENDERED);
  }, [ready]);

  // Only once the list is painted does the popup talk to the background, which this may wake.
  const linked = state.phase === 'ready' && state.holder !== undefined;
  useEffect(() => {
    if (ready) void checkConsent();
  }, [ready]);
  // The company's token holder, where one is linked: a list older than a few minutes is synced, then shown again.
  useEffect(() => {
    if (linked) void client.syncHolder?.(true).then(({ synced }) => (synced ? load() : undefined), () => undefined);
  }, [linked]);

  // The popup may have closed and reopened while a sign-in window stayed open: follow it to its end.
  useEffect(() => {
    if (!consentElsewhere || feedback[consentElsewhere]?.kind === 'working') return;
    const timer = setInterval(() => void Promise.all([load(), checkConsent()]), CONSENT_POLL_MS);
    return () => clearInterval(timer);
  }, [consentElsewhere, feedback, load, checkConsent]);

  async function removeNow(id: string) {
    setRemoving((current) => (current?.connection.id === id ? null : current));
    setState((current) => (current.phase === 'ready' ? { ...current, views: current.views.filter((view) => view.connection.id !== id) } : current));
    try {
      const { revoked } = await client.remove(id);
      setNotice(texts.t(revoked ? 'removedRevoked' : 'removedLocally'));
    } catch (error) {
      say(id, errorFeedback(texts, errorCodeOf(error)));
    }
    await load();
  }

  // A removal waits a few seconds to be undone. Closing the popup ends the wait: it is sent at once.
  useEffect(() => {
    if (!removingId) return;
    undo.current?.focus();
    const timer = setTimeout(() => void removeNow(removingId), UNDO_MS);
    const closing = () => (clearTimeout(timer), void removeNow(removingId));
    addEventListener('pagehide', closing);
    return () => {
      clearTimeout(timer);
      removeEventListener('pagehide', closing);
    };
  }, [removingId]);

  async function act(view: ConnectionView, request: RowRequest) {
    const id = view.connection.id;
    if (request.action === 'set-up') return openSettings({ kind: 'set-up', connectionId: id });
    if (request.action === 'unlock') return openSettings({ kind: 'lock' });
    if (request.action === 'renewal-page') return view.connection.renewUrl && openPage(view.connection.renewUrl);
    if (request.action === 'remove') {
      // One removal waits at a time: an earlier one goes out now.
      if (removingId) void removeNow(removingId);
      setNotice(null);
      return setRemoving(view);
    }
    const signIn = request.action === 'consent' || request.action === 'refresh';
    say(id, { kind: 'working', action: signIn ? request.action : 'save' });
    setNotice(null);
    try {
      if (signIn && view.hostOrigins.length > 0 && !(await requestHostAccess(view.hostOrigins))) {
        say(id, errorFeedback(texts, 'host-access-denied'));
        return;
      }
      if (request.action === 'consent') say(id, consentFeedback(texts, await client.startConsent(id), timeZone));
      if (request.action === 'refresh') say(id, refreshFeedback(texts, await client.refresh(id), timeZone));
      if (request.action === 'renewed') say(id, dateFeedback(texts, await client.renewed(id, request.expiresOn), timeZone));
      if (request.action === 'enter-date') say(id, dateFeedback(texts, await client.update(id, { expiresOn: request.expiresOn }), timeZone));
    } catch (error) {
      say(id, errorFeedback(texts, errorCodeOf(error)));
    }
    await load();
  }

  const working = (id: string): Feedback | undefined =>
    feedback[id] ?? (id === consentElsewhere ? { kind: 'working', action: 'consent' } : undefined);

  return (
    <main class="popup" aria-busy={state.phase === 'loading'}>
      <header class="popup__header">
        <div>
          <h1>{texts.t('extName')}</h1>
          {headline && <p class="popup__summary">{headline}</p>}
        </div>
        <button type="button" class="button button--quiet" data-action="settings" onClick={() => openSettings()}>
          {texts.t('openSettings')}
        </button>
      </header>
      <p class="popup__notice" role="status" aria-live="polite">
        {removing ? (
          <>
            {texts.t('removePending', [`${removing.platform.name} – ${removing.connection.label}`])}{' '}
            <button ref={undo} type="button" class="button" data-action="undo-remove"
              aria-label={actionName(texts, texts.t('actionUndo'), removing.platform.name, removing.connection.label)} onClick={() => setRemoving(null)}>
              {texts.t('actionUndo')}
            </button>
          </>
        ) : (
          notice
        )}
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
          <EmptyState texts={texts} onAdd={() => openSettings({ kind: 'add' })} />
        ) : (
          <ConnectionList rows={rows} texts={texts} now={now} timeZone={timeZone} feedback={working} onAction={(view, request) => void act(view, request)} />
        ))}
    </main>
  );
}
