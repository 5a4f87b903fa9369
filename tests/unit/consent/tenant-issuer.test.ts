import { describe, expect, it } from 'vitest';
import { expectedTenantIssuer, isTenantIssuer } from '../../../utils/consent/tenant-issuer';

const TENANT = '9122040d-6c67-4c5b-b112-36a304b66dad';
const OTHER = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
const at = (tenant: string) => `https://login.microsoftonline.com/${tenant}/v2.0`;

describe('Microsoft’s issuer that names the tenant', () => {
  it.each<[string, string, string, boolean]>([
    ['common answers with the placeholder', at('common'), at('{tenantid}'), true],
    ['organizations answers with the placeholder', at('organizations'), at('{tenantid}'), true],
    ['a domain answers with its tenant’s ID', at('contoso.onmicrosoft.com'), at(TENANT), true],
    ['a tenant ID answers with itself', at(TENANT), at(TENANT), true],
    ['a tenant ID answers with another tenant', at(TENANT), at(OTHER), false],
    ['a tenant ID answers with the placeholder', at(TENANT), at('{tenantid}'), false],
    ['another host', at('common'), `https://login.evil.example/${TENANT}/v2.0`, false],
    ['another path after the tenant', at('common'), `https://login.microsoftonline.com/${TENANT}/v1.0`, false],
    ['a tenant that is neither an ID nor the placeholder', at('common'), at('evil'), false],
    ['not an address', at('common'), 'login.microsoftonline.com', false],
  ])('%s: %s', (_, requested, claimed, accepted) => {
    expect(isTenantIssuer(requested, claimed)).toBe(accepted);
  });

  it('expects an ID token to name the tenant its tid claim names', () => {
    expect(expectedTenantIssuer(at('{tenantid}'), { tid: TENANT })).toBe(at(TENANT));
  });

  it.each<[string, Record<string, unknown>]>([
    ['no tid', {}],
    ['a tid that is not a GUID', { tid: 'common' }],
    ['a tid that is not text', { tid: 42 }],
  ])('expects nothing any token names when it has %s', (_, claims) => {
    expect(expectedTenantIssuer(at('{tenantid}'), claims)).toBe('');
  });

  it('keeps an issuer that already names its tenant', () => {
    expect(expectedTenantIssuer(at(TENANT), { tid: OTHER })).toBe(at(TENANT));
  });
});
