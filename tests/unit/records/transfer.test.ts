import { describe, expect, it, vi } from 'vitest';
import { MAX_IMPORT_BYTES } from '../../../utils/limits';
import { exportDocument, ImportError, parseImport, runImport, type SkipReason } from '../../../utils/records/transfer';
import { aConnection, expiresAt } from '../fixtures';

const NOW = Date.parse('2026-11-23T09:00:00Z');
let ids = 0;
const options = { now: NOW, newId: () => `new-${++ids}` };

const valid = {
  platformId: 'datev',
  label: 'Mandant 10001',
  account: 'a.becker',
  consentedAt: '2025-01-10T10:00:00.000Z',
  requestedBy: 'Anna Becker',
  grantExpiry: { at: '2027-01-10T10:00:00.000Z', source: 'documented' },
  needsReconsent: false,
  warningDays: [30, 7, 0],
};
const file = (connections: unknown[], extra: object = {}) => ({
  format: 'token-watch',
  version: 1,
  exportedAt: '2026-11-23T09:00:00.000Z',
  connections,
  ...extra,
});

describe('export and import', () => {
  it('refuses a document longer than the limit as too large, storing nothing', async () => {
    const store = vi.fn();
    const document = JSON.stringify({ format: 'token-watch', version: 2, connections: [], padding: ' '.repeat(MAX_IMPORT_BYTES) });
    await expect(runImport(document, { existing: [], customPlatforms: [], store })).rejects.toMatchObject({ code: 'import-too-large' });
    expect(store).not.toHaveBeenCalled();
  });

  it('gives back the same connections after a round trip, with new ids', () => {
    const original = [
      aConnection({ platformId: 'ebay', label: 'Shop', grantExpiry: expiresAt(Date.parse('2027-05-01T00:00:00Z'), 'token-response') }),
      aConnection({ platformId: 'sevdesk-api-token', label: 'Buchhaltung', consentedAt: null }),
    ];
    const document = JSON.parse(JSON.stringify(exportDocument(original, NOW)));
    const { connections, skipped } = parseImport(document, [], options);
    expect(skipped).toEqual([]);
    const comparable = ({ id, createdAt, updatedAt, accessTokenExpiry, ...rest }: (typeof original)[number]) => rest;
    expect(connections.map(comparable)).toEqual(original.map(comparable));
    expect(connections.every((c) => c.id.startsWith('new-'))).toBe(true);
  });

  it('never writes tokens or secrets into the file', () => {
    const connection = Object.assign(aConnection(), { refreshToken: 'rt-secret', clientSecret: 'cs-secret' });
    const text = JSON.stringify(exportDocument([connection], NOW));
    expect(text).not.toContain('secret');
  });

  it('accepts the file as text', () => {
    expect(parseImport(JSON.stringify(file([valid])), [], options).connections).toHaveLength(1);
  });

  it.each<[string, unknown, string]>([
    ['text that is not JSON', '{"format": "token-watch",', 'import-bad-json'],
    ['JSON that is not an export', { hello: 'world' }, 'import-not-an-export'],
    ['an array', [valid], 'import-not-an-export'],
    ['a version this extension does not know', file([valid], { version: 3 }), 'import-unknown-version'],
  ])('refuses %s as a whole', (_, input, code) => {
    expect(() => parseImport(input, [], options)).toThrow(ImportError);
    expect(() => parseImport(input, [], options)).toThrow(code);
  });

  it.each<[string, unknown, SkipReason, string | undefined]>([
    ['an entry that is not an object', 'DATEV', 'not-an-object', undefined],
    ['an entry without a platform', { ...valid, platformId: undefined }, 'missing-field', 'platformId'],
    ['an entry without a label', { ...valid, label: '  ' }, 'missing-field', 'label'],
    ['an unknown platform', { ...valid, platformId: 'myspace' }, 'unknown-platform', 'platformId'],
    ['an impossible date', { ...valid, consentedAt: '31.02.2026' }, 'invalid-date', 'consentedAt'],
    ['an expiry in the year 275760', { ...valid, grantExpiry: { at: '+275760-09-13T00:00:00.000Z', source: 'user' } }, 'invalid-date', 'grantExpiry.at'],
    ['an expiry after 2199', { ...valid, grantExpiry: { at: '2200-01-01T00:00:00Z', source: 'user' } }, 'invalid-date', 'grantExpiry.at'],
    ['a consent before 1970', { ...valid, consentedAt: '1969-12-31T23:59:59Z' }, 'invalid-date', 'consentedAt'],
    ['an expiry date without its source', { ...valid, grantExpiry: { at: '2027-01-01T00:00:00Z' } }, 'missing-field', 'grantExpiry.source'],
    ['negative warning days', { ...valid, warningDays: [30, -1] }, 'invalid-warning-days', 'warningDays'],
    ['an app setting the platform does not offer', { ...valid, client: { clientId: 'a', exchange: 'public' } }, 'missing-field', 'client.exchange'],
    ['a broker without its address', { ...valid, client: { clientId: 'a', exchange: 'broker' } }, 'missing-field', 'client.brokerUrl'],
    ['a Shopify shop name that is no name', { ...valid, platformId: 'shopify', client: { clientId: 'a', exchange: 'secret', endpointValues: { shop: 'evil.example/x' } } }, 'missing-field', 'client.endpointValues.shop'],
  ])('skips %s, says why, and keeps the rest', (_, entry, reason, field) => {
    const { connections, skipped } = parseImport(file([valid, entry]), [], options);
    expect(connections.map((c) => c.label)).toEqual(['Mandant 10001']);
    expect(skipped).toEqual([{ position: 2, label: expect.any(String), reason, ...(field ? { field } : {}) }]);
  });

  it('skips duplicates within the file and of what is already watched', () => {
    const existing = [aConnection({ platformId: 'datev', label: 'Mandant 10002', account: 'a.becker' })];
    const { connections, skipped } = parseImport(
      file([valid, { ...valid, label: 'mandant 10001 ' }, { ...valid, label: 'Mandant 10002' }]),
      existing,
      options,
    );
    expect(connections).toHaveLength(1);
    expect(skipped.map((s) => [s.position, s.reason])).toEqual([
      [2, 'duplicate'],
      [3, 'duplicate'],
    ]);
  });

  it('still reads files of version 1', () => {
    expect(parseImport(file([valid], { version: 1 }), [], options).connections).toHaveLength(1);
  });

  it('brings the OAuth app’s public settings and the custom platforms along, never a secret', () => {
    const custom = {
      id: 'custom-erp',
      name: 'Our ERP',
      kind: 'oauth' as const,
      oauth: { issuer: 'https://sso.erp.example', scopes: ['openid', 'offline_access'], exchanges: ['public' as const, 'secret' as const] },
      grantRule: { kind: 'sliding' as const, lifetime: { days: 30 } },
      ruleSource: 'vendor documentation',
      createdAt: 1,
    };
    const original = aConnection({ platformId: 'custom-erp', label: 'ERP', client: { clientId: 'erp-app', exchange: 'secret' }, hasRefreshToken: true });
    const text = JSON.stringify(exportDocument([original], NOW, [custom]));
    const { connections, platforms } = parseImport(text, [], { ...options, confirmedHosts: ['https://sso.erp.example'] });
    expect(platforms.map((p) => p.id)).toEqual(['custom-erp']);
    expect(connections[0]).toMatchObject({ platformId: 'custom-erp', client: { clientId: 'erp-app', exchange: 'secret' }, hasRefreshToken: false });
  });

  describe('limits', () => {
    it('refuses a file of more connections than Token Watch keeps, naming the limit', () => {
      const many = Array.from({ length: 2_001 }, (_, index) => ({ ...valid, label: `Mandant ${index}` }));
      expect(() => parseImport(file(many), [], options)).toThrow(expect.objectContaining({ code: 'import-too-many' }));
    });

    it('takes entries up to the limit, with what is kept already, and names the rest', () => {
      const kept = Array.from({ length: 1_999 }, (_, index) => aConnection({ id: `k${index}`, label: `kept ${index}` }));
      const { connections, skipped } = parseImport(file([valid, { ...valid, label: 'one too many' }]), kept, options);
      expect(connections).toHaveLength(1);
      expect(skipped).toEqual([{ position: 2, label: 'one too many', reason: 'limit-reached' }]);
    });

    it.each(['label', 'account', 'requestedBy'])('skips an entry whose %s is longer than any form takes', (field) => {
      const { connections, skipped } = parseImport(file([{ ...valid, [field]: 'x'.repeat(301) }]), [], options);
      expect(connections).toEqual([]);
      expect(skipped).toEqual([expect.objectContaining({ position: 1, reason: 'text-too-long', field })]);
    });
  });

  describe('where sign-in codes go', () => {
    const custom = {
      id: 'custom-fake',
      name: 'Buchhaltung Login',
      kind: 'oauth',
      oauth: { endpoints: { authorization: 'https://login.evil.example/auth', token: 'https://codes.evil.example/token' }, scopes: [], exchanges: ['public'] },
      grantRule: { kind: 'fixed', lifetime: { months: 24 } },
      ruleSource: 'file',
    };
    const document = file(
      [
        { ...valid, label: 'tracked, no code goes anywhere' },
        { platformId: 'custom-fake', label: 'fake platform' },
        { platformId: 'ebay', label: 'through a broker', client: { clientId: 'app', exchange: 'broker', brokerUrl: 'https://broker.evil.example/token' } },
      ],
      { version: 2, platforms: [custom] },
    );

    it('holds back a new platform’s sign-in addresses and a broker until each is confirmed, naming every address in full', () => {
      const result = parseImport(document, [], options);
      expect(result.unconfirmed).toEqual(['https://login.evil.example', 'https://codes.evil.example', 'https://broker.evil.example']);
      expect(result.platforms).toEqual([]);
      expect(result.connections.map((c) => c.label)).toEqual(['tracked, no code goes anywhere']);
      expect(result.skipped).toEqual([
        { position: 2, label: 'fake platform', reason: 'unconfirmed-address', field: 'platformId' },
        { position: 3, label: 'through a broker', reason: 'unconfirmed-address', field: 'client.brokerUrl' },
      ]);
    });

    it('brings along what the user confirmed, and only that', () => {
      const result = parseImport(document, [], { ...options, confirmedHosts: ['https://broker.evil.example'] });
      expect(result.connections.map((c) => c.label)).toEqual(['tracked, no code goes anywhere', 'through a broker']);
      const all = parseImport(document, [], { ...options, confirmedHosts: ['https://login.evil.example', 'https://codes.evil.example', 'https://broker.evil.example'] });
      expect(all.unconfirmed).toEqual([]);
      expect(all.platforms.map((p) => p.id)).toEqual(['custom-fake']);
      expect(all.connections).toHaveLength(3);
    });

    it('never takes a platform that calls itself by a catalogue platform’s name', () => {
      const fake = file([{ platformId: 'custom-fake', label: 'x' }], { version: 2, platforms: [{ ...custom, name: 'DATEV' }] });
      const result = parseImport(fake, [], { ...options, confirmedHosts: ['https://login.evil.example', 'https://codes.evil.example'] });
      expect(result.platforms).toEqual([]);
      expect(result.skipped).toEqual([{ position: 1, label: 'x', reason: 'unknown-platform', field: 'platformId' }]);
    });
  });

  it('says which entries came without their renewal page, and why', () => {
    const entries = ['javascript:alert(1)', 'data:text/html,x', 'http://erp.example/keys', 'https://erp.example/keys'].map((renewUrl, index) => ({
      ...valid,
      label: `Mandant ${index + 1}`,
      renewUrl,
    }));
    const { connections, withoutRenewalPage } = parseImport(file(entries), [], options);
    expect(connections.map((connection) => connection.renewUrl ?? null)).toEqual([null, null, null, 'https://erp.example/keys']);
    expect(withoutRenewalPage).toEqual([
      { position: 1, label: 'Mandant 1' },
      { position: 2, label: 'Mandant 2' },
      { position: 3, label: 'Mandant 3' },
    ]);
  });

  it('imports no renewal page at the extension’s own redirect address (catalogue F4)', () => {
    const entry = { ...valid, label: 'Mandant 1', renewUrl: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/' };
    const { connections, withoutRenewalPage } = parseImport(file([entry]), [], options);
    expect(connections[0]!.renewUrl).toBeUndefined();
    expect(withoutRenewalPage).toEqual([{ position: 1, label: 'Mandant 1' }]);
  });

  it('fills in the default warning days and an unknown date when they are missing', () => {
    const { connections } = parseImport(file([{ platformId: 'sevdesk-api-token', label: 'Buchhaltung' }]), [], options);
    expect(connections[0]).toMatchObject({
      grantExpiry: { at: null, source: 'unknown' },
      warningDays: [30, 14, 7, 3, 1, 0],
      consentedAt: null,
      needsReconsent: false,
      createdAt: NOW,
    });
  });
});
