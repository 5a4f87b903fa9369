import { PRESETS } from './platforms';
import type { MessageKey, Texts } from '../i18n/texts';
import type { ExpiryRule } from '../expiry/rules';

export { PRESETS };

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
  /** Parts of the addresses each connection fills in: Shopify's {shop}, Microsoft's {tenant}, Zoho's {region}. */
  fields?: readonly { name: string; pattern: string }[];
}

/**
 * The settings with this connection's address parts filled in. A value that does
 * not match its pattern leaves the placeholder, which no URL check accepts.
 */
export function resolveSettings(settings: OAuthSettings, values: Readonly<Record<string, string>> = {}): OAuthSettings {
  const fields = settings.fields ?? [];
  if (fields.length === 0) return settings;
  const fill = (url: string | undefined) =>
    url?.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const field = fields.find((candidate) => candidate.name === name);
      const value = values[name];
      return field && value !== undefined && new RegExp(field.pattern).test(value) ? value : placeholder;
    });
  return {
    ...settings,
    ...(settings.issuer ? { issuer: fill(settings.issuer) } : {}),
    ...(settings.endpoints
      ? {
          endpoints: {
            authorization: fill(settings.endpoints.authorization)!,
            token: fill(settings.endpoints.token)!,
            ...(settings.endpoints.revocation ? { revocation: fill(settings.endpoints.revocation) } : {}),
          },
        }
      : {}),
  };
}

export interface PlatformPreset {
  id: string;
  /** English name; brand names stay as they are in every language. */
  name: string;
  /** A generic thing, not a brand: its name comes from the message catalogues (`platform_<id>`). */
  localizedName?: true;
  kind: PlatformKind;
  oauth?: OAuthSettings;
  /** When the refresh token, long-term token or key ends. */
  grantRule: ExpiryRule;
  /**
   * Where the rule comes from, so a user can judge the date. Built-in platforms keep
   * this note in the message catalogues (`rule_<id>`), in the user's language.
   */
  ruleSource?: string;
}

/** A platform the user added by its issuer or endpoints. */
export interface CustomPlatform extends PlatformPreset {
  kind: 'oauth';
  oauth: OAuthSettings;
  ruleSource: string;
  createdAt: number;
}

/** The note on where a platform's rule comes from, in the user's language for built-in platforms. */
export function ruleText(preset: Pick<PlatformPreset, 'id' | 'ruleSource'>, texts: Pick<Texts, 't'>): string {
  return preset.ruleSource ?? texts.t(`rule_${preset.id.replace(/-/g, '_')}` as MessageKey);
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

/** The preset's name in the user's language; brand names stay as they are. */
export function presetName(preset: Pick<PlatformPreset, 'id' | 'name' | 'localizedName'>, texts: Pick<Texts, 't'>): string {
  return preset.localizedName ? texts.t(`platform_${preset.id.replace(/-/g, '_')}` as MessageKey) : preset.name;
}
