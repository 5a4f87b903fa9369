import { formatDate, type MessageKey, type Texts } from '../i18n/texts';
import type { Connection, ProblemCode } from '../connection';
import type { ErrorCode } from './protocol';
import type { RefreshOutcome } from '../consent/token-service';
import { errorSentence } from './error-text';

/** What a row says while and after the user acted on it. */
export type Feedback =
  | { kind: 'working'; action: WorkingAction }
  | { kind: 'success'; text: string }
  | { kind: 'problem'; text: string };

export type WorkingAction = 'consent' | 'refresh' | 'save';

const WORKING: Record<WorkingAction, MessageKey> = {
  consent: 'workingConsent',
  refresh: 'workingRefresh',
  save: 'workingSave',
};

/** What happened, for the failures the background retries by itself: each says when. */
const RETRY_TEXT: Partial<Record<ProblemCode, MessageKey>> = {
  network: 'refreshRetryNetwork',
  'platform-unavailable': 'refreshRetryUnavailable',
  'rate-limited': 'refreshRetryRateLimited',
  'invalid-response': 'refreshRetryInvalidResponse',
};

export function workingText(texts: Texts, action: WorkingAction): string {
  return texts.t(WORKING[action]);
}

export function errorFeedback(texts: Texts, code: ErrorCode): Feedback {
  const tone = code === 'cancelled' ? 'success' : 'problem';
  return { kind: tone, text: errorSentence(texts, code) };
}

export function consentFeedback(texts: Texts, connection: Connection, timeZone: string): Feedback {
  const at = connection.grantExpiry.at;
  return {
    kind: 'success',
    text: at === null ? texts.t('consentDone') : texts.t('consentDoneUntil', [formatDate(texts, at, timeZone)]),
  };
}

/** After a date was entered or a credential marked renewed: until when it now holds. */
export function dateFeedback(texts: Texts, connection: Connection, timeZone: string): Feedback {
  const at = connection.grantExpiry.at;
  return { kind: 'success', text: at === null ? texts.t('saved') : texts.t('dateSaved', [formatDate(texts, at, timeZone)]) };
}

export function refreshFeedback(texts: Texts, outcome: RefreshOutcome, timeZone: string): Feedback {
  switch (outcome.status) {
    case 'refreshed':
      return { kind: 'success', text: texts.t(outcome.recovered ? 'refreshRecovered' : 'refreshDone') };
    case 'reconsent-needed':
      return { kind: 'problem', text: texts.t('errorGrantRejected') };
    case 'retry-later': {
      const time = new Intl.DateTimeFormat(texts.locale, { timeStyle: 'short', timeZone }).format(outcome.retryAt);
      return { kind: 'problem', text: texts.t(RETRY_TEXT[outcome.code] ?? 'refreshRetryUnavailable', [time]) };
    }
    case 'failed':
      return { kind: 'problem', text: errorSentence(texts, outcome.code) };
  }
}
