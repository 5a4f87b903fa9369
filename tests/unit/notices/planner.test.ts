import { describe, expect, it } from 'vitest';
import type { Connection } from '../../../utils/connection';
import { nextNoticeAmong, nextNoticeAt, planNotices, remindTomorrow, type Notice } from '../../../utils/notices/planner';
import { aConnection, expiresAt } from '../fixtures';

const BERLIN = { timeZone: 'Europe/Berlin', morningHour: 9 };
const berlin = (instant: number) =>
  new Intl.DateTimeFormat('de-DE', { timeZone: 'Europe/Berlin', dateStyle: 'short', timeStyle: 'short' }).format(instant);
const at = Date.parse;

/** Lets time run the way the background's alarm does: wake at the next notice moment, plan, store. */
function lifeOf(connection: Connection, from: number, until: number) {
  const seen: { when: string; notice: Notice }[] = [];
  let now = from;
  let current = connection;
  for (let wakeUps = 0; wakeUps < 100; wakeUps++) {
    const { notices, state } = planNotices(current, now, BERLIN);
    for (const notice of notices) seen.push({ when: berlin(now), notice });
    current = { ...current, notices: state };
    const next = nextNoticeAt(current, now, BERLIN);
    if (next === null || next > until) break;
    now = Math.max(next, now + 60_000);
  }
  return { seen, final: current };
}

const describeNotice = ({ when, notice }: { when: string; notice: Notice }) =>
  notice.kind === 'expiring' ? `${when} expiring, ${notice.daysLeft} days left` : `${when} ${notice.kind}`;

describe('a connection 45 days from expiry, over its life', () => {
  // 1 October 2026, 10:00 in Berlin; the grant ends 15 November, 12:00 — across the end of summer time.
  const start = at('2026-10-01T10:00:00+02:00');
  const connection = aConnection({ grantExpiry: expiresAt(at('2026-11-15T12:00:00+01:00')), consentedAt: start - 1000 });

  it('warns at 9:00 on each warning day, once, and once more when it has expired', () => {
    const { seen } = lifeOf(connection, start, at('2026-12-31T00:00:00+01:00'));
    expect(seen.map(describeNotice)).toEqual([
      '16.10.26, 09:00 expiring, 30 days left',
      '01.11.26, 09:00 expiring, 14 days left',
      '08.11.26, 09:00 expiring, 7 days left',
      '12.11.26, 09:00 expiring, 3 days left',
      '14.11.26, 09:00 expiring, 1 days left',
      '15.11.26, 09:00 expiring, 0 days left',
      '15.11.26, 12:00 expired',
    ]);
  });

  it('after a sleep of three weeks, warns once with today’s figure instead of every missed day', () => {
    const asleepUntil = at('2026-11-05T14:30:00+01:00');
    const first = planNotices(connection, start, BERLIN);
    expect(first.notices).toEqual([]);
    const { notices, state } = planNotices({ ...connection, notices: first.state }, asleepUntil, BERLIN);
    expect(notices).toEqual([{ kind: 'expiring', connectionId: connection.id, daysLeft: 10, at: connection.grantExpiry.at }]);
    expect(state.sent.sort((a, b) => a - b)).toEqual([14, 30]);
  });

  it('repeats nothing after a restart at the same moment', () => {
    const now = at('2026-11-08T09:30:00+01:00');
    const once = planNotices(connection, now, BERLIN);
    expect(once.notices).toHaveLength(1);
    expect(planNotices({ ...connection, notices: once.state }, now, BERLIN).notices).toEqual([]);
    expect(planNotices({ ...connection, notices: once.state }, now + 3_600_000, BERLIN).notices).toEqual([]);
  });

  it('waits for the morning hour: a threshold crossed at midnight is told at 9:00', () => {
    const night = at('2026-10-16T00:30:00+02:00');
    expect(planNotices(connection, night, BERLIN).notices).toEqual([]);
    expect(berlin(nextNoticeAt(connection, night, BERLIN)!)).toBe('16.10.26, 09:00');
  });
});

describe('after trouble', () => {
  const now = at('2026-11-23T10:00:00+01:00');

  it('a refused grant is told once, and "working again" once it is renewed', () => {
    const refused = aConnection({ needsReconsent: true, consentedAt: now - 86_400_000, grantExpiry: expiresAt(now + 40 * 86_400_000) });
    const told = planNotices(refused, now, BERLIN);
    expect(told.notices).toEqual([{ kind: 'reconsent', connectionId: refused.id }]);
    expect(planNotices({ ...refused, notices: told.state }, now + 3_600_000, BERLIN).notices).toEqual([]);

    const renewedAt = now + 730 * 86_400_000;
    const renewed = { ...refused, needsReconsent: false, grantExpiry: expiresAt(renewedAt), notices: told.state };
    expect(planNotices(renewed, now + 7_200_000, BERLIN).notices).toEqual([{ kind: 'working-again', connectionId: refused.id, at: renewedAt }]);
  });

  it('a renewal after warnings says "working again" and starts the warning days afresh', () => {
    const expiring = aConnection({ grantExpiry: expiresAt(now + 6 * 86_400_000) });
    const warned = planNotices(expiring, now, BERLIN);
    expect(warned.notices.map((n) => n.kind)).toEqual(['expiring']);
    const renewedAt = now + 90 * 86_400_000;
    const { notices, state } = planNotices({ ...expiring, grantExpiry: expiresAt(renewedAt), notices: warned.state }, now + 1000, BERLIN);
    expect(notices).toEqual([{ kind: 'working-again', connectionId: expiring.id, at: renewedAt }]);
    expect(state).toEqual({ grantAt: renewedAt, sent: [], expired: false, reconsent: false });
  });

  it('a renewal that restates the same end (give or take seconds) repeats no warning and says nothing', () => {
    const expiring = aConnection({ grantExpiry: expiresAt(now + 6 * 86_400_000) });
    const warned = planNotices(expiring, now, BERLIN);
    let current = { ...expiring, notices: warned.state };
    for (let day = 1; day <= 3; day++) {
      const restated = { ...current, grantExpiry: expiresAt(now + 6 * 86_400_000 + day * 5_000) };
      const next = planNotices(restated, now + day * 3_600_000, BERLIN);
      expect(next.notices).toEqual([]);
      current = { ...restated, notices: next.state };
    }
    expect(current.notices.sent).toEqual(warned.state.sent);
  });

  it('tells every refusal once, also for platforms without an end date', () => {
    const base = aConnection({ consentedAt: now - 86_400_000, grantExpiry: { at: null, source: 'unknown' } });
    let state = planNotices({ ...base, needsReconsent: true }, now, BERLIN);
    expect(state.notices.map((n) => n.kind)).toEqual(['reconsent']);
    state = planNotices({ ...base, needsReconsent: false, notices: state.state }, now + 1000, BERLIN);
    expect(state.notices.map((n) => n.kind)).toEqual(['working-again']);
    state = planNotices({ ...base, needsReconsent: true, notices: state.state }, now + 2000, BERLIN);
    expect(state.notices.map((n) => n.kind)).toEqual(['reconsent']);
  });

  it('a new date without earlier warnings changes nothing anyone needs to hear', () => {
    const quiet = aConnection({ grantExpiry: expiresAt(now + 200 * 86_400_000), notices: { grantAt: now + 100 * 86_400_000, sent: [], expired: false, reconsent: false } });
    expect(planNotices(quiet, now, BERLIN).notices).toEqual([]);
  });

  it('a new connection waiting for its first sign-in is no failure to report', () => {
    expect(planNotices(aConnection({ needsReconsent: true, consentedAt: null }), now, BERLIN).notices).toEqual([]);
  });

  it('an unknown date is never warned about', () => {
    const unknown = aConnection();
    expect(planNotices(unknown, now, BERLIN).notices).toEqual([]);
    expect(nextNoticeAt(unknown, now, BERLIN)).toBeNull();
  });

  it('uses the connection’s own warning days', () => {
    const custom = aConnection({ grantExpiry: expiresAt(now + 59 * 86_400_000), warningDays: [60, 5] });
    expect(planNotices(custom, now, BERLIN).notices).toEqual([{ kind: 'expiring', connectionId: custom.id, daysLeft: 59, at: custom.grantExpiry.at }]);
  });
});

describe('"remind me tomorrow"', () => {
  // The 7-day warning came on 8 November at 9:00; at 10:00 the user asks to be reminded tomorrow.
  const warned = at('2026-11-08T10:00:00+01:00');
  const grant = at('2026-11-15T12:00:00+01:00');
  const told = () => {
    const connection = aConnection({ grantExpiry: expiresAt(grant), consentedAt: warned - 1000 });
    const { state } = planNotices(connection, warned, BERLIN);
    return { ...connection, notices: remindTomorrow(state, warned, BERLIN) };
  };

  it('is set for tomorrow’s morning hour and wakes the background then', () => {
    const snoozed = told();
    expect(berlin(snoozed.notices.remindAt!)).toBe('09.11.26, 09:00');
    expect(berlin(nextNoticeAt(snoozed, warned, BERLIN)!)).toBe('09.11.26, 09:00');
    expect(berlin(nextNoticeAmong([snoozed], warned, BERLIN)!)).toBe('09.11.26, 09:00');
  });

  it('tells the warning again then, once, with that day’s figure', () => {
    const { seen, final } = lifeOf(told(), warned, at('2026-11-11T00:00:00+01:00'));
    expect(seen.map(describeNotice)).toEqual(['09.11.26, 09:00 expiring, 6 days left']);
    expect(final.notices.remindAt).toBeUndefined();
  });

  it('gives way to a new warning day’s warning, which settles it', () => {
    const snoozed = { ...told(), notices: { ...told().notices, remindAt: at('2026-11-13T09:00:00+01:00') } };
    const { seen } = lifeOf(snoozed, warned, at('2026-11-14T00:00:00+01:00'));
    expect(seen.map(describeNotice)).toEqual(['12.11.26, 09:00 expiring, 3 days left']);
  });

  it('is dropped with the grant: a renewed one starts afresh', () => {
    const renewed = { ...told(), grantExpiry: expiresAt(grant + 365 * 86_400_000) };
    const { state } = planNotices(renewed, at('2026-11-08T12:00:00+01:00'), BERLIN);
    expect(state.remindAt).toBeUndefined();
  });

  it('tells an expired grant again', () => {
    const expired = aConnection({ grantExpiry: expiresAt(at('2026-11-07T12:00:00+01:00')), consentedAt: 0 });
    const first = planNotices(expired, warned, BERLIN);
    expect(first.notices.map((notice) => notice.kind)).toEqual(['expired']);
    const snoozed = { ...expired, notices: remindTomorrow(first.state, warned, BERLIN) };
    expect(planNotices(snoozed, at('2026-11-09T08:59:00+01:00'), BERLIN).notices).toEqual([]);
    expect(planNotices(snoozed, at('2026-11-09T09:00:00+01:00'), BERLIN).notices.map((notice) => notice.kind)).toEqual(['expired']);
  });

  it('never keeps the background waking for a reminder that has nothing left to tell', () => {
    const unknown = aConnection({ notices: { grantAt: null, sent: [], expired: false, reconsent: false, remindAt: warned - 1 } });
    expect(nextNoticeAt(unknown, warned, BERLIN)).toBeNull();
    expect(nextNoticeAmong([unknown], warned, BERLIN)).toBeNull();
  });
});

describe('the morning hour across the change to summer time', () => {
  it('is 9:00 local time on the day the clocks go forward', () => {
    const expiry = at('2027-04-04T12:00:00+02:00');
    const connection = aConnection({ grantExpiry: expiresAt(expiry), warningDays: [7] });
    const next = nextNoticeAt(connection, at('2027-03-27T12:00:00+01:00'), BERLIN)!;
    expect(berlin(next)).toBe('28.03.27, 09:00');
    expect(new Date(next).toISOString()).toBe('2027-03-28T07:00:00.000Z');
  });
});

describe('nextNoticeAmong', () => {
  it('is the earliest nextNoticeAt of all connections, for random sets across the time changes', () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const now = at('2026-03-01T00:00:00Z') + Math.floor(random() * 400) * 86_400_000 + Math.floor(random() * 86_400_000);
      const connections = Array.from({ length: 1 + Math.floor(random() * 30) }, () =>
        aConnection({
          grantExpiry: random() < 0.1 ? { at: null, source: 'unknown' } : expiresAt(now + Math.floor((random() * 200 - 5) * 86_400_000)),
          warningDays: random() < 0.5 ? [30, 14, 7, 3, 1, 0] : [60, 2],
          needsReconsent: random() < 0.05,
          ...(random() < 0.2 ? { notices: { grantAt: null, sent: [], expired: false, reconsent: false, remindAt: now + Math.floor((random() * 4 - 1) * 86_400_000) } } : {}),
        }),
      );
      const options = { timeZone: random() < 0.5 ? 'Europe/Berlin' : 'America/New_York', morningHour: Math.floor(random() * 24) };
      const exact = connections.map((c) => nextNoticeAt(c, now, options)).filter((v): v is number => v !== null);
      expect(nextNoticeAmong(connections, now, options)).toBe(exact.length ? Math.min(...exact) : null);
    }
  });
});
