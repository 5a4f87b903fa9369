import * as oauth from 'oauth4webapi';
import { describe, expect, it, vi } from 'vitest';
import type { OAuthClient } from '../../../utils/connection';
import { createOAuthClient, type OAuthDeps } from '../../../utils/consent/oauth-client';
import { findPreset, resolveSettings, settingsFor, type OAuthSettings } from '../../../utils/catalogue/presets';

/** The presets’ own token requests and Microsoft’s tenants, each against a fake platform that records what it was sent. */
const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const TENANT = '9122040d-6c67-4c5b-b112-36a304b66dad';
const OTHER = 'aaaabbbb-0000-cccc-1111-dddd2222eeee';
const json = (body: object, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const b64u = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An ID token as the token endpoint hands it over: oauth4webapi checks its claims, the TLS connection vouches for it. */
const idToken = (claims: object) => [b64u({ alg: 'RS256', typ: 'JWT' }), b64u(claims), 'c2lnbmF0dXJl'].join('.');

interface Recorded {
  url: string;
  body: URLSearchParams;
  headers: Headers;
}

function platform({ metadata, token }: { metadata?: object; token: (request: Recorded) => Response }) {
  const requests: Recorded[] = [];
  const deps: OAuthDeps = {
    redirectUrl: REDIRECT,
    fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input instanceof Request ? input.url : input);
      if (url.endsWith('/.well-known/openid-configuration')) return metadata ? json(metadata) : json({}, 404);
      const request = { url, body: new URLSearchParams(init?.body instanceof URLSearchParams ? init.body : typeof init?.body === 'string' ? init.body : ''), headers: new Headers(init?.headers) };
      requests.push(request);
      return token(request);
    }) as typeof fetch,
    launchWebAuthFlow: vi.fn(async ({ url }) => {
      const state = new URL(url).searchParams.get('state');
      return `${REDIRECT}?code=the-code&spapi_oauth_code=the-code&selling_partner_id=A1B2C3&mws_auth_token=amzn.mws.x&state=${state}`;
    }),
  };
  return { deps, requests };
}

const tokens = (extra: object = {}) => () => json({ access_token: 'at', token_type: 'bearer', expires_in: 3600, refresh_token: 'rt', ...extra });

describe('client authentication as each platform documents it', () => {
  it('Amazon: client_id and client_secret in the form body, no Authorization header, and the seller from the callback', async () => {
    const { deps, requests } = platform({ token: tokens() });
    const settings = findPreset('amazon-sp-api-eu')!.oauth!;
    const client: OAuthClient = { clientId: 'amzn1.application-oa2-client.x', exchange: 'secret', authorizationParams: { application_id: 'amzn1.sp.solution.y' } };
    const result = await createOAuthClient(deps).consent({ platformId: 'amazon-sp-api-eu', settings, client, clientSecret: 's3cret' });
    expect(requests[0]!.url).toBe('https://api.amazon.com/auth/o2/token');
    expect(Object.fromEntries(requests[0]!.body)).toMatchObject({ grant_type: 'authorization_code', code: 'the-code', client_id: 'amzn1.application-oa2-client.x', client_secret: 's3cret' });
    expect(requests[0]!.headers.has('authorization')).toBe(false);
    expect(result.account).toBe('A1B2C3');
  });

  it('Amazon refreshes the same way', async () => {
    const { deps, requests } = platform({ token: tokens() });
    const client: OAuthClient = { clientId: 'app', exchange: 'secret' };
    await createOAuthClient(deps).refresh({ platformId: 'amazon-sp-api-eu', settings: findPreset('amazon-sp-api-eu')!.oauth!, client, clientSecret: 's3cret' }, 'old');
    expect(Object.fromEntries(requests[0]!.body)).toMatchObject({ grant_type: 'refresh_token', client_secret: 's3cret' });
  });

  it('eBay: HTTP Basic', async () => {
    const { deps, requests } = platform({ token: tokens({ token_type: 'User Access Token' }) });
    const client: OAuthClient = { clientId: 'app', exchange: 'secret', redirectName: 'Shop-Token-PRD' };
    await createOAuthClient(deps).consent({ platformId: 'ebay', settings: findPreset('ebay')!.oauth!, client, clientSecret: 's3cret' });
    expect(requests[0]!.headers.get('authorization')).toBe(`Basic ${btoa('app:s3cret')}`);
    expect(requests[0]!.body.has('client_secret')).toBe(false);
  });

  it('a platform found by discovery takes the method its metadata lists', async () => {
    const issuer = 'https://sso.erp.example';
    const metadata = { issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, token_endpoint_auth_methods_supported: ['client_secret_post'] };
    const { deps, requests } = platform({ metadata, token: tokens() });
    const settings: OAuthSettings = { issuer, scopes: ['orders'], exchanges: ['secret'] };
    await createOAuthClient(deps).consent({ platformId: 'custom', settings, client: { clientId: 'app', exchange: 'secret' }, clientSecret: 's3cret' });
    expect(requests[0]!.body.get('client_secret')).toBe('s3cret');
    expect(requests[0]!.headers.has('authorization')).toBe(false);
  });

  it('Shopify: asks for an expiring offline token when it redeems the code, not when it refreshes', async () => {
    const { deps, requests } = platform({ token: tokens({ refresh_token_expires_in: 7_776_000 }) });
    const client: OAuthClient = { clientId: 'app', exchange: 'secret', endpointValues: { shop: 'beispiel-shop' } };
    const request = { platformId: 'shopify', settings: settingsFor(findPreset('shopify')!.oauth!, client), client, clientSecret: 's3cret' };
    await createOAuthClient(deps).consent(request);
    await createOAuthClient(deps).refresh(request, 'rt');
    expect(requests[0]!.url).toBe('https://beispiel-shop.myshopify.com/admin/oauth/access_token');
    expect(Object.fromEntries(requests[0]!.body)).toMatchObject({ expiring: '1', client_id: 'app', client_secret: 's3cret' });
    expect(requests[1]!.body.has('expiring')).toBe(false);
  });
});

describe('Microsoft Entra ID tenants', () => {
  const issuerOf = (tenant: string) => `https://login.microsoftonline.com/${tenant}/v2.0`;
  const metadataFor = (tenant: string, issuer: string) => ({
    issuer,
    authorization_endpoint: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`,
    token_endpoint: `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    code_challenge_methods_supported: ['S256'],
  });
  const now = Math.floor(Date.now() / 1000);
  const claims = (iss: string, tid: string) => ({ iss, tid, aud: 'app', sub: 'u1', iat: now, exp: now + 3600, preferred_username: 'anna@contoso.example' });
  const signIn = (tenant: string, metadata: object, idTokenClaims: object) => {
    const { deps, requests } = platform({ metadata, token: tokens({ id_token: idToken(idTokenClaims) }) });
    const client: OAuthClient = { clientId: 'app', exchange: 'public', endpointValues: { tenant } };
    const settings = resolveSettings(findPreset('microsoft')!.oauth!, client.endpointValues);
    return { requests, consent: createOAuthClient(deps).consent({ platformId: 'microsoft', settings, client }) };
  };

  it.each(['common', 'organizations'])('%s: the issuer template, and the ID token’s iss checked against its tid', async (tenant) => {
    const { consent, requests } = signIn(tenant, metadataFor(tenant, issuerOf('{tenantid}')), claims(issuerOf(TENANT), TENANT));
    expect((await consent).account).toBe('anna@contoso.example');
    expect(requests[0]!.url).toBe(`https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`);
  });

  it('a domain: metadata that names the tenant by its ID', async () => {
    const { consent } = signIn('contoso.onmicrosoft.com', metadataFor('contoso.onmicrosoft.com', issuerOf(TENANT)), claims(issuerOf(TENANT), TENANT));
    expect((await consent).account).toBe('anna@contoso.example');
  });

  it('a tenant ID: exactly its own issuer', async () => {
    const { consent } = signIn(TENANT, metadataFor(TENANT, issuerOf(TENANT)), claims(issuerOf(TENANT), TENANT));
    expect((await consent).account).toBe('anna@contoso.example');
  });

  it.each<[string, object]>([
    ['an iss of another tenant than its tid', claims(issuerOf(OTHER), TENANT)],
    ['a tid that is not a tenant ID', claims(issuerOf('common'), 'common')],
    ['the placeholder itself as iss', claims(issuerOf('{tenantid}'), TENANT)],
  ])('refuses an ID token with %s', async (_, idTokenClaims) => {
    const { consent } = signIn('organizations', metadataFor('organizations', issuerOf('{tenantid}')), idTokenClaims);
    await expect(consent).rejects.toMatchObject({ code: 'invalid-response', cause: { code: oauth.JWT_CLAIM_COMPARISON, cause: { claim: 'iss' } } });
  });

  it('refuses metadata for a tenant ID that names another tenant', async () => {
    const { consent } = signIn(TENANT, metadataFor(TENANT, issuerOf(OTHER)), claims(issuerOf(OTHER), OTHER));
    await expect(consent).rejects.toMatchObject({ code: 'platform-misconfigured' });
  });
});
