import { describe, expect, it } from 'vitest';
import { isWholeConnection } from '../../../utils/connection';
import { EARLIEST_DATE, LATEST_DATE } from '../../../utils/expiry/calendar';
import { planManaged } from '../../../utils/records/managed';
import { aConnection } from '../fixtures';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const options = { now: NOW, timeZone: 'Europe/Berlin' };
const day = (instant: number | null) => (instant === null ? null : new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(instant));

describe('connections from the administrator’s policy', () => {
  const policy = {
    connections: [
      { key: 'lexware', platformId: 'lexware-office-api-key', label: 'Buchhaltung', issuedOn: '2025-06-01', warningDays: [60, 14] },
      { key: 'ebay-shop', platformId: 'ebay', label: 'Shop Berlin', client: { clientId: 'erp-ebay-app', exchange: 'broker', brokerUrl: 'https://broker.erp.example/token' } },
    ],
  };

  it('are added, marked as managed, with stable ids', () => {
    const plan = planManaged(policy, [], options);
    expect(plan.refused).toEqual([]);
    expect(plan.save.map((c) => [c.id, c.managed, c.label])).toEqual([
      ['managed-lexware', true, 'Buchhaltung'],
      ['managed-ebay-shop', true, 'Shop Berlin'],
    ]);
    expect(day(plan.save[0]!.grantExpiry.at)).toBe('2027-06-01');
    expect(plan.save[0]!.warningDays).toEqual([60, 14]);
    expect(plan.save[1]).toMatchObject({ needsReconsent: true, client: { exchange: 'broker' } });
  });

  it('change nothing when applied again, and keep what the user did since (a sign-in, "renewed today")', () => {
    const first = planManaged(policy, [], options).save;
    const since = first.map((c) =>
      c.id === 'managed-ebay-shop'
        ? { ...c, needsReconsent: false, hasRefreshToken: true, consentedAt: NOW }
        : { ...c, grantExpiry: { at: NOW + 700 * 86_400_000, source: 'documented' as const } },
    );
    expect(planManaged(policy, since, { ...options, now: NOW + 1000 }).save).toEqual([]);
  });

  it('keep the account the sign-in found when a changed entry names none, and take a tracked entry’s new account', () => {
    const first = planManaged(policy, [], options).save.map((c) => ({ ...c, account: c.id === 'managed-ebay-shop' ? 'seller-42' : 'alt' }));
    const changed = {
      connections: [
        { ...policy.connections[0], account: 'Finanzbuchhaltung' },
        { ...policy.connections[1], label: 'Shop Berlin-Mitte' },
      ],
    };
    const plan = planManaged(changed, first, options);
    expect(plan.save.map((c) => [c.id, c.label, c.account])).toEqual([
      ['managed-lexware', 'Buchhaltung', 'Finanzbuchhaltung'],
      ['managed-ebay-shop', 'Shop Berlin-Mitte', 'seller-42'],
    ]);
  });

  it('refuse an entry whose date is not a date, naming the field', () => {
    const plan = planManaged({ connections: [{ key: 'held', platformId: 'other-software', label: 'ERP', expiresOn: 20270115 }] }, [], options);
    expect(plan).toMatchObject({ save: [], refused: [{ key: 'held', field: 'expiresOn' }] });
  });

  it('apply a changed entry', () => {
    const first = planManaged(policy, [], options).save;
    const changed = { connections: [{ ...policy.connections[0], label: 'Buchhaltung Nord' }, policy.connections[1]] };
    expect(planManaged(changed, first, options).save.map((c) => [c.id, c.label])).toEqual([['managed-lexware', 'Buchhaltung Nord']]);
  });

  it('refuse entries without a key, with a secret, or for unknown platforms, and keep the rest', () => {
    const plan = planManaged(
      {
        connections: [
          { platformId: 'ebay', label: 'no key' },
          { key: 'secret', platformId: 'datev', label: 'x', client: { clientId: 'a', exchange: 'secret' }, clientSecret: 'never in a policy' },
          { key: 'unknown', platformId: 'myspace', label: 'x' },
          { key: 'ok', platformId: 'sevdesk-api-token', label: 'Buchhaltung' },
        ],
      },
      [],
      options,
    );
    expect(plan.refused.map((r) => r.key)).toEqual(['?', 'secret', 'unknown']);
    expect(plan.save.map((c) => c.id)).toEqual(['managed-ok']);
  });

  it('release a connection the policy no longer lists, instead of deleting it', () => {
    const managed = aConnection({ id: 'managed-old', managed: true });
    const plan = planManaged({ connections: [] }, [managed, aConnection()], options);
    expect(plan.release).toEqual([{ ...managed, managed: false }]);
    expect(plan.release[0]).not.toHaveProperty('managedEntry');
  });

  it('treat a missing or broken policy as empty', () => {
    expect(planManaged(undefined, [], options)).toEqual({ save: [], release: [], refused: [] });
    expect(planManaged({ connections: 'all' }, [], options)).toEqual({ save: [], release: [], refused: [] });
  });
});

describe('policy entries at the edges of the dates Token Watch takes (1970 to 2199)', () => {
  const inZone = (instant: number | null, timeZone: string) => (instant === null ? null : new Intl.DateTimeFormat('en-CA', { timeZone }).format(instant));

  it.each([
    ['the last day, in a zone behind UTC', { platformId: 'other-software', expiresOn: '2199-12-31' }, 'America/New_York', '2199-12-31'],
    ['an issue date whose lifetime would end after 2199', { platformId: 'lexware-office-api-key', issuedOn: '2199-06-01' }, 'UTC', '2199-12-31'],
    ['the first day as issue date, in a zone ahead of UTC', { platformId: 'lexware-office-api-key', issuedOn: '1970-01-01' }, 'Pacific/Tongatapu', '1972-01-01'],
  ])('keep %s as a whole connection, its dates within the range', (_, entry, timeZone, end) => {
    const plan = planManaged({ connections: [{ key: 'edge', label: 'Buchhaltung', ...entry }] }, [], { now: NOW, timeZone });
    expect(plan.refused).toEqual([]);
    const [connection] = plan.save;
    expect(isWholeConnection(connection)).toBe(true);
    expect(inZone(connection!.grantExpiry.at, timeZone)).toBe(end);
    for (const instant of [connection!.grantExpiry.at!, connection!.consentedAt ?? EARLIEST_DATE]) {
      expect(instant).toBeGreaterThanOrEqual(EARLIEST_DATE);
      expect(instant).toBeLessThanOrEqual(LATEST_DATE);
    }
  });

  it.each([['2200-01-01'], ['1969-12-31']])('refuse the date %s beyond the range, naming the field', (expiresOn) => {
    const plan = planManaged({ connections: [{ key: 'far', platformId: 'other-software', label: 'ERP', expiresOn }] }, [], options);
    expect(plan).toMatchObject({ save: [], refused: [{ key: 'far', field: 'expiresOn' }] });
  });
});
