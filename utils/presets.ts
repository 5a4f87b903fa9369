import type { ExpiryRule } from './expiry-rules';

/** `oauth`: the extension can run the consent itself; `tracked`: it only knows a date. */
export type PlatformKind = 'oauth' | 'tracked';

export interface PlatformEndpoints {
  authorization: string;
  token: string;
  revocation?: string;
}

/**
 * How the authorization code becomes tokens. A secret inside an extension is
 * public (RFC 8252, section 8.5), so it is either not needed (`public`, PKCE
 * only), the user's own (`secret`, sealed at rest), or held by a backend (`broker`).
 */
export type ExchangeMode = 'public' | 'secret' | 'broker';

/** Everything platform-specific about the consent; the flow itself has no platform quirks. */
export interface OAuthSettings {
  /** Read endpoints by OIDC / RFC 8414 discovery from this issuer... */
  issuer?: string;
  /** ...or use these. */
  endpoints?: PlatformEndpoints;
  scopes: readonly string[];
  /** Extra authorization parameters, e.g. Google's access_type=offline and prompt=consent. */
  authorizationParams?: Readonly<Record<string, string>>;
  /** Non-standard token_type values the platform answers with (eBay: "User Access Token"). */
  tokenTypes?: readonly string[];
  /** Callback parameter names where the platform differs (Amazon: spapi_oauth_code, selling_partner_id). */
  callback?: { code?: string; account?: string };
  /** The documented access token lifetime, used (as an estimate) when a response leaves out expires_in. */
  accessTokenSeconds?: number;
  exchanges: readonly ExchangeMode[];
}

export interface PlatformPreset {
  id: string;
  /** English name; brand names stay as they are in every language. */
  name: string;
  /** Names of generic things in other languages, by language code. */
  localNames?: Readonly<Partial<Record<'de', string>>>;
  kind: PlatformKind;
  oauth?: OAuthSettings;
  /** When the refresh token, long-term token or key ends. */
  grantRule: ExpiryRule;
  /** Where the rule comes from, so a user can judge the date. */
  ruleSource: string;
}

export const PRESETS: readonly PlatformPreset[] = [
  {
    id: 'ebay',
    name: 'eBay',
    kind: 'oauth',
    oauth: {
      endpoints: {
        authorization: 'https://auth.ebay.com/oauth2/authorize',
        token: 'https://api.ebay.com/identity/v1/oauth2/token',
      },
      scopes: ['https://api.ebay.com/oauth/api_scope', 'https://api.ebay.com/oauth/api_scope/sell.fulfillment'],
      tokenTypes: ['User Access Token'],
      accessTokenSeconds: 7200,
      exchanges: ['secret', 'broker'],
    },
    grantRule: {
      kind: 'response-field',
      field: 'refresh_token_expires_in',
      otherwise: { kind: 'fixed', lifetime: { months: 18 } },
    },
    ruleSource:
      'eBay states the refresh token lifetime in refresh_token_expires_in (47,304,000 s = 18 months); without it, the documented 18 months from consent.',
  },
  {
    id: 'amazon-sp-api-eu',
    name: 'Amazon Seller Central (EU)',
    kind: 'oauth',
    oauth: {
      endpoints: {
        authorization: 'https://sellercentral.amazon.de/apps/authorize/consent',
        token: 'https://api.amazon.com/auth/o2/token',
      },
      scopes: [],
      callback: { code: 'spapi_oauth_code', account: 'selling_partner_id' },
      accessTokenSeconds: 3600,
      exchanges: ['secret', 'broker'],
    },
    grantRule: { kind: 'fixed', lifetime: { days: 365 } },
    ruleSource:
      'Amazon requires sellers to re-authorize a Selling Partner API application every 365 days; the refresh token states no expiry of its own.',
  },
  {
    id: 'datev',
    name: 'DATEV',
    kind: 'oauth',
    oauth: {
      issuer: 'https://login.datev.de/openid',
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      accessTokenSeconds: 900,
      exchanges: ['secret', 'broker'],
    },
    grantRule: { kind: 'fixed', lifetime: { months: 24 } },
    ruleSource:
      'DATEV documents two years for the long-term token (offline_access), one per DATEV company; whether each use restarts the two years is unconfirmed.',
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
      accessTokenSeconds: 3600,
      exchanges: ['secret', 'broker'],
    },
    grantRule: {
      kind: 'response-field',
      field: 'x_refresh_token_expires_in',
      otherwise: { kind: 'sliding', lifetime: { days: 100 }, hardCap: { months: 60 } },
    },
    ruleSource:
      'Intuit states the refresh token lifetime in x_refresh_token_expires_in; otherwise 100 days, restarted by each refresh, at most 5 years. The revocation endpoint is from secondary sources (verify).',
  },
  {
    id: 'lexware-office-api-key',
    name: 'Lexware Office API key',
    localNames: { de: 'Lexware Office API-Schlüssel' },
    kind: 'tracked',
    grantRule: { kind: 'fixed', lifetime: { months: 24 } },
    ruleSource: 'Lexware Office (lexoffice) deactivates a public API key at the latest 24 months after it was issued.',
  },
  {
    id: 'sevdesk-api-token',
    name: 'sevDesk API token',
    localNames: { de: 'sevDesk API-Token' },
    kind: 'tracked',
    grantRule: { kind: 'unknown' },
    ruleSource: 'sevDesk documents no expiry for API tokens.',
  },
  {
    id: 'other-software',
    name: 'Authorization held by other software',
    localNames: { de: 'Freigabe in anderer Software' },
    kind: 'tracked',
    grantRule: { kind: 'user-date' },
    ruleSource: 'The date your business software shows for this authorization, entered by you.',
  },
];

/** A platform the user added by its issuer or endpoints. */
export interface CustomPlatform extends PlatformPreset {
  kind: 'oauth';
  oauth: OAuthSettings;
  createdAt: number;
}

const PRESETS_BY_ID = new Map(PRESETS.map((preset) => [preset.id, preset]));

export function findPreset(platformId: string): PlatformPreset | undefined {
  return PRESETS_BY_ID.get(platformId);
}

export function findPlatform(
  platformId: string,
  custom: readonly CustomPlatform[],
): PlatformPreset | undefined {
  return PRESETS_BY_ID.get(platformId) ?? custom.find((platform) => platform.id === platformId);
}

/** The preset's name in the user's language ("de-AT" reads German). */
export function presetName(preset: Pick<PlatformPreset, 'name' | 'localNames'>, locale: string): string {
  const language = locale.slice(0, 2).toLowerCase();
  return (language === 'de' ? preset.localNames?.de : undefined) ?? preset.name;
}
