import { describe, expect, it } from 'vitest';
import { isWholeConnection } from '../../utils/connection';
import { createConnection } from '../../utils/records/new-connection';
import { aConnection } from './fixtures';

describe('createConnection', () => {
  it('fills every field a new connection needs, each with its own objects', () => {
    const [a, b] = ['a', 'b'].map((id) => createConnection({ platformId: 'datev', label: 'Mandant', requestedBy: 'Anna' }, { id, now: 1 }));
    expect(a).toMatchObject({ id: 'a', account: '', consentedAt: null, needsReconsent: false, warningDays: [30, 14, 7, 3, 1, 0], grantExpiry: { at: null, source: 'unknown' } });
    expect(isWholeConnection(a)).toBe(true);
    expect(a!.grantExpiry).not.toBe(b!.grantExpiry);
    expect(a!.warningDays).not.toBe(b!.warningDays);
  });
});

describe('isWholeConnection', () => {
  it.each<[string, unknown]>([
    ['nothing', null],
    ['a record without its end date', { ...aConnection(), grantExpiry: undefined }],
    ['an end date in the year 275760', { ...aConnection(), grantExpiry: { at: 8.64e15, source: 'user' } }],
    ['an end date that is no number', { ...aConnection(), grantExpiry: { at: 'soon', source: 'user' } }],
    ['warning days that are not a list', { ...aConnection(), warningDays: '30' }],
    ['a record without its notice state', { ...aConnection(), notices: undefined }],
  ])('refuses %s', (_, record) => {
    expect(isWholeConnection(record)).toBe(false);
  });
});
