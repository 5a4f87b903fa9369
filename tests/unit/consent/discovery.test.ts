import { describe, expect, it } from 'vitest';
import { discoverServer, inspectPlatform, suggestedSetup, type SuggestedSetup } from '../../../utils/consent/discovery';

const ISSUER = 'https://sso.erp.example';
const metadata = (overrides: object = {}) => ({
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
  revocation_endpoint: `${ISSUER}/revoke`,
  code_challenge_methods_supported: ['S256'],
  scopes_supported: ['openid', 'offline_access'],
  ...overrides,
});
const answering = (body: object | null, status = 200): typeof fetch =>
  (async () => (body === null ? Promise.reject(new TypeError('Failed to fetch')) : new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }))) as typeof fetch;

describe('checking a platform by its address', () => {
  it('reads what it offers', async () => {
    expect(await inspectPlatform(ISSUER, { fetch: answering(metadata()) })).toEqual({
      issuer: ISSUER,
      authorizationEndpoint: `${ISSUER}/auth`,
      tokenEndpoint: `${ISSUER}/token`,
      revocationEndpoint: `${ISSUER}/revoke`,
      scopesSupported: ['openid', 'offline_access'],
      hosts: [],
      tokenAuthMethods: ['client_secret_basic'],
      refreshTokens: null,
    });
  });

  it('names the other hosts its metadata sends the flow to, once each', async () => {
    const found = await inspectPlatform(ISSUER, {
      fetch: answering(metadata({ token_endpoint: 'https://api.erp.example/token', userinfo_endpoint: 'https://api.erp.example/userinfo', revocation_endpoint: 'https://revoke.erp.example/' })),
    });
    expect(found.hosts).toEqual(['api.erp.example', 'revoke.erp.example']);
  });

  it.each<[string, object, SuggestedSetup]>([
    [
      'a platform that takes sign-ins without a secret and renews',
      { token_endpoint_auth_methods_supported: ['none', 'client_secret_basic'], grant_types_supported: ['authorization_code', 'refresh_token'] },
      { exchanges: ['public'], scopes: ['openid', 'offline_access'], asksLifetime: true },
    ],
    ['a platform that names no methods: a secret (RFC 8414)', {}, { exchanges: ['secret'], scopes: ['openid', 'offline_access'], asksLifetime: true }],
    [
      'a platform without refresh tokens: no offline access, no lifetime to ask',
      { token_endpoint_auth_methods_supported: ['none'], grant_types_supported: ['authorization_code'] },
      { exchanges: ['public'], scopes: ['openid'], asksLifetime: false },
    ],
    ['a platform that lists other scopes only', { scopes_supported: ['read', 'write'] }, { exchanges: ['secret'], scopes: [], asksLifetime: true }],
  ])('suggests for %s', async (_, overrides, suggested) => {
    expect(suggestedSetup(await inspectPlatform(ISSUER, { fetch: answering(metadata(overrides)) }))).toEqual(suggested);
  });

  it.each<[string, string, typeof fetch, string]>([
    ['plain HTTP', 'http://sso.erp.example', answering(metadata()), 'discovery-insecure'],
    ['not an address', 'sso.erp.example', answering(metadata()), 'discovery-insecure'],
    ['no answer', ISSUER, answering(null), 'discovery-unreachable'],
    ['another issuer in the metadata', ISSUER, answering(metadata({ issuer: 'https://evil.example' })), 'discovery-issuer-mismatch'],
    ['no PKCE', ISSUER, answering(metadata({ code_challenge_methods_supported: ['plain'] })), 'discovery-no-pkce'],
    ['no metadata at all', ISSUER, answering({ hello: 'world' }, 404), 'discovery-failed'],
  ])('refuses %s with its own reason', async (_, issuer, fetch, code) => {
    await expect(inspectPlatform(issuer, { fetch })).rejects.toMatchObject({ code });
  });

  it('accepts plain HTTP on this machine in a development build only', async () => {
    const local = 'http://127.0.0.1:4000';
    await expect(inspectPlatform(local, { fetch: answering(metadata({ issuer: local })) })).rejects.toMatchObject({ code: 'discovery-insecure' });
    expect((await inspectPlatform(local, { fetch: answering(metadata({ issuer: local })), allowLoopbackHttp: true })).issuer).toBe(local);
  });
});

describe('discovery for Microsoft’s tenants', () => {
  const TENANT = '9122040d-6c67-4c5b-b112-36a304b66dad';
  const at = (tenant: string) => `https://login.microsoftonline.com/${tenant}/v2.0`;
  const microsoft = (issuer: string) => metadata({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token` });

  it('accepts the placeholder for common only where the platform says its issuer names the tenant', async () => {
    const fetch = answering(microsoft(at('{tenantid}')));
    expect((await discoverServer(new URL(at('common')), { fetch, tenantIssuer: true })).issuer).toBe(at('{tenantid}'));
    await expect(discoverServer(new URL(at('common')), { fetch })).rejects.toMatchObject({ code: 'platform-misconfigured' });
  });

  it('accepts a domain’s metadata that names its tenant ID', async () => {
    expect((await discoverServer(new URL(at('contoso.com')), { fetch: answering(microsoft(at(TENANT))), tenantIssuer: true })).issuer).toBe(at(TENANT));
  });

  it('refuses metadata that names another host', async () => {
    const fetch = answering(microsoft(`https://login.evil.example/${TENANT}/v2.0`));
    await expect(discoverServer(new URL(at('common')), { fetch, tenantIssuer: true })).rejects.toMatchObject({ code: 'platform-misconfigured' });
  });
});
