import { describe, expect, it } from 'vitest';
import { grantExpiry } from '../../../utils/expiry/rules';
import { findPreset, grantRuleFor, PRESETS, presetName, resolveSettings, ruleText, settingsFor } from '../../../utils/catalogue/presets';
import type { ExchangeMode } from '../../../utils/connection';
import { textsFor } from '../texts';

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

/** Each preset's rule, date by date: platform, consent, token response, expected end, its source. */
const RULE_CASES: [string, string, Record<string, unknown> | undefined, string | null, string][] = [
  ['ebay', '2025-05-23T12:00:00Z', { refresh_token_expires_in: 47_304_000 }, '2026-11-22T00:00:00.000Z', 'token-response'],
  ['ebay', '2025-05-23T12:00:00Z', {}, '2026-11-23T12:00:00.000Z', 'documented'],
  ['amazon-sp-api-eu', '2025-11-23T09:00:00Z', {}, '2026-11-23T09:00:00.000Z', 'documented'],
  ['amazon-sp-api-eu', '2024-02-29T09:00:00Z', {}, '2025-02-28T09:00:00.000Z', 'documented'],
  ['datev', '2024-11-23T09:00:00Z', {}, '2026-11-23T09:00:00.000Z', 'documented'],
  ['intuit-quickbooks', '2026-01-01T00:00:00Z', { x_refresh_token_expires_in: 8_640_000 }, '2026-04-11T00:00:00.000Z', 'token-response'],
  ['intuit-quickbooks', '2026-01-01T00:00:00Z', {}, '2026-04-11T00:00:00.000Z', 'documented'],
  ['ebay-sandbox', '2025-05-23T12:00:00Z', {}, '2026-11-23T12:00:00.000Z', 'documented'],
  ['amazon-sp-api-na', '2025-11-23T09:00:00Z', {}, '2026-11-23T09:00:00.000Z', 'documented'],
  ['amazon-sp-api-fe', '2025-11-23T09:00:00Z', {}, '2026-11-23T09:00:00.000Z', 'documented'],
  ['datev-sandbox', '2024-11-23T09:00:00Z', {}, '2026-11-23T09:00:00.000Z', 'documented'],
  ['shopify', '2026-01-01T00:00:00Z', { refresh_token_expires_in: 7_776_000 }, '2026-04-01T00:00:00.000Z', 'token-response'],
  ['shopify', '2026-01-01T00:00:00Z', {}, '2026-04-01T00:00:00.000Z', 'documented'],
  ['etsy', '2026-01-01T00:00:00Z', {}, '2026-04-01T00:00:00.000Z', 'documented'],
  ['google', '2026-01-31T00:00:00Z', {}, '2026-07-31T00:00:00.000Z', 'documented'],
  ['microsoft', '2026-01-01T00:00:00Z', {}, '2026-04-01T00:00:00.000Z', 'documented'],
  ['xero', '2026-01-01T00:00:00Z', {}, '2026-03-02T00:00:00.000Z', 'documented'],
  ['zoho', '2026-01-01T00:00:00Z', {}, null, 'unknown'],
  ['paypal', '2026-01-01T00:00:00Z', {}, null, 'unknown'],
  ['amazon-lwa-client-secret', '2026-01-01T00:00:00Z', undefined, '2026-06-30T00:00:00.000Z', 'documented'],
  ['lexware-office-api-key', '2025-03-31T00:00:00Z', undefined, '2027-03-31T00:00:00.000Z', 'documented'],
  ['sevdesk-api-token', '2025-03-31T00:00:00Z', undefined, null, 'unknown'],
  ['other-software', '2025-03-31T00:00:00Z', undefined, null, 'unknown'],
];

describe('the built-in presets', () => {
  it.each(RULE_CASES)('%s, consent %s, answer %j: %s (%s)', (id, consentedAt, tokenResponse, expected, source) => {
    const at = Date.parse(consentedAt);
    const expiry = grantExpiry(findPreset(id)!.grantRule, { consentedAt: at, receivedAt: at, tokenResponse });
    expect({ at: iso(expiry.at), source: expiry.source }).toEqual({ at: expected, source });
  });

  it('dates every preset’s rule above (the README’s catalogue table names this test as each rule’s proof)', () => {
    expect(new Set(RULE_CASES.map(([id]) => id))).toEqual(new Set(PRESETS.map((preset) => preset.id)));
  });

  it.each(PRESETS.map((preset) => [preset.id, preset] as const))('%s says where its rule comes from and can be renewed or tracked', (_, preset) => {
    // The note lives in both message catalogues (written from catalogue/texts.ts), in the user's language.
    expect(ruleText(preset, textsFor('en')).length).toBeGreaterThan(20);
    expect(ruleText(preset, textsFor('de'))).not.toBe(ruleText(preset, textsFor('en')));
    if (preset.kind === 'oauth') {
      expect(preset.oauth?.issuer ?? preset.oauth?.endpoints?.token).toMatch(/^https:\/\//);
      expect(preset.oauth!.exchanges.length).toBeGreaterThan(0);
      // A public client (PKCE only) only where the platform offers one: Etsy, Google (desktop clients), Microsoft (public clients), Xero (PKCE apps).
      const publicClients = ['etsy', 'google', 'microsoft', 'xero'];
      expect(preset.oauth!.exchanges.includes('public')).toBe(publicClients.includes(preset.id));
    }
  });

  it('carries the platforms’ quirks, so the flow has none', () => {
    expect(findPreset('ebay')!.oauth!.tokenTypes).toEqual(['User Access Token']);
    expect(findPreset('amazon-sp-api-eu')!.oauth!.callback).toEqual({ code: 'spapi_oauth_code', account: 'selling_partner_id' });
    expect(findPreset('datev')!.oauth!.scopes).toContain('offline_access');
    // The settings form asks for what the platform's data says, not for what an id suggests.
    expect(findPreset('ebay')!.oauth!.clientFields).toEqual([{ kind: 'redirectName' }]);
    expect(findPreset('amazon-sp-api-eu')!.oauth!.clientFields).toEqual([
      { kind: 'applicationId', param: 'application_id' },
      { kind: 'draft', param: 'version', value: 'beta' },
    ]);
  });

  it('lets only the eBay presets accept a token type other than bearer (catalogue A7)', () => {
    const otherTypes = PRESETS.filter((preset) => preset.oauth?.tokenTypes !== undefined).map((preset) => [preset.id, preset.oauth!.tokenTypes]);
    expect(otherTypes).toEqual([
      ['ebay', ['User Access Token']],
      ['ebay-sandbox', ['User Access Token']],
    ]);
  });

  it('fills in a connection’s own address parts, and refuses values that do not fit', () => {
    const shopify = findPreset('shopify')!.oauth!;
    expect(resolveSettings(shopify, { shop: 'beispiel-shop' }).endpoints!.token).toBe('https://beispiel-shop.myshopify.com/admin/oauth/access_token');
    expect(resolveSettings(shopify, { shop: 'evil.example/x?' }).endpoints!.token).toBe('https://{shop}.myshopify.com/admin/oauth/access_token');
    expect(resolveSettings(findPreset('microsoft')!.oauth!, { tenant: 'contoso.onmicrosoft.com' }).issuer).toBe('https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0');
    expect(resolveSettings(findPreset('zoho')!.oauth!, { region: 'eu' }).endpoints!.authorization).toBe('https://accounts.zoho.eu/oauth/v2/auth');
  });

  it('names generic things in German, brands as they are', () => {
    expect(presetName(findPreset('sevdesk-api-token')!, textsFor('de'))).toBe('sevDesk API-Token');
    expect(presetName(findPreset('ebay')!, textsFor('de'))).toBe('eBay');
    expect(presetName(findPreset('sevdesk-api-token')!, textsFor('en'))).toBe('sevDesk API token');
  });
});

describe('what a connection’s own settings add', () => {
  it('fills DATEV’s client into its scope and adds the APIs chosen among those it offers', () => {
    const settings = settingsFor(findPreset('datev')!.oauth!, {
      endpointValues: { consultant: '455148', client: '2' },
      scopes: ['accounting:documents', 'openid-not-offered'],
    });
    expect(settings.scopes).toEqual(['openid', 'profile', 'email', 'offline_access', 'datev:iam:client:455148-2', 'accounting:documents']);
  });

  it('leaves a platform without choices as it is', () => {
    expect(settingsFor(findPreset('etsy')!.oauth!, { scopes: ['anything'] }).scopes).toEqual(['transactions_r', 'shops_r']);
  });
});

describe('Microsoft’s rule by who redeems the code', () => {
  const consentedAt = Date.parse('2026-01-01T00:00:00Z');
  it.each<[ExchangeMode, string]>([
    // The extension's request carries its origin: a single-page application's refresh token, 24 hours from the sign-in.
    ['public', '2026-01-02T00:00:00.000Z'],
    ['secret', '2026-01-02T00:00:00.000Z'],
    // A server redeems it: 90 days, restarted by each refresh (here one hour after the sign-in).
    ['broker', '2026-04-01T01:00:00.000Z'],
  ])('%s, refreshed an hour after the sign-in: %s', (exchange, expected) => {
    const rule = grantRuleFor(findPreset('microsoft')!, exchange);
    expect(new Date(grantExpiry(rule, { consentedAt, refreshedAt: consentedAt + 3_600_000 }).at!).toISOString()).toBe(expected);
  });

  it('is the general rule for every other platform', () => {
    expect(grantRuleFor(findPreset('xero')!, 'public')).toBe(findPreset('xero')!.grantRule);
  });
});
