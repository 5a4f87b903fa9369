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

  it('lists the issuer of a platform found by discovery', () => {
    expect(hostOrigins(findPreset('datev')!.oauth, { clientId: 'a', exchange: 'secret' })).toEqual(['https://login.datev.de/*']);
  });

  it('adds the broker, once', () => {
    const client = { clientId: 'a', exchange: 'broker' as const, brokerUrl: 'https://broker.example:8443/token' };
    expect(hostOrigins(findPreset('ebay')!.oauth, client)).toEqual(['https://api.ebay.com/*', 'https://broker.example/*']);
  });

  it('is empty for a tracked credential', () => {
    expect(hostOrigins(undefined, undefined)).toEqual([]);
  });
});
