import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Page } from 'puppeteer-core';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendFromPage, sharedBrowsers, signInAtPlatform } from '../../scripts/lib/chromium';
import { CHROME_REDIRECT_URL } from '../../scripts/lib/local-platforms';
import { allLookalikes, AMAZON_SELLING_PARTNER, DATEV_CLIENT_SCOPE, EBAY_RUNAME, INTUIT_REALM, MICROSOFT_DOMAIN, SHOPIFY_SHOP } from '../../scripts/lib/lookalike-platforms';
import { startLookalikes, type ClientAuthentication, type Lookalike, type LookalikeServer } from '../../scripts/lib/lookalike-server';

/**
 * Signing in with each built-in preset itself, not a platform added by its address: a local
 * look-alike of the platform answers under the platform's real host names (Chromium's host
 * mapping), so the preset's own endpoints, scopes, parameters and client authentication are what
 * reach it, and its callback and token response come back with the platform's quirks.
 */
interface PresetCase {
  title: string;
  platformId: string;
  lookalike: string;
  label: string;
  /** The connection's app settings (and secret) for the look-alike's app. */
  client: (lookalike: Lookalike) => { client: { clientId: string } & Record<string, unknown>; clientSecret?: string };
  /** The hosts the popup asks for at the click, granted as a user would. */
  hosts: string[];
  /** Where the sign-in window opens. */
  signIn: string;
  /** Parameters the authorization request carries (null: leaves out). */
  authorization: Record<string, string | null>;
  scopes?: string[];
  /** The token endpoint's path, how the code exchange authenticates, and what its form carries. */
  token: { path: string; auth: ClientAuthentication; form?: Record<string, string> };
  /** Other requests the flow makes (discovery, userinfo), by host and path. */
  requests?: { host: string; path: string }[];
  /** A platform found by discovery: its metadata, read already when the connection is added (metadata-refresh.ts). */
  metadataAtAdd?: { host: string; path: string };
  /** Renews once with the refresh token (the row's refresh button), authenticated as the code exchange was. */
  refresh?: true;
  status: RegExp;
  /** The date line: where the date comes from. */
  date: RegExp | null;
  /** The row's account line: the label, and the account the platform named where it names one. */
  who: string;
}

const secret = (client: Record<string, unknown>) => (lookalike: Lookalike) => ({ client: { clientId: lookalike.clientId, exchange: 'secret', ...client }, clientSecret: lookalike.clientSecret });
const pkceOnly = (client: Record<string, unknown>) => (lookalike: Lookalike) => ({ client: { clientId: lookalike.clientId, exchange: 'public', ...client } });
/** The platform's confidential app (a web app with a secret) rather than its public one. */
const webApp = (client: Record<string, unknown>) => (lookalike: Lookalike) => ({
  client: { clientId: lookalike.confidential!.clientId, exchange: 'secret', ...client },
  clientSecret: lookalike.confidential!.clientSecret,
});
const FROM_PLATFORM = /^Expires on .+ \(date reported by the platform\)$/;
const DOCUMENTED = /^Expires on .+ \(estimated from the platform's documented lifetime\)$/;
const PKCE = { code_challenge_method: 'S256' };

/** DATEV and its sandbox: the same sign-in under another issuer path, with another API host. */
const datevCase = (platformId: 'datev' | 'datev-sandbox', issuerPath: string, apiHost: string): PresetCase => ({
  title: `${platformId === 'datev' ? 'DATEV' : 'DATEV sandbox'}: one client’s long-term token with Windows sign-in, metadata at login.datev.de${issuerPath}, Basic on ${apiHost}, two years`,
  platformId,
  lookalike: platformId,
  label: 'Mandant 2 Müller Bau GmbH',
  client: secret({ endpointValues: { consultant: '455148', client: '2' }, scopes: ['accounting:documents'] }),
  hosts: ['https://login.datev.de/*', `https://${apiHost}/*`],
  signIn: `https://login.datev.de${issuerPath}/`,
  authorization: { ...PKCE, enableWindowsSso: 'true', prompt: 'consent' },
  scopes: ['openid', 'profile', 'email', 'offline_access', DATEV_CLIENT_SCOPE, 'accounting:documents'],
  token: { path: '/token', auth: 'client_secret_basic' },
  // The DATEV user, read from the userinfo endpoint on the API host.
  requests: [{ host: 'login.datev.de', path: `${issuerPath}/.well-known/openid-configuration` }, { host: apiHost, path: '/userinfo' }],
  metadataAtAdd: { host: 'login.datev.de', path: `${issuerPath}/.well-known/openid-configuration` },
  status: /^Authenticated \(expires in 73[01] days\)$/,
  date: DOCUMENTED,
  // The DATEV client (consultant number-client number) the long-term token is for, beside the DATEV user from userinfo.
  who: 'Mandant 2 Müller Bau GmbH · 455148-2 · a.becker@example.com',
});

/** Amazon's regions: the consent on the region's Seller Central, the code redeemed at Login with Amazon's one token endpoint. */
const amazonCase = (platformId: string, sellerCentral: string, label: string, app: 'draft' | 'published'): PresetCase => ({
  title: `${label} (${sellerCentral}), ${app === 'draft' ? 'an app in draft: version=beta' : 'a published app: no version'}; application_id and state, no scope, spapi_oauth_code and selling_partner_id, client_secret_post at api.amazon.com, 365 days`,
  platformId,
  lookalike: platformId,
  label,
  client: secret({ authorizationParams: { application_id: 'amzn1.sp.solution.4711', ...(app === 'draft' ? { version: 'beta' } : {}) } }),
  hosts: ['https://api.amazon.com/*'],
  signIn: `https://${sellerCentral}/`,
  authorization: { application_id: 'amzn1.sp.solution.4711', version: app === 'draft' ? 'beta' : null, scope: null },
  refresh: true,
  token: { path: '/auth/o2/token', auth: 'client_secret_post', form: { grant_type: 'authorization_code', redirect_uri: CHROME_REDIRECT_URL } },
  status: /^Authenticated \(expires in 36[45] days\)$/,
  date: DOCUMENTED,
  who: `${label} · ${AMAZON_SELLING_PARTNER}`,
});

/** eBay and its sandbox: the RuName, scope URLs (the same in the sandbox) and HTTP Basic at the API host. */
const ebayCase = (platformId: 'ebay' | 'ebay-sandbox', auth: string, api: string): PresetCase => ({
  title: `${platformId === 'ebay' ? 'eBay' : 'eBay sandbox'}: consent at ${auth}, the RuName as redirect_uri, scopes as URLs, Basic at ${api}, "User Access Token" and refresh_token_expires_in, expires_in in the callback`,
  platformId,
  lookalike: platformId,
  label: 'Shop Berlin',
  client: secret({ redirectName: EBAY_RUNAME }),
  hosts: [`https://${api}/*`],
  signIn: `https://${auth}/`,
  authorization: { redirect_uri: EBAY_RUNAME },
  scopes: ['https://api.ebay.com/oauth/api_scope', 'https://api.ebay.com/oauth/api_scope/sell.fulfillment'],
  refresh: true,
  token: { path: '/identity/v1/oauth2/token', auth: 'client_secret_basic', form: { grant_type: 'authorization_code', redirect_uri: EBAY_RUNAME } },
  // 47,304,000 s: 547.5 days.
  status: /^Authenticated \(expires in 54[78] days\)$/,
  date: FROM_PLATFORM,
  // eBay's answer names no account: the row shows the label alone.
  who: 'Shop Berlin',
});

const CASES: PresetCase[] = [
  datevCase('datev', '/openid', 'api.datev.de'),
  datevCase('datev-sandbox', '/openidsandbox', 'sandbox-api.datev.de'),
  ...(['common', 'organizations', MICROSOFT_DOMAIN] as const).map(
    (tenant): PresetCase => ({
      title: `Microsoft, tenant ${tenant}: the metadata's issuer names the tenant, the ID token's iss is checked against its tid, 24 hours`,
      platformId: 'microsoft',
      lookalike: 'microsoft',
      label: `Tenant ${tenant}`,
      client: pkceOnly({ endpointValues: { tenant } }),
      hosts: ['https://login.microsoftonline.com/*', 'https://graph.microsoft.com/*'],
      signIn: 'https://login.microsoftonline.com/',
      authorization: { ...PKCE, prompt: 'consent' },
      scopes: ['openid', 'email', 'offline_access'],
      token: { path: `/${tenant}/oauth2/v2.0/token`, auth: 'none' },
      requests: [{ host: 'login.microsoftonline.com', path: `/${tenant}/v2.0/.well-known/openid-configuration` }],
      metadataAtAdd: { host: 'login.microsoftonline.com', path: `/${tenant}/v2.0/.well-known/openid-configuration` },
      status: /^Authenticated \(expires (in 1 day|today)\)$/,
      date: DOCUMENTED,
      who: `Tenant ${tenant} · a.becker@example.com`,
    }),
  ),
  amazonCase('amazon-sp-api-eu', 'sellercentral.amazon.de', 'Amazon.de', 'draft'),
  amazonCase('amazon-sp-api-na', 'sellercentral.amazon.com', 'Amazon.com', 'published'),
  amazonCase('amazon-sp-api-fe', 'sellercentral.amazon.co.jp', 'Amazon.co.jp', 'draft'),
  ebayCase('ebay', 'auth.ebay.com', 'api.ebay.com'),
  ebayCase('ebay-sandbox', 'auth.sandbox.ebay.com', 'api.sandbox.ebay.com'),
  {
    title: 'Microsoft, tenant contoso.example, a web app with a secret: the client authentication its metadata lists (HTTP Basic), 24 hours',
    platformId: 'microsoft',
    lookalike: 'microsoft',
    label: 'Contoso web app',
    client: webApp({ endpointValues: { tenant: MICROSOFT_DOMAIN } }),
    hosts: ['https://login.microsoftonline.com/*', 'https://graph.microsoft.com/*'],
    signIn: 'https://login.microsoftonline.com/',
    authorization: { ...PKCE, prompt: 'consent' },
    scopes: ['openid', 'email', 'offline_access'],
    // The preset names no method: the metadata lists client_secret_post, private_key_jwt and client_secret_basic, and Basic is taken (RFC 8414 section 2).
    token: { path: `/${MICROSOFT_DOMAIN}/oauth2/v2.0/token`, auth: 'client_secret_basic' },
    refresh: true,
    status: /^Authenticated \(expires (in 1 day|today)\)$/,
    date: DOCUMENTED,
    who: 'Contoso web app · a.becker@example.com',
  },
  {
    title: 'Shopify: the shop’s own host, client_secret_post with expiring=1, the refresh token’s 90 days from the response',
    platformId: 'shopify',
    lookalike: 'shopify',
    label: 'Möbel Müller',
    client: secret({ endpointValues: { shop: SHOPIFY_SHOP } }),
    hosts: [`https://${SHOPIFY_SHOP}.myshopify.com/*`],
    signIn: `https://${SHOPIFY_SHOP}.myshopify.com/`,
    authorization: { scope: 'read_orders' },
    refresh: true,
    token: { path: '/admin/oauth/access_token', auth: 'client_secret_post', form: { grant_type: 'authorization_code', expiring: '1' } },
    status: /^Authenticated \(expires in (89|90) days\)$/,
    date: FROM_PLATFORM,
    who: 'Möbel Müller',
  },
  {
    title: 'Google: access_type=offline and prompt=consent, client_secret_post, six months',
    platformId: 'google',
    lookalike: 'google',
    label: 'Workspace',
    client: secret({}),
    hosts: ['https://oauth2.googleapis.com/*'],
    signIn: 'https://accounts.google.com/',
    authorization: { ...PKCE, access_type: 'offline', prompt: 'consent', scope: 'openid email' },
    token: { path: '/token', auth: 'client_secret_post' },
    status: /^Authenticated \(expires in 1[78]\d days\)$/,
    date: DOCUMENTED,
    who: 'Workspace · a.becker@example.com',
  },
  {
    title: 'Etsy: a public client with PKCE, 90 days',
    platformId: 'etsy',
    lookalike: 'etsy',
    label: 'Etsy shop',
    client: pkceOnly({}),
    hosts: ['https://api.etsy.com/*'],
    signIn: 'https://www.etsy.com/',
    authorization: { ...PKCE, scope: 'transactions_r shops_r' },
    token: { path: '/v3/public/oauth/token', auth: 'none' },
    status: /^Authenticated \(expires in (89|90) days\)$/,
    date: DOCUMENTED,
    who: 'Etsy shop',
  },
  {
    title: 'Xero: signs in on login.xero.com, issuer, metadata and token endpoint on identity.xero.com, Basic, 60 days',
    platformId: 'xero',
    lookalike: 'xero',
    label: 'Xero org',
    client: secret({}),
    hosts: ['https://identity.xero.com/*'],
    signIn: 'https://login.xero.com/',
    authorization: { ...PKCE, prompt: 'consent' },
    scopes: ['openid', 'email', 'offline_access', 'accounting.transactions'],
    refresh: true,
    token: { path: '/connect/token', auth: 'client_secret_basic' },
    requests: [{ host: 'identity.xero.com', path: '/.well-known/openid-configuration' }],
    metadataAtAdd: { host: 'identity.xero.com', path: '/.well-known/openid-configuration' },
    status: /^Authenticated \(expires in (59|60) days\)$/,
    date: DOCUMENTED,
    who: 'Xero org · a.becker@example.com',
  },
  {
    title: 'Intuit QuickBooks: Basic, x_refresh_token_expires_in from the response',
    platformId: 'intuit-quickbooks',
    lookalike: 'intuit-quickbooks',
    label: 'QuickBooks company',
    client: secret({}),
    hosts: ['https://oauth.platform.intuit.com/*', 'https://developer.api.intuit.com/*'],
    signIn: 'https://appcenter.intuit.com/',
    authorization: { ...PKCE, scope: 'com.intuit.quickbooks.accounting' },
    refresh: true,
    token: { path: '/oauth2/v1/tokens/bearer', auth: 'client_secret_basic' },
    // 8,726,400 s: 101 days.
    status: /^Authenticated \(expires in 10[01] days\)$/,
    date: FROM_PLATFORM,
    // The QuickBooks company the callback names (realmId).
    who: `QuickBooks company · ${INTUIT_REALM}`,
  },
  {
    title: 'Zoho, data centre eu: access_type=offline, client_secret_post, expiry unknown',
    platformId: 'zoho',
    lookalike: 'zoho',
    label: 'Zoho Books',
    client: secret({ endpointValues: { region: 'eu' } }),
    hosts: ['https://accounts.zoho.eu/*'],
    signIn: 'https://accounts.zoho.eu/',
    authorization: { access_type: 'offline', prompt: 'consent', scope: 'ZohoBooks.fullaccess.all' },
    token: { path: '/oauth/v2/token', auth: 'client_secret_post' },
    status: /^Expiry date unknown$/,
    date: null,
    who: 'Zoho Books',
  },
  {
    title: 'PayPal: Basic, expiry unknown',
    platformId: 'paypal',
    lookalike: 'paypal',
    label: 'PayPal',
    client: secret({}),
    hosts: ['https://api-m.paypal.com/*'],
    signIn: 'https://www.paypal.com/',
    authorization: { scope: 'openid email' },
    token: { path: '/v1/oauth2/token', auth: 'client_secret_basic' },
    status: /^Expiry date unknown$/,
    date: null,
    // The ID token's subject: the preset names no userinfo endpoint to ask for more.
    who: 'PayPal · a.becker',
  },
];

/** A host name the look-alikes' certificate does not name, mapped to their server all the same. */
const UNNAMED_HOST = 'login.datev.example';
/** A host whose server shows a certificate that names it, signed by no authority the browser trusts. */
const SELF_SIGNED_HOST = 'api.ebay.example';

let server: LookalikeServer;
let selfSigned: Server;
/** How every browser of this file is launched: the platforms' hosts mapped to their look-alikes, and the test authority trusted. */
let launch: { lang: string; hostResolverRules: string; trustedAuthority: string };
const browsers = sharedBrowsers();

beforeAll(async () => {
  server = await startLookalikes(allLookalikes(CHROME_REDIRECT_URL), { redirectUris: [CHROME_REDIRECT_URL] });
  const pems = await generate([{ name: 'commonName', value: SELF_SIGNED_HOST }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: SELF_SIGNED_HOST }] }],
  });
  selfSigned = createServer({ key: pems.private, cert: pems.cert }, (_request, response) => response.end('{}'));
  await new Promise<void>((listening) => selfSigned.listen(0, '127.0.0.1', listening));
  const rules = [server.hostResolverRules, `MAP ${UNNAMED_HOST} 127.0.0.1:${server.port}`, `MAP ${SELF_SIGNED_HOST} 127.0.0.1:${(selfSigned.address() as AddressInfo).port}`];
  launch = { lang: 'en', hostResolverRules: rules.join(','), trustedAuthority: server.authority };
});
afterAll(async () => {
  await browsers.closeAll();
  await server.close();
  selfSigned.close();
});

async function ask<T>(page: Page, message: object): Promise<T> {
  const reply = (await sendFromPage(page, message)) as { ok: boolean; value?: T; error?: string };
  if (!reply.ok) throw new Error(`The extension refused ${JSON.stringify(message).slice(0, 80)}: ${reply.error}`);
  return reply.value as T;
}

describe('each OAuth preset signs in against a look-alike of its platform', () => {
  it.each(CASES)('$title', async (preset) => {
    const lookalike = server.lookalikes[preset.lookalike]!;
    const session = await browsers.session({ ...launch, siteAccess: preset.hosts });
    const popup = await session.openPopup();
    const asked = lookalike.otherRequests.length;
    const connection = await ask<{ id: string }>(popup, { type: 'connections/create', connection: { platformId: preset.platformId, label: preset.label, ...preset.client(lookalike) } });
    if (preset.metadataAtAdd) expect(lookalike.otherRequests.slice(asked)).toContainEqual({ ...preset.metadataAtAdd, status: 200 });
    // The hosts the popup asks for at the sign-in click, together.
    const { views } = await ask<{ views: { connection: { id: string }; hostOrigins: string[] }[] }>(popup, { type: 'connections/list' });
    expect(views.find((view) => view.connection.id === connection.id)!.hostOrigins).toEqual(preset.hosts);
    await popup.reload();
    await popup.waitForSelector('main.popup[aria-busy="false"]');
    const row = `li[data-connection-id="${connection.id}"]`;
    const text = (part: string) => popup.$eval(`${row} .connection__${part}`, (el) => el.textContent);
    const seen = lookalike.authorizationRequests.length;

    await popup.click(`${row} button[data-action="consent"]`);
    await signInAtPlatform(session, preset.signIn, { login: 'a.becker' });
    await popup.waitForSelector(`${row} .connection__feedback:not([data-kind="working"]):not(:empty)`, { timeout: 20_000 });
    const feedback = { kind: await popup.$eval(`${row} .connection__feedback`, (el) => el.getAttribute('data-kind')), text: await text('feedback') };
    expect(feedback).toEqual({ kind: 'success', text: expect.stringMatching(/^Signed in\./) });

    const authorization = lookalike.authorizationRequests[seen]!;
    expect(authorization.get('client_id')).toBe(preset.client(lookalike).client.clientId);
    // A fresh state each time (oauth4webapi: 32 random bytes), which the platform's callback must return.
    expect(authorization.get('state')).toMatch(/^[\w-]{43}$/);
    for (const [name, value] of Object.entries(preset.authorization)) expect([name, authorization.get(name)]).toEqual([name, value]);
    if (preset.scopes) expect(authorization.get('scope')!.split(' ').toSorted()).toEqual(preset.scopes.toSorted());
    const exchange = lookalike.tokenRequests.findLast((request) => request.form.grant_type === 'authorization_code')!;
    expect(exchange).toMatchObject({ path: preset.token.path, auth: preset.token.auth, status: 200, form: { ...preset.token.form } });
    for (const request of preset.requests ?? []) expect(lookalike.otherRequests).toContainEqual({ ...request, status: 200 });

    expect(await text('status')).toMatch(preset.status);
    if (preset.date) expect(await text('date')).toMatch(preset.date);
    else expect(await popup.$(`${row} .connection__date`)).toBeNull();
    expect(await text('who')).toBe(preset.who);

    if (!preset.refresh) return;
    const refreshed = () => lookalike.tokenRequests.find((request, index) => index > lookalike.tokenRequests.indexOf(exchange) && request.form.grant_type === 'refresh_token');
    await popup.click(`${row} button[data-action="refresh"]`);
    for (const deadline = Date.now() + 10_000; refreshed()?.status === undefined && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(refreshed()).toMatchObject({ path: preset.token.path, auth: preset.token.auth, status: 200 });
    await popup.waitForSelector(`${row} .connection__feedback[data-kind="success"]`);
    expect(await text('status')).toMatch(preset.status);
  });
});

describe('the look-alikes’ certificate, checked by the browser as any site’s', () => {
  /** Where a page of the test browser gets with this address: the status, or the network error. */
  async function open(url: string): Promise<string> {
    const session = await browsers.session({ ...launch, siteAccess: [] });
    const page = await session.browser.newPage();
    try {
      return String((await page.goto(url))?.status());
    } catch (error) {
      return /net::ERR_[A-Z_]+/.exec(String(error))?.[0] ?? String(error);
    } finally {
      await page.close();
    }
  }

  it('is accepted for a platform host it names', async () => {
    expect(await open('https://login.datev.de/openid/.well-known/openid-configuration')).toBe('200');
  });

  it('is refused for a host name it does not name, although the same server answers there', async () => {
    expect(await open(`https://${UNNAMED_HOST}/openid/.well-known/openid-configuration`)).toBe('net::ERR_CERT_COMMON_NAME_INVALID');
  });

  it('is the only one trusted: a certificate that names its host but comes from no trusted authority is refused', async () => {
    expect(await open(`https://${SELF_SIGNED_HOST}/`)).toBe('net::ERR_CERT_AUTHORITY_INVALID');
  });
});
