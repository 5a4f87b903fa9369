/**
 * What each built-in platform looks like to the extension, as data for lookalike-server.ts: its
 * host names and paths, its client authentication, what it refuses, and the quirks of its callback,
 * token response and metadata, each as the platform's own documentation describes it
 * (docs/platforms.md, "Proven against look-alikes").
 */
import type { LookalikeProfile } from './lookalike-server';

const DAY = 86_400;

/** Serves the provider's sign-in pages where it puts them, and the platform's endpoints at the platform's paths. */
function routes(paths: Record<string, string>, signInHost: string) {
  return (host: string, path: string): string | undefined => {
    const mapped = paths[`${host}${path}`];
    if (mapped) return mapped;
    return host === signInHost && /^\/(interaction|auth)\//.test(path) ? path : undefined;
  };
}

/** A platform without discovery names no issuer in its callback (RFC 9207 is not theirs). */
const withoutIss = (params: URLSearchParams) => params.delete('iss');

export const DATEV_CLIENT_SCOPE = 'datev:iam:client:455148-2';

/** DATEV: metadata at login.datev.de/openid; token, userinfo and revocation on its API host; PKCE and one client's long-term token required. */
export const datevLookalike: LookalikeProfile = {
  presetId: 'datev',
  issuer: 'https://login.datev.de/openid',
  hosts: ['login.datev.de', 'api.datev.de'],
  route(host, path) {
    if (host === 'api.datev.de') return { '/token': '/token', '/userinfo': '/me', '/revoke': '/token/revocation' }[path];
    // The login host serves the provider under /openid (its issuer's path) and its sign-in pages at the root.
    return path.startsWith('/openid/') ? path.slice('/openid'.length) : path.startsWith('/interaction/') ? path : undefined;
  },
  clientAuth: 'client_secret_basic',
  pkce: true,
  scopes: ['accounting:documents', DATEV_CLIENT_SCOPE],
  accessTokenSeconds: 900,
  refreshTokenSeconds: 730 * DAY,
  refuse(query) {
    const scopes = (query.get('scope') ?? '').split(' ');
    // DATEV issues no long-term token for a client the request does not name.
    if (!scopes.includes('offline_access') || !scopes.includes(DATEV_CLIENT_SCOPE)) return 'offline_access and the client scope are required';
  },
  metadata(body) {
    Object.assign(body, { token_endpoint: 'https://api.datev.de/token', userinfo_endpoint: 'https://api.datev.de/userinfo', revocation_endpoint: 'https://api.datev.de/revoke' });
  },
};

/** The directory (tenant) of the look-alike's users, and one of its domains. */
export const MICROSOFT_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const MICROSOFT_DOMAIN = 'contoso.example';
const MICROSOFT = 'https://login.microsoftonline.com';

/**
 * Microsoft Entra ID: discovery at /{tenant}/v2.0 for a tenant's ID, a domain, `common` or
 * `organizations`; the metadata's issuer names the tenant's ID, or `{tenantid}` for the last two;
 * ID tokens name the real tenant in `iss` and `tid`. Userinfo on graph.microsoft.com, no revocation.
 */
export const microsoftLookalike: LookalikeProfile = {
  presetId: 'microsoft',
  issuer: `${MICROSOFT}/${MICROSOFT_TENANT_ID}/v2.0`,
  hosts: ['login.microsoftonline.com', 'graph.microsoft.com'],
  route(host, path) {
    if (host === 'graph.microsoft.com') return path === '/oidc/userinfo' ? '/me' : undefined;
    if (/^\/(interaction|auth)\//.test(path)) return path;
    const endpoint = /^\/[^/]+\/oauth2\/v2\.0\/(authorize|token)$/.exec(path)?.[1];
    if (endpoint) return endpoint === 'authorize' ? '/auth' : '/token';
    return /^\/[^/]+\/v2\.0(\/.+)$/.exec(path)?.[1];
  },
  clientAuth: 'none',
  scopes: [],
  claims: { tid: MICROSOFT_TENANT_ID },
  claimsInIdToken: true,
  accessTokenSeconds: 3600,
  refreshTokenSeconds: DAY,
  callback: withoutIss,
  metadata(body, _host, path) {
    const tenant = path.split('/')[1]!;
    const issuer = ['common', 'organizations', 'consumers'].includes(tenant) ? `${MICROSOFT}/{tenantid}/v2.0` : `${MICROSOFT}/${MICROSOFT_TENANT_ID}/v2.0`;
    Object.assign(body, {
      issuer,
      authorization_endpoint: `${MICROSOFT}/${tenant}/oauth2/v2.0/authorize`,
      token_endpoint: `${MICROSOFT}/${tenant}/oauth2/v2.0/token`,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    });
    delete body.revocation_endpoint;
    delete body.authorization_response_iss_parameter_supported;
  },
};

export const AMAZON_SELLING_PARTNER = 'A3SELLERTESTID';

/** Amazon SP-API: consent on Seller Central with application_id (and version=beta for a draft app), LWA's token endpoint with client_secret_post. */
export const amazonLookalike: LookalikeProfile = {
  presetId: 'amazon-sp-api-eu',
  issuer: 'https://sellercentral.amazon.de',
  hosts: ['sellercentral.amazon.de', 'api.amazon.com'],
  route: routes({ 'sellercentral.amazon.de/apps/authorize/consent': '/auth', 'api.amazon.com/auth/o2/token': '/token' }, 'sellercentral.amazon.de'),
  clientAuth: 'client_secret_post',
  scopes: ['sellingpartnerapi'],
  accessTokenSeconds: 3600,
  refreshTokenSeconds: 365 * DAY,
  refuse(query) {
    if (!query.get('application_id')) return 'MD5101: application_id is missing';
    if (query.get('version') !== 'beta') return 'MD1000: the app is a draft, authorize it with version=beta';
    if (query.has('scope')) return 'the consent page takes no scope';
  },
  // The consent is for the app's whole registered access; the provider names it as a scope.
  toProvider: (params) => params.set('scope', 'sellingpartnerapi'),
  callback(params) {
    params.set('spapi_oauth_code', params.get('code')!);
    params.delete('code');
    params.delete('iss');
    params.set('selling_partner_id', AMAZON_SELLING_PARTNER);
    params.set('mws_auth_token', 'amzn.mws.4ea38b7b-f563-7709-4bae-87aeaEXAMPLE');
  },
  tokenResponse: (body) => delete body.scope,
};

export const EBAY_RUNAME = 'Token_Watch-TokenWat-Shop-abcdefghi';
const EBAY_SCOPES = ['https://api.ebay.com/oauth/api_scope', 'https://api.ebay.com/oauth/api_scope/sell.fulfillment'];

/**
 * eBay: the RuName as redirect_uri (eBay sends the browser on to the accept URL registered under
 * it), scopes as full URLs, HTTP Basic, `token_type` "User Access Token", `refresh_token_expires_in`,
 * and `expires_in` appended to the callback.
 */
export function ebayLookalike(acceptUrl: string): LookalikeProfile {
  const toAcceptUrl = (params: URLSearchParams) => {
    if (params.get('redirect_uri') === EBAY_RUNAME) params.set('redirect_uri', acceptUrl);
  };
  return {
    presetId: 'ebay',
    issuer: 'https://auth.ebay.com',
    hosts: ['auth.ebay.com', 'api.ebay.com'],
    route: routes({ 'auth.ebay.com/oauth2/authorize': '/auth', 'api.ebay.com/identity/v1/oauth2/token': '/token' }, 'auth.ebay.com'),
    clientAuth: 'client_secret_basic',
    scopes: EBAY_SCOPES,
    accessTokenSeconds: 7200,
    refreshTokenSeconds: 47_304_000,
    refuse(query) {
      if (query.get('redirect_uri') !== EBAY_RUNAME) return 'redirect_uri must be the RuName';
      if (!(query.get('scope') ?? '').split(' ').every((scope) => EBAY_SCOPES.includes(scope))) return 'invalid_scope';
    },
    toProvider: toAcceptUrl,
    callback(params) {
      params.delete('iss');
      params.set('expires_in', '299');
    },
    tokenResponse(body) {
      Object.assign(body, { token_type: 'User Access Token', refresh_token_expires_in: 47_304_000 });
      delete body.scope;
    },
  };
}

export const SHOPIFY_SHOP = 'mueller-moebel';
const SHOP_HOST = `${SHOPIFY_SHOP}.myshopify.com`;

/** Shopify: the shop's own host, client_secret_post, an expiring offline token with a 90-day refresh token only with expiring=1. */
export const shopifyLookalike: LookalikeProfile = {
  presetId: 'shopify',
  issuer: `https://${SHOP_HOST}`,
  hosts: [SHOP_HOST],
  route: routes({ [`${SHOP_HOST}/admin/oauth/authorize`]: '/auth', [`${SHOP_HOST}/admin/oauth/access_token`]: '/token' }, SHOP_HOST),
  clientAuth: 'client_secret_post',
  scopes: ['read_orders'],
  accessTokenSeconds: 3600,
  refreshTokenSeconds: 90 * DAY,
  callback(params) {
    params.delete('iss');
    params.set('shop', SHOP_HOST);
    params.set('host', Buffer.from(`admin.shopify.com/store/${SHOPIFY_SHOP}`).toString('base64url'));
    params.set('timestamp', '1764500000');
    params.set('hmac', 'a'.repeat(64));
  },
  tokenResponse(body) {
    // Shopify's answer names the scopes comma-separated and gives no token_type.
    Object.assign(body, { scope: 'read_orders', refresh_token_expires_in: 90 * DAY });
    delete body.token_type;
  },
};

/** A platform whose endpoints the preset names, answered at those paths. */
function plain(presetId: string, endpoints: { authorization: string; token: string }, rest: Omit<LookalikeProfile, 'presetId' | 'issuer' | 'hosts' | 'route'>): LookalikeProfile {
  const authorization = new URL(endpoints.authorization);
  const token = new URL(endpoints.token);
  return {
    presetId,
    issuer: authorization.origin,
    hosts: [...new Set([authorization.hostname, token.hostname])],
    route: routes({ [`${authorization.hostname}${authorization.pathname}`]: '/auth', [`${token.hostname}${token.pathname}`]: '/token' }, authorization.hostname),
    callback: withoutIss,
    ...rest,
  };
}

export const googleLookalike = plain(
  'google',
  { authorization: 'https://accounts.google.com/o/oauth2/v2/auth', token: 'https://oauth2.googleapis.com/token' },
  { clientAuth: 'client_secret_post', scopes: [], accessTokenSeconds: 3599, refreshTokenSeconds: 180 * DAY, claimsInIdToken: true },
);
export const etsyLookalike = plain(
  'etsy',
  { authorization: 'https://www.etsy.com/oauth/connect', token: 'https://api.etsy.com/v3/public/oauth/token' },
  { clientAuth: 'none', pkce: true, scopes: ['transactions_r', 'shops_r'], accessTokenSeconds: 3600, refreshTokenSeconds: 90 * DAY },
);
const XERO_IDENTITY = 'https://identity.xero.com';

/**
 * Xero: its sign-in page on login.xero.com, but its issuer (what its ID tokens name), metadata,
 * token, userinfo and revocation endpoints on identity.xero.com.
 */
export const xeroLookalike: LookalikeProfile = {
  presetId: 'xero',
  issuer: XERO_IDENTITY,
  hosts: ['login.xero.com', 'identity.xero.com'],
  route(host, path) {
    if (host === 'login.xero.com') return path === '/identity/connect/authorize' ? '/auth' : /^\/(interaction|auth)\//.test(path) ? path : undefined;
    const paths: Record<string, string> = {
      '/.well-known/openid-configuration': '/.well-known/openid-configuration',
      '/.well-known/openid-configuration/jwks': '/jwks',
      '/connect/token': '/token',
      '/connect/userinfo': '/me',
      '/connect/revocation': '/token/revocation',
    };
    return paths[path];
  },
  clientAuth: 'client_secret_basic',
  scopes: ['accounting.transactions'],
  accessTokenSeconds: 1800,
  refreshTokenSeconds: 60 * DAY,
  claimsInIdToken: true,
  callback: withoutIss,
  metadata(body) {
    Object.assign(body, {
      authorization_endpoint: 'https://login.xero.com/identity/connect/authorize',
      token_endpoint: `${XERO_IDENTITY}/connect/token`,
      userinfo_endpoint: `${XERO_IDENTITY}/connect/userinfo`,
      revocation_endpoint: `${XERO_IDENTITY}/connect/revocation`,
      jwks_uri: `${XERO_IDENTITY}/.well-known/openid-configuration/jwks`,
    });
    delete body.authorization_response_iss_parameter_supported;
  },
};
export const intuitLookalike = plain(
  'intuit-quickbooks',
  { authorization: 'https://appcenter.intuit.com/connect/oauth2', token: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer' },
  {
    clientAuth: 'client_secret_basic',
    scopes: ['com.intuit.quickbooks.accounting'],
    accessTokenSeconds: 3600,
    refreshTokenSeconds: 100 * DAY,
    // Intuit's callback names the company (realmId); its token response the refresh token's remaining seconds.
    callback(params) {
      params.delete('iss');
      params.set('realmId', '9130350000000000');
    },
    tokenResponse: (body) => Object.assign(body, { x_refresh_token_expires_in: 8_726_400 }),
  },
);
export const zohoLookalike = plain(
  'zoho',
  { authorization: 'https://accounts.zoho.eu/oauth/v2/auth', token: 'https://accounts.zoho.eu/oauth/v2/token' },
  {
    clientAuth: 'client_secret_post',
    scopes: ['ZohoBooks.fullaccess.all'],
    accessTokenSeconds: 3600,
    refreshTokenSeconds: 3650 * DAY,
    callback(params) {
      params.delete('iss');
      params.set('location', 'eu');
      params.set('accounts-server', 'https://accounts.zoho.eu');
    },
    tokenResponse: (body) => Object.assign(body, { api_domain: 'https://www.zohoapis.eu' }),
  },
);
export const paypalLookalike = plain(
  'paypal',
  { authorization: 'https://www.paypal.com/signin/authorize', token: 'https://api-m.paypal.com/v1/oauth2/token' },
  { clientAuth: 'client_secret_basic', scopes: [], accessTokenSeconds: 28_800, refreshTokenSeconds: 3650 * DAY },
);

/** Every look-alike, in the order the end-to-end test signs in; eBay's sends the browser on to `acceptUrl`. */
export function allLookalikes(acceptUrl: string): LookalikeProfile[] {
  return [datevLookalike, microsoftLookalike, amazonLookalike, ebayLookalike(acceptUrl), shopifyLookalike, googleLookalike, etsyLookalike, xeroLookalike, intuitLookalike, zohoLookalike, paypalLookalike];
}
