import type { ComponentChildren } from 'preact';
import { errorSentence } from '@/utils/messaging/error-text';
import type { DatedExpiry } from '@/utils/expiry/rules';
import { formatDate, type Texts } from '@/utils/i18n/texts';
import type { ConnectionView } from '@/utils/messaging/protocol';
import { expiryDateText } from '@/utils/watch/status-text';

interface ConnectionDetailsProps {
  view: ConnectionView;
  texts: Texts;
  now: number;
  timeZone: string;
  /** Actions kept out of the way, such as removing. */
  children?: ComponentChildren;
}

/** Everything known about one connection: who, when, which access, and where each date comes from. */
export function ConnectionDetails({ view: { connection, platform }, texts, now, timeZone, children }: ConnectionDetailsProps) {
  const none = texts.t('detailNone');
  const date = (at: number | null) => (at === null ? none : formatDate(texts, at, timeZone));
  const dated = (expiry: DatedExpiry) => expiryDateText(texts, expiry, now, timeZone) ?? none;
  const problem = connection.problem;
  const rows: [string, string][] = [
    [texts.t('detailAccount'), connection.account || none],
    [texts.t('detailRequestedBy'), connection.requestedBy || none],
    [texts.t('detailConsentedAt'), date(connection.consentedAt)],
  ];
  if (platform.kind === 'oauth') {
    rows.push(
      [texts.t('detailRefreshedAt'), date(connection.refreshedAt)],
      [texts.t('detailScopes'), connection.scopes.join(', ') || none],
      [texts.t('detailAccessToken'), dated(connection.accessTokenExpiry)],
    );
  }
  rows.push([texts.t('detailGrant'), dated(connection.grantExpiry)], [texts.t('detailRule'), platform.ruleSource || none]);
  if (problem) {
    const retry = problem.retryAt
      ? ` ${texts.t('detailRetryAt', [new Intl.DateTimeFormat(texts.locale, { dateStyle: 'short', timeStyle: 'short', timeZone }).format(problem.retryAt)])}`
      : '';
    rows.push([texts.t('detailProblem'), `${errorSentence(texts, problem.code)}${retry}`]);
  }
  return (
    <details class="connection__details">
      <summary>{texts.t('detailsSummary')}</summary>
      <dl>
        {rows.map(([term, description]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{description}</dd>
          </div>
        ))}
      </dl>
      {children && <div class="connection__actions">{children}</div>}
    </details>
  );
}
