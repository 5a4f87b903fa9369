/**
 * The built-in platforms: how each signs in and when its authorization ends. Adding a platform
 * is one entry here and its words in texts.ts (the rule's source, in German and English); then
 * `npm run catalogue` writes them into the message catalogues, public/catalogue.json (what the
 * background reads instead of this file, see platforms.background.ts) and the table in
 * docs/platforms.md.
 */
import type { OAuthSettings, PlatformPreset } from './types';

const fixed = (months: number) => ({ kind: 'fixed', lifetime: { months } }) as const;
const sliding = (days: number) => ({ kind: 'sliding', lifetime: { days } }) as const;

function amazon(region: string, name: string, sellerCentral: string): PlatformPreset {
  return {
    id: `amazon-sp-api-${region}`,
    name: `Amazon Seller Central (${name})`,
    kind: 'oauth',
    oauth: {
      // One Login with Amazon token endpoint for every region: the one the SP-API names (Connecting to the
      // Selling Partner API). The regional hosts api.amazon.co.uk and api.amazon.co.jp appear in Amazon's
      // Data Portability documentation, not in the SP-API's.
      endpoints: { authorization: `https://${sellerCentral}/apps/authorize/consent`, token: 'https://api.amazon.com/auth/o2/token' },
      scopes: [],
      // Login with Amazon takes client_id and client_secret as form parameters.
      tokenAuth: 'client_secret_post',
      callback: { code: 'spapi_oauth_code', account: 'selling_partner_id' },
      accessTokenSeconds: 3600,
      exchanges: ['secret', 'broker'],
      clientFields: [
        { kind: 'applicationId', param: 'application_id' },
        // An app still in draft is authorized only with version=beta (Amazon's error MD1000 otherwise).
        { kind: 'draft', param: 'version', value: 'beta' },
      ],
    },
    grantRule: { kind: 'fixed', lifetime: { days: 365 } },
  };
}

function ebay(id: string, name: string, hosts: { auth: string; api: string }): PlatformPreset {
  const oauth: OAuthSettings = {
    endpoints: { authorization: `https://${hosts.auth}/oauth2/authorize`, token: `https://${hosts.api}/identity/v1/oauth2/token` },
    scopes: [`https://api.ebay.com/oauth/api_scope`, `https://api.ebay.com/oauth/api_scope/sell.fulfillment`],
    tokenTypes: ['User Access Token'],
    tokenAuth: 'client_secret_basic',
    accessTokenSeconds: 7200,
    exchanges: ['secret', 'broker'],
    clientFields: [{ kind: 'redirectName' }],
  };
  return {
    id,
    name,
    kind: 'oauth',
    oauth,
    grantRule: { kind: 'response-field', field: 'refresh_token_expires_in', otherwise: fixed(18) },
  };
}

/**
 * DATEV's online APIs a long-term token can be asked for. DATEV's own example names accounting:documents;
 * the others were not found on DATEV's pages reached: they are the scope names of DATEV's API
 * specifications as public integrations of its accounting APIs quote them.
 */
const DATEV_API_SCOPES = ['accounting:documents', 'accounting:clients:read', 'accounting:dxso-jobs', 'datev:accounting:clients', 'datev:accounting:extf-files-import'];

function datev(id: string, name: string, issuer: string, apiHost: string): PlatformPreset {
  return {
    id,
    name,
    kind: 'oauth',
    oauth: {
      issuer,
      // DATEV's metadata sends token, userinfo and revocation requests to its API host.
      hosts: [apiHost],
      // A long-term token serves one DATEV client (Mandant): consultant number and client number.
      fields: [
        { name: 'consultant', pattern: '^[0-9]{1,7}$' },
        { name: 'client', pattern: '^[0-9]{1,5}$' },
      ],
      scopes: ['openid', 'profile', 'email', 'offline_access', 'datev:iam:client:{consultant}-{client}'],
      // The DATEV client (Mandant) the long-term token is for, beside the DATEV user that signed in.
      accountScope: 'datev:iam:client:',
      scopeChoices: DATEV_API_SCOPES,
      // Users of DATEV's communication server sign in with their Windows account only with this.
      authorizationParams: { enableWindowsSso: 'true' },
      accessTokenSeconds: 900,
      exchanges: ['secret', 'broker'],
    },
    grantRule: fixed(24),
  };
}

export const PRESETS: readonly PlatformPreset[] = [
  ebay('ebay', 'eBay', { auth: 'auth.ebay.com', api: 'api.ebay.com' }),
  ebay('ebay-sandbox', 'eBay (sandbox)', { auth: 'auth.sandbox.ebay.com', api: 'api.sandbox.ebay.com' }),
  amazon('eu', 'EU', 'sellercentral.amazon.de'),
  amazon('na', 'North America', 'sellercentral.amazon.com'),
  amazon('fe', 'Far East', 'sellercentral.amazon.co.jp'),
  datev('datev', 'DATEV', 'https://login.datev.de/openid', 'api.datev.de'),
  datev('datev-sandbox', 'DATEV (sandbox)', 'https://login.datev.de/openidsandbox', 'sandbox-api.datev.de'),
  {
    id: 'shopify',
    name: 'Shopify',
    kind: 'oauth',
    oauth: {
      endpoints: { authorization: 'https://{shop}.myshopify.com/admin/oauth/authorize', token: 'https://{shop}.myshopify.com/admin/oauth/access_token' },
      fields: [
        {
          name: 'shop',
          pattern: '^[a-z0-9][a-z0-9-]{0,62}$',
        },
      ],
      scopes: ['read_orders'],
      tokenAuth: 'client_secret_post',
      // An expiring offline token (60 minutes) with a refresh token; without it the token never expires.
      codeExchangeParams: { expiring: '1' },
      // Shopify's token response lists access_token, scope, expires_in, refresh_token and refresh_token_expires_in only.
      omitsTokenType: true,
      accessTokenSeconds: 3600,
      exchanges: ['secret', 'broker'],
    },
    grantRule: { kind: 'response-field', field: 'refresh_token_expires_in', otherwise: sliding(90) },
  },
  {
    id: 'etsy',
    name: 'Etsy',
    kind: 'oauth',
    oauth: {
      endpoints: { authorization: 'https://www.etsy.com/oauth/connect', token: 'https://api.etsy.com/v3/public/oauth/token' },
      scopes: ['transactions_r', 'shops_r'],
      tokenAuth: 'none',
      accessTokenSeconds: 3600,
      exchanges: ['public', 'broker'],
    },
    grantRule: sliding(90),
  },
  {
    id: 'google',
    name: 'Google',
    kind: 'oauth',
    oauth: {
      endpoints: {
        authorization: 'https://accounts.google.com/o/oauth2/v2/auth',
        token: 'https://oauth2.googleapis.com/token',
        revocation: 'https://oauth2.googleapis.com/revoke',
      },
      scopes: ['openid', 'email'],
      authorizationParams: { access_type: 'offline', prompt: 'consent' },
      tokenAuth: 'client_secret_post',
      accessTokenSeconds: 3600,
      exchanges: ['public', 'secret', 'broker'],
    },
    grantRule: { kind: 'sliding', lifetime: { months: 6 } },
  },
  {
    id: 'microsoft',
    name: 'Microsoft Entra ID',
    kind: 'oauth',
    oauth: {
      issuer: 'https://login.microsoftonline.com/{tenant}/v2.0',
      tenantIssuer: true,
      // The userinfo endpoint in Microsoft's metadata.
      hosts: ['graph.microsoft.com'],
      fields: [{ name: 'tenant', pattern: '^[A-Za-z0-9.-]{1,100}$' }],
      scopes: ['openid', 'email', 'offline_access'],
      accessTokenSeconds: 3600,
      exchanges: ['public', 'secret', 'broker'],
    },
    // A server redeems the code: 90 days, restarted by each refresh.
    grantRule: sliding(90),
    // The extension's request carries its Origin, which Microsoft accepts only for a redirect
    // registered as a single-page application, and then for refresh tokens that end 24 hours
    // after the sign-in, however often they are used.
    grantRuleByExchange: { public: { kind: 'fixed', lifetime: { days: 1 } }, secret: { kind: 'fixed', lifetime: { days: 1 } } },
  },
  {
    id: 'xero',
    name: 'Xero',
    kind: 'oauth',
    oauth: {
      // Xero's ID tokens name identity.xero.com, not the sign-in host: its metadata there gives every endpoint.
      issuer: 'https://identity.xero.com',
      scopes: ['openid', 'email', 'offline_access', 'accounting.transactions'],
      tokenAuth: 'client_secret_basic',
      accessTokenSeconds: 1800,
      exchanges: ['public', 'secret', 'broker'],
    },
    grantRule: sliding(60),
  },
  {
    id: 'intuit-quickbooks',
    name: 'Intuit QuickBooks',
    kind: 'oauth',
    oauth: {
      endpoints: {
        authorization: 'https://appcenter.intuit.com/connect/oauth2',
        token: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
        revocation: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
      },
      scopes: ['com.intuit.quickbooks.accounting'],
      // The QuickBooks company the grant is for, named by the callback.
      callback: { account: 'realmId' },
      tokenAuth: 'client_secret_basic',
      accessTokenSeconds: 3600,
      exchanges: ['secret', 'broker'],
    },
    grantRule: {
      kind: 'response-field',
      field: 'x_refresh_token_expires_in',
      otherwise: { kind: 'sliding', lifetime: { days: 100 }, hardCap: { months: 60 } },
    },
  },
  {
    id: 'zoho',
    name: 'Zoho',
    kind: 'oauth',
    oauth: {
      endpoints: {
        authorization: 'https://accounts.zoho.{region}/oauth/v2/auth',
        token: 'https://accounts.zoho.{region}/oauth/v2/token',
        revocation: 'https://accounts.zoho.{region}/oauth/v2/token/revoke',
      },
      fields: [
        { name: 'region', pattern: '^(com|eu|in|com\\.au|jp)$' },
      ],
      scopes: ['ZohoBooks.fullaccess.all'],
      authorizationParams: { access_type: 'offline', prompt: 'consent' },
      tokenAuth: 'client_secret_post',
      accessTokenSeconds: 3600,
      exchanges: ['secret', 'broker'],
    },
    grantRule: { kind: 'unknown' },
  },
  {
    id: 'paypal',
    name: 'PayPal',
    kind: 'oauth',
    oauth: {
      endpoints: { authorization: 'https://www.paypal.com/signin/authorize', token: 'https://api-m.paypal.com/v1/oauth2/token' },
      scopes: ['openid', 'email'],
      tokenAuth: 'client_secret_basic',
      exchanges: ['secret', 'broker'],
    },
    grantRule: { kind: 'unknown' },
  },
  {
    id: 'amazon-lwa-client-secret',
    name: 'Amazon LWA client secret',
    localizedName: true,
    kind: 'tracked',
    grantRule: { kind: 'fixed', lifetime: { days: 180 } },
  },
  {
    id: 'lexware-office-api-key',
    name: 'Lexware Office API key',
    localizedName: true,
    kind: 'tracked',
    grantRule: fixed(24),
  },
  {
    id: 'sevdesk-api-token',
    name: 'sevDesk API token',
    localizedName: true,
    kind: 'tracked',
    grantRule: { kind: 'unknown' },
  },
  {
    id: 'other-software',
    name: 'Authorization held by other software',
    localizedName: true,
    kind: 'tracked',
    grantRule: { kind: 'user-date' },
  },
];
