import { describe, expect, it } from 'vitest';
import type { PlatformPreset } from '../../../utils/catalogue/types';
import { checkClient, newOAuthConnection, readCustomPlatform, readNewConnection } from '../../../utils/records/oauth-input';
import { isAllowedUrl, readStrings } from '../../../utils/records/fields';
import { MAX_TEXT, MAX_URL } from '../../../utils/limits';
import { newTrackedConnection, readConnectionChanges, readTrackedConnection, trackedPlatform } from '../../../utils/records/input';
import { isWholeConnection } from '../../../utils/connection';
import { findPreset } from '../../../utils/catalogue/presets';

const DATEV = findPreset('datev');
/** As the background reads it: the message's shape where it enters, then the app's settings against the platform. */
function readFor(input: object, platform: PlatformPreset | undefined) {
  const read = readNewConnection(input);
  return { ...read, client: checkClient(read.client, platform) };
}

const DATEV_CLIENT = { clientId: 'app', exchange: 'secret', endpointValues: { consultant: '455148', client: '2' }, scopes: ['accounting:documents'] };
const valid = { platformId: 'datev', label: 'Mandant 10001', client: DATEV_CLIENT, clientSecret: 's3cret' };

describe('a new OAuth connection', () => {
  it('is read with its client and secret, and waits for its first sign-in', () => {
    const input = readFor(valid, DATEV);
    expect(input).toEqual({ platformId: 'datev', label: 'Mandant 10001', account: '', client: DATEV_CLIENT, clientSecret: 's3cret' });
    expect(newOAuthConnection(input, { id: 'c', now: 1, actor: 'Anna' })).toMatchObject({ needsReconsent: true, requestedBy: 'Anna', grantExpiry: { at: null, source: 'unknown' } });
    expect(JSON.stringify(newOAuthConnection(input, { id: 'c', now: 1, actor: 'Anna' }))).not.toContain('s3cret');
  });

  it.each<[string, object, string]>([
    ['no label', { ...valid, label: ' ' }, 'label'],
    ['no client id', { ...valid, client: { ...DATEV_CLIENT, clientId: undefined } }, 'client.clientId'],
    ['an exchange the platform does not offer', { ...valid, client: { ...DATEV_CLIENT, exchange: 'public' } }, 'client.exchange'],
    ['no DATEV consultant number', { ...valid, client: { ...DATEV_CLIENT, endpointValues: { client: '2' } } }, 'client.endpointValues.consultant'],
    ['a DATEV client number that is not a number', { ...valid, client: { ...DATEV_CLIENT, endpointValues: { consultant: '455148', client: '2 OR 1' } } }, 'client.endpointValues.client'],
    ['no API scope where the platform asks for one', { ...valid, client: { ...DATEV_CLIENT, scopes: [] } }, 'client.scopes'],
    ['an API scope the platform does not offer', { ...valid, client: { ...DATEV_CLIENT, scopes: ['datev:iam:client:1-1'] } }, 'client.scopes'],
    ['an API scope twice', { ...valid, client: { ...DATEV_CLIENT, scopes: ['accounting:documents', 'accounting:documents'] } }, 'client.scopes'],
    ['a secret exchange without the secret', { ...valid, clientSecret: undefined }, 'clientSecret'],
    ['a broker without HTTPS', { ...valid, client: { ...DATEV_CLIENT, exchange: 'broker', brokerUrl: 'http://broker.example/token' } }, 'client.brokerUrl'],
    ['a label of a thousand characters', { ...valid, label: 'x'.repeat(1000) }, 'label'],
  ])('refuses %s and names the field', (_, input, field) => {
    expect(() => readFor(input, DATEV)).toThrow(expect.objectContaining({ code: 'invalid-input', field }));
  });

  it('refuses a platform the extension cannot sign in to', () => {
    expect(() => readFor({ ...valid, platformId: 'sevdesk-api-token' }, findPreset('sevdesk-api-token'))).toThrow(expect.objectContaining({ field: 'platformId' }));
  });
});

describe('addresses', () => {
  it.each<[string, boolean, boolean]>([
    ['https://login.datev.de/openid', true, true],
    ['http://login.datev.de/openid', false, false],
    ['http://127.0.0.1:3000', false, true],
    ['http://localhost:3000', false, true],
    ['https://user:pass@broker.example/', false, false],
    ['javascript:alert(1)', false, false],
    ['not a url', false, false],
  ])('%s: production %s, development %s', (url, production, development) => {
    expect(isAllowedUrl(url)).toBe(production);
    expect(isAllowedUrl(url, { allowLoopbackHttp: true })).toBe(development);
  });

  it('takes an address up to the limit, and none longer', () => {
    const address = (length: number) => `https://portal.vendor.example/${'a'.repeat(length - 'https://portal.vendor.example/'.length)}`;
    expect([isAllowedUrl(address(MAX_URL)), isAllowedUrl(address(MAX_URL + 1))]).toEqual([true, false]);
  });

  it.each([
    ['a renewal page', () => readTrackedConnection({ platformId: 'other-software', label: 'Lizenz', renewUrl: `https://portal.vendor.example/${'a'.repeat(MAX_URL)}` }), 'renewUrl'],
    ['a broker', () => readNewConnection({ platformId: 'ebay', label: 'Shop', client: { clientId: 'app', exchange: 'broker', brokerUrl: `https://broker.example/${'a'.repeat(MAX_URL)}` } }), 'client.brokerUrl'],
  ])('refuses %s longer than the limit, naming the field', (_, read, field) => {
    expect(read).toThrow(expect.objectContaining({ code: 'invalid-input', field }));
  });
});

describe('a record of names and values (parameters, address parts)', () => {
  it('refuses a name longer than the limit', () => {
    expect(readStrings({ ['k'.repeat(MAX_TEXT)]: 'v' }, 'params')).toEqual({ ['k'.repeat(MAX_TEXT)]: 'v' });
    expect(() => readStrings({ ['k'.repeat(MAX_TEXT + 1)]: 'v' }, 'params')).toThrow(expect.objectContaining({ field: 'params' }));
  });
});

describe('a renewal page', () => {
  const tracked = { platformId: 'other-software', label: 'Lizenz' };

  it('is read when it is an ordinary HTTPS page', () => {
    expect(readTrackedConnection({ ...tracked, renewUrl: 'https://portal.vendor.example/keys' })).toMatchObject({ renewUrl: 'https://portal.vendor.example/keys' });
  });

  it.each([
    ['Chrome', 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/'],
    ['Chrome, with a path', 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/callback?code=x'],
    ['Firefox', 'https://0123456789abcdef0123456789abcdef01234567.extensions.allizom.org/'],
  ])('is refused when it is the extension’s own redirect address (%s): it is never opened in a tab (catalogue F4)', (_, url) => {
    expect(() => readTrackedConnection({ ...tracked, renewUrl: url })).toThrow(expect.objectContaining({ code: 'invalid-input', field: 'renewUrl' }));
    expect(() => readConnectionChanges({ renewUrl: url })).toThrow(expect.objectContaining({ code: 'invalid-input', field: 'renewUrl' }));
  });
});

describe('a custom platform', () => {
  const platform = {
    name: 'Our ERP',
    oauth: { issuer: 'https://sso.erp.example', scopes: ['openid', 'offline_access'], exchanges: ['public'] },
    grantRule: { kind: 'sliding', lifetime: { days: 30 }, hardCap: { months: 12 } },
    ruleSource: 'Vendor documentation',
  };

  it('is read with its rule', () => {
    expect(readCustomPlatform(platform, { id: 'custom-1', now: 5 })).toMatchObject({
      id: 'custom-1',
      kind: 'oauth',
      grantRule: { kind: 'sliding', lifetime: { days: 30 }, hardCap: { months: 12 } },
      createdAt: 5,
    });
  });

  it('may have a name in Cyrillic or Greek that is no catalogue platform’s', () => {
    expect(readCustomPlatform({ ...platform, name: 'Бухгалтерия Ωμέγα' }, { id: 'c', now: 0 }).name).toBe('Бухгалтерия Ωμέγα');
  });

  it('may carry a catalogue platform’s name inside its own', () => {
    expect(readCustomPlatform({ ...platform, name: 'Local DATEV (client secret)' }, { id: 'c', now: 0 }).name).toBe('Local DATEV (client secret)');
  });

  it('is refused with a token endpoint longer than the limit, as a wrong entry rather than as insecure', () => {
    const endpoints = { authorization: 'https://sso.erp.example/auth', token: `https://sso.erp.example/${'t'.repeat(MAX_URL)}` };
    expect(() => readCustomPlatform({ ...platform, oauth: { ...platform.oauth, issuer: undefined, endpoints } }, { id: 'x', now: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid-input', field: 'oauth.endpoints.token' }),
    );
  });

  it('keeps the other hosts its metadata named', () => {
    expect(readCustomPlatform({ ...platform, oauth: { ...platform.oauth, hosts: ['api.erp.example'] } }, { id: 'c', now: 0 }).oauth.hosts).toEqual(['api.erp.example']);
  });

  it.each<[string, object, string]>([
    ['without issuer or endpoints', { ...platform, oauth: { ...platform.oauth, issuer: undefined } }, 'oauth.issuer'],
    ['with a plain-HTTP issuer', { ...platform, oauth: { ...platform.oauth, issuer: 'http://sso.erp.example' } }, 'oauth.issuer'],
    ['with a scope containing a space', { ...platform, oauth: { ...platform.oauth, scopes: ['a b'] } }, 'oauth.scopes'],
    ['without a way to exchange the code', { ...platform, oauth: { ...platform.oauth, exchanges: [] } }, 'oauth.exchanges'],
    ['with an unknown rule', { ...platform, grantRule: { kind: 'forever' } }, 'grantRule'],
    ['with a host that is an address, not a name', { ...platform, oauth: { ...platform.oauth, hosts: ['https://api.erp.example/*'] } }, 'oauth.hosts'],
    ['with a negative lifetime', { ...platform, grantRule: { kind: 'fixed', lifetime: { days: -1 } } }, 'grantRule.lifetime'],
    ['named like a catalogue platform', { ...platform, name: 'DATEV' }, 'name'],
    ['named like one in other letters and marks', { ...platform, name: ' d.a.t.e.v ' }, 'name'],
    ['named like one with a Cyrillic А', { ...platform, name: 'D\u0410TEV' }, 'name'],
    ['named like one in Cyrillic and Greek look-alikes', { ...platform, name: '\u0435B\u03b1\u0443' }, 'name'],
    ['named like one in full-width letters', { ...platform, name: '\uff24\uff21\uff34\uff25\uff36' }, 'name'],
    ['named like one with an accent', { ...platform, name: 'DÄTEV' }, 'name'],
    ['named like one with a capital I for an l', { ...platform, name: 'PayPaI' }, 'name'],
    ['named like one with a 1 for an l', { ...platform, name: 'PayPa1' }, 'name'],
    ['named like one with a | for an l', { ...platform, name: 'PayPa|' }, 'name'],
    ['named like one with a Cyrillic palochka for an l', { ...platform, name: 'PayPa\u04c0' }, 'name'],
    ['named like one with a 0 for an o', { ...platform, name: 'Z0H0' }, 'name'],
    ['named like one with "rn" for an m', { ...platform, name: 'Arnazon Seller Central (EU)' }, 'name'],
    ['named like one with "vv" for a w', { ...platform, name: 'Lexvvare Office API key' }, 'name'],
    ['named like a catalogue platform’s sandbox', { ...platform, name: 'eBay (Sandbox)' }, 'name'],
  ])('is refused %s', (_, input, field) => {
    expect(() => readCustomPlatform(input, { id: 'x', now: 0 })).toThrow(expect.objectContaining({ field }));
  });
});

describe('a credential tracked by date, entered in the form', () => {
  it.each([['America/Los_Angeles'], ['Pacific/Tongatapu']])('ending on 31 December 2199 stays a whole connection in %s', (timeZone) => {
    const input = readTrackedConnection({ platformId: 'other-software', label: 'ERP', expiresOn: '2199-12-31' });
    const connection = newTrackedConnection(input, trackedPlatform(findPreset('other-software')), { id: 'c1', now: Date.parse('2026-11-23T10:00:00Z'), actor: 'Anna', timeZone });
    expect(isWholeConnection(connection)).toBe(true);
    expect(new Intl.DateTimeFormat('en-CA', { timeZone }).format(connection.grantExpiry.at!)).toBe('2199-12-31');
  });
});
