/**
 * Look-alikes of the platforms whose preset names their endpoints (no discovery): Amazon, eBay,
 * Shopify, Google, Etsy, Intuit, Zoho and PayPal. None names an issuer in its callback.
 */
import { DAY, routes, withoutIss, type LookalikeProfile } from './lookalike-profile';

export const AMAZON_SELLING_PARTNER = 'A3SELLERTESTID';

/**
 * Amazon SP-API: consent on the region's Seller Central with application_id (and version=beta for
 * an app still in draft, refused for a published one), Login with Amazon's one token endpoint for
 * every region with client_secret_post.
 */
function amazon(presetId: string, sellerCentral: string, app: 'draft' | 'published'): LookalikeProfile {
  return {
    presetId,
    issuer: `https://${sellerCentral}`,
    hosts: [sellerCentral, 'api.amazon.com'],
    route: routes({ [`${sellerCentral}/apps/authorize/consent`]: '/auth', 'api.amazon.com/auth/o2/token': '/token' }, sellerCentral),
    clientAuth: 'client_secret_post',
    scopes: ['sellingpartnerapi'],
    accessTokenSeconds: 3600,
    refreshTokenSeconds: 365 * DAY,
    refuse(query) {
      if (!query.get('application_id')) return 'MD5101: application_id is missing';
      if (app === 'draft' && query.get('version') !== 'beta') return 'MD1000: the app is a draft, authorize it with version=beta';
      if (app === 'published' && query.has('version')) return 'a published app is authorized without version=beta';
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
}

/** The three regions' Seller Central; the North American app is a published one, the others are drafts. */
export const amazonLookalikes = [
  amazon('amazon-sp-api-eu', 'sellercentral.amazon.de', 'draft'),
  amazon('amazon-sp-api-na', 'sellercentral.amazon.com', 'published'),
  amazon('amazon-sp-api-fe', 'sellercentral.amazon.co.jp', 'draft'),
];

export const EBAY_RUNAME = 'Token_Watch-TokenWat-Shop-abcdefghi';
/** eBay's production and sandbox hosts; the sandbox takes the same scope URLs. */
const EBAY_PRODUCTION = { presetId: 'ebay', auth: 'auth.ebay.com', api: 'api.ebay.com' };
export const EBAY_SANDBOX = { presetId: 'ebay-sandbox', auth: 'auth.sandbox.ebay.com', api: 'api.sandbox.ebay.com' };
const EBAY_SCOPES = ['https://api.ebay.com/oauth/api_scope', 'https://api.ebay.com/oauth/api_scope/sell.fulfillment'];

/**
 * eBay: the RuName as redirect_uri (eBay sends the browser on to the accept URL registered under
 * it), scopes as full URLs, HTTP Basic, `token_type` "User Access Token", `refresh_token_expires_in`,
 * and `expires_in` appended to the callback.
 */
export function ebayLookalike(acceptUrl: string, { presetId, auth, api } = EBAY_PRODUCTION): LookalikeProfile {
  const toAcceptUrl = (params: URLSearchParams) => {
    if (params.get('redirect_uri') === EBAY_RUNAME) params.set('redirect_uri', acceptUrl);
  };
  return {
    presetId,
    issuer: `https://${auth}`,
    hosts: [auth, api],
    route: routes({ [`${auth}/oauth2/authorize`]: '/auth', [`${api}/identity/v1/oauth2/token`]: '/token' }, auth),
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
/** The QuickBooks company the look-alike's callback names (realmId). */
export const INTUIT_REALM = '9130350000000000';
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
      params.set('realmId', INTUIT_REALM);
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

