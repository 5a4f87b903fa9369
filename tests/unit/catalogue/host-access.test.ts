import { describe, expect, it } from 'vitest';
import { hostOrigins } from '../../../utils/catalogue/host-access';
import { findPreset } from '../../../utils/catalogue/presets';

describe('hostOrigins', () => {
  it('lists the token and revocation hosts of a platform with fixed endpoints', () => {
    expect(hostOrigins(findPreset('intuit-quickbooks')!.oauth, { clientId: 'a', exchange: 'secret' })).toEqual([
      'https://oauth.platform.intuit.com/*',
      'https://developer.api.intuit.com/*',
    ]);
  });

  it('lists the issuer of a platform found by discovery, and the hosts its metadata sends the flow to', () => {
    expect(hostOrigins(findPreset('datev')!.oauth, { clientId: 'a', exchange: 'secret' })).toEqual(['https://login.datev.de/*', 'https://api.datev.de/*']);
    expect(hostOrigins(findPreset('datev-sandbox')!.oauth, { clientId: 'a', exchange: 'secret' })).toEqual(['https://login.datev.de/*', 'https://sandbox-api.datev.de/*']);
    const microsoft = { clientId: 'a', exchange: 'public' as const, endpointValues: { tenant: 'organizations' } };
    expect(hostOrigins(findPreset('microsoft')!.oauth, microsoft)).toEqual(['https://login.microsoftonline.com/*', 'https://graph.microsoft.com/*']);
  });

  it('lists the hosts a platform added by its address keeps from its metadata', () => {
    const settings = { issuer: 'https://sso.erp.example', hosts: ['api.erp.example'], scopes: [], exchanges: ['public' as const] };
    expect(hostOrigins(settings, { clientId: 'a', exchange: 'public' })).toEqual(['https://sso.erp.example/*', 'https://api.erp.example/*']);
  });

  it('adds the broker, once', () => {
    const client = { clientId: 'a', exchange: 'broker' as const, brokerUrl: 'https://broker.example:8443/token' };
    expect(hostOrigins(findPreset('ebay')!.oauth, client)).toEqual(['https://api.ebay.com/*', 'https://broker.example/*']);
  });

  it('is empty for a tracked credential', () => {
    expect(hostOrigins(undefined, undefined)).toEqual([]);
  });
});
