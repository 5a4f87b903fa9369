import { describe, expect, it } from 'vitest';
import { DEFAULT_WARNING_DAYS, isWholeConnection, readableConnections } from '../../utils/connection';
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

describe('readableConnections', () => {
  it('takes a whole connection as it is, the same object', () => {
    const whole = aConnection();
    expect(readableConnections([whole])[0]).toBe(whole);
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    ['without its end date', { grantExpiry: undefined }, { grantExpiry: { at: null, source: 'unknown' } }],
    ['with an end date in the year 275760', { grantExpiry: { at: 8.64e15, source: 'user' } }, { grantExpiry: { at: null, source: 'unknown' } }],
    ['with an access token date that is no number', { accessTokenExpiry: { at: 'soon', source: 'user' } }, { accessTokenExpiry: { at: null, source: 'unknown' } }],
    ['with warning days that are not a list', { warningDays: '30' }, { warningDays: DEFAULT_WARNING_DAYS }],
    ['without its notice state', { notices: undefined }, { notices: { grantAt: null, sent: [], expired: false, reconsent: false } }],
  ])('reads a record %s with what is missing as not known, keeping everything else', (_, damage, read) => {
    const record = { ...aConnection({ label: 'Mandant 10001', account: 'a.becker' }), ...damage, note: 'kept' };
    const [connection] = readableConnections([record]);
    expect(isWholeConnection(connection)).toBe(true);
    expect(connection).toEqual({ ...record, ...read });
  });

  it.each<[string, unknown]>([
    ['nothing', null],
    ['a number', 42],
    ['a record without an id', { ...aConnection(), id: undefined }],
    ['a record without its platform', { ...aConnection(), platformId: 7 }],
    ['a record without a label', { ...aConnection(), label: null }],
  ])('leaves out %s: it names no connection', (_, record) => {
    expect(readableConnections([record, aConnection({ id: 'kept' })]).map(({ id }) => id)).toEqual(['kept']);
  });
});
