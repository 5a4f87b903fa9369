import { describe, expect, it } from 'vitest';
import * as oauth from 'oauth4webapi';
import type { ProblemCode } from '../../../utils/connection';
import { classifyAuthorizationError, classifyLaunchError } from '../../../utils/consent/oauth-errors';
import { errorFeedback, refreshFeedback } from '../../../utils/messaging/feedback';
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

describe('a renewal or sign-in the app’s settings broke', () => {
  it.each<['en' | 'de', RegExp, RegExp]>([
    ['en', /app settings/, /your account|sign in again/i],
    ['de', /App-Einstellungen/, /Ihr(em)? Konto|melden Sie sich erneut an/i],
  ])('client-rejected speaks of the app’s settings, not the user’s account, in %s (catalogue A12)', (lang, names, blames) => {
    const texts = textsFor(lang);
    for (const feedback of [refreshFeedback(texts, { status: 'failed', code: 'client-rejected' }, 'Europe/Berlin'), errorFeedback(texts, 'client-rejected')]) {
      expect(feedback).toMatchObject({ kind: 'problem', text: expect.stringMatching(names) });
      expect(feedback.kind === 'working' ? '' : feedback.text).not.toMatch(blames);
    }
  });
});

describe('a sign-in that failed', () => {
  /** The code a sign-in window's redirect with this `error` fails with. */
  const signInFailing = (error: string) => {
    const as = { issuer: 'https://platform.example' };
    try {
      oauth.validateAuthResponse(as, { client_id: 'app' }, new URL(`https://extension.example/cb?error=${error}&state=st`), 'st');
    } catch (thrown) {
      return classifyAuthorizationError(thrown).code;
    }
    throw new Error('the redirect was accepted');
  };

  it.each<['en' | 'de', RegExp]>([
    ['en', /try again/i],
    ['de', /versuchen Sie es .*erneut/i],
  ])('the platform unavailable for a moment offers a retry, in %s (catalogue B3)', (lang, retry) => {
    const codes = [signInFailing('temporarily_unavailable'), classifyLaunchError(new Error('Authorization page could not be loaded.')).code];
    expect(codes).toEqual(['platform-unavailable', 'platform-unavailable']);
    for (const code of codes) expect(errorFeedback(textsFor(lang), code)).toEqual({ kind: 'problem', text: expect.stringMatching(retry) });
  });

  it.each<['en' | 'de', RegExp]>([
    ['en', /private window.*normal browser window/],
    ['de', /privaten Fenster.*normalen Browserfenster/],
  ])('an incognito window says where a sign-in works, in %s (catalogue B9)', (lang, whatToDo) => {
    const { code } = classifyLaunchError(new Error('Identity API is disabled in incognito windows.'));
    expect(code).toBe('identity-unavailable');
    expect(errorFeedback(textsFor(lang), code)).toEqual({ kind: 'problem', text: expect.stringMatching(whatToDo) });
  });
});
