import { describe, expect, it } from 'vitest';
import type { ProblemCode } from '../../../utils/connection';
import { refreshFeedback } from '../../../utils/messaging/feedback';
import { textsFor } from '../texts';

const RETRY_AT = Date.parse('2026-11-23T10:05:00+01:00');

describe('a renewal the background retries by itself', () => {
  it.each<[ProblemCode, string]>([
    ['network', 'Keine Verbindung zur Plattform. Token-Wächter versucht es um 10:05 selbst erneut.'],
    ['platform-unavailable', 'Die Plattform meldet eine Störung und konnte gerade nicht erneuern. Token-Wächter versucht es um 10:05 selbst erneut.'],
    ['rate-limited', 'Die Plattform bittet um eine Pause vor dem nächsten Versuch. Token-Wächter versucht es um 10:05 selbst erneut.'],
    [
      'invalid-response',
      'Die Plattform hat geantwortet, aber nicht wie vorgesehen (zum Beispiel mit einer Webseite statt mit Daten). Token-Wächter versucht es um 10:05 erneut; passiert das weiter, wenden Sie sich an Ihren IT-Support.',
    ],
  ])('%s says what happened and when it is tried again', (code, text) => {
    expect(refreshFeedback(textsFor('de'), { status: 'retry-later', code, retryAt: RETRY_AT }, 'Europe/Berlin')).toEqual({ kind: 'problem', text });
  });

  it('never calls a platform that answered unreachable', () => {
    const answered: ProblemCode[] = ['platform-unavailable', 'rate-limited', 'invalid-response'];
    for (const code of answered) {
      expect(refreshFeedback(textsFor('de'), { status: 'retry-later', code, retryAt: RETRY_AT }, 'Europe/Berlin')).not.toMatchObject({ text: expect.stringMatching(/erreichbar|Keine Verbindung/) });
    }
  });
});

describe('a renewal that only the user can mend', () => {
  it('a request the platform refused as sent does not blame the account', () => {
    expect(refreshFeedback(textsFor('en'), { status: 'failed', code: 'request-rejected' }, 'Europe/Berlin')).toMatchObject({
      kind: 'problem',
      text: expect.stringContaining('This is not about your account'),
    });
  });
});
