/**
 * What each built-in platform looks like to the extension, as data for lookalike-server.ts: its
 * host names and paths, its client authentication, what it refuses, and the quirks of its callback,
 * token response and metadata, each as the platform's own documentation describes it
 * (docs/platforms.md, "Proven against look-alikes"). Here the platforms whose preset reads their
 * metadata (DATEV, Microsoft, Xero); those whose preset names their endpoints are in
 * lookalike-endpoints.ts.
 */
import { DAY, withoutIss, type LookalikeProfile } from './lookalike-profile';
import { amazonLookalikes, EBAY_SANDBOX, ebayLookalike, etsyLookalike, googleLookalike, intuitLookalike, paypalLookalike, shopifyLookalike, zohoLookalike } from './lookalike-endpoints';

export { AMAZON_SELLING_PARTNER, EBAY_RUNAME, INTUIT_REALM, SHOPIFY_SHOP } from './lookalike-endpoints';

export const DATEV_CLIENT_SCOPE = 'datev:iam:client:455148-2';

/**
 * DATEV: metadata at login.datev.de under the issuer's path (`/openid`, the sandbox's
 * `/openidsandbox`); token, userinfo and revocation on its API host; PKCE and one client's
 * long-term token required.
 */
function datev(presetId: string, issuerPath: string, apiHost: string): LookalikeProfile {
  const api = `https://${apiHost}`;
  return {
    presetId,
    issuer: `https://login.datev.de${issuerPath}`,
    hosts: ['login.datev.de', apiHost],
    route(host, path) {
      if (host === apiHost) return { '/token': '/token', '/userinfo': '/me', '/revoke': '/token/revocation' }[path];
      // The login host serves the provider under the issuer's path, its sign-in pages included.
      return path.startsWith(`${issuerPath}/`) ? path.slice(issuerPath.length) : undefined;
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
      Object.assign(body, { token_endpoint: `${api}/token`, userinfo_endpoint: `${api}/userinfo`, revocation_endpoint: `${api}/revoke` });
    },
  };
}

export const datevLookalike = datev('datev', '/openid', 'api.datev.de');
export const datevSandboxLookalike = datev('datev-sandbox', '/openidsandbox', 'sandbox-api.datev.de');

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
  // A web app registered with a secret as well; the method the extension takes comes from the metadata below.
  confidentialAuth: 'client_secret_basic',
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
/** Every look-alike, in the order the end-to-end test signs in; eBay's send the browser on to `acceptUrl`. */
export function allLookalikes(acceptUrl: string): LookalikeProfile[] {
  return [
    datevLookalike,
    datevSandboxLookalike,
    microsoftLookalike,
    ...amazonLookalikes,
    ebayLookalike(acceptUrl),
    ebayLookalike(acceptUrl, EBAY_SANDBOX),
    shopifyLookalike,
    googleLookalike,
    etsyLookalike,
    xeroLookalike,
    intuitLookalike,
    zohoLookalike,
    paypalLookalike,
  ];
}
