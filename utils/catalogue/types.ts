import type { ExchangeMode } from '../connection';
import type { ExpiryRule } from '../expiry/rules';

/** `oauth`: the extension can run the consent itself; `tracked`: it only knows a date. */
export type PlatformKind = 'oauth' | 'tracked';

export interface PlatformEndpoints {
  authorization: string;
  token: string;
  revocation?: string;
}

/**
 * A part of the platform's addresses or scopes that each connection fills in: Shopify's {shop},
 * Microsoft's {tenant}, the DATEV client in `datev:iam:client:{consultant}-{client}`.
 */
export interface EndpointField {
  name: string;
  /** Its form label is the message `field_<name>` (catalogue/texts.ts). */
  pattern: string;
}

/** A setting of the app at the platform that only some platforms have; the form asks for it. */
export type ClientField =
  /** The redirect_uri value when the platform registers a name instead of a URL (eBay's RuName). */
  | { kind: 'redirectName' }
  /** The app's id, sent in the consent URL under the platform's own parameter name (Amazon: application_id). */
  | { kind: 'applicationId'; param: string }
  /** A draft app at the platform, marked by one more consent parameter (Amazon: version=beta while the app is unpublished). */
  | { kind: 'draft'; param: string; value: string };

/**
 * How the token endpoint knows the app (RFC 7591, section 2): its secret in the Authorization
 * header, in the form body, or no secret at all (PKCE only).
 */
export type TokenAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

/** Everything platform-specific about the consent; the flow itself has no platform quirks. */
export interface OAuthSettings {
  /** Read endpoints by OIDC / RFC 8414 discovery from this issuer... */
  issuer?: string;
  /** ...or use these. */
  endpoints?: PlatformEndpoints;
  scopes: readonly string[];
  /** API scopes a connection chooses among, added to `scopes` (DATEV: accounting:documents, …). */
  scopeChoices?: readonly string[];
  /**
   * How the app authenticates when the connection holds its secret. Left out, a platform found by
   * discovery takes the first of client_secret_basic and client_secret_post its metadata lists.
   */
  tokenAuth?: TokenAuthMethod;
  /**
   * Microsoft: the metadata's issuer names the tenant (its ID, or the `{tenantid}` placeholder for
   * `common` and `organizations`) rather than the address asked, and an ID token's `iss` is
   * checked against its own `tid`.
   */
  tenantIssuer?: true;
  /**
   * Hosts other than the issuer's that a platform found by discovery sends the flow to (token,
   * userinfo, revocation), so that access to all of them is asked for at the one click.
   */
  hosts?: readonly string[];
  /** Extra authorization parameters, e.g. Google's access_type=offline and prompt=consent. */
  authorizationParams?: Readonly<Record<string, string>>;
  /** Parameters the code exchange adds (Shopify: expiring=1, without which its offline token never expires and has no refresh token). */
  codeExchangeParams?: Readonly<Record<string, string>>;
  /** Non-standard token_type values the platform answers with (eBay: "User Access Token"). */
  tokenTypes?: readonly string[];
  /** The platform's token responses name no token_type at all (Shopify); they carry bearer tokens. */
  omitsTokenType?: true;
  /**
   * The scope that names whose data a grant is for, by this prefix (DATEV: `datev:iam:client:`, then
   * consultant number-client number): the rest is shown on the account line before the signed-in user.
   */
  accountScope?: string;
  /** Callback parameter names where the platform differs (Amazon: spapi_oauth_code, selling_partner_id). */
  callback?: { code?: string; account?: string };
  /** The documented access token lifetime, used (as an estimate) when a response leaves out expires_in. */
  accessTokenSeconds?: number;
  exchanges: readonly ExchangeMode[];
  fields?: readonly EndpointField[];
  /** The app settings this platform needs beyond the client id. */
  clientFields?: readonly ClientField[];
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
  /** Where the rule depends on who redeems the code (Microsoft: 24 hours when the extension does). */
  grantRuleByExchange?: Partial<Record<ExchangeMode, ExpiryRule>>;
  /**
   * Where the rule comes from, so a user can judge the date: for a platform the user added, in
   * their words; built-in platforms keep it in the message catalogues (`rule_<id>`, catalogue/texts.ts).
   */
  ruleSource?: string;
}

/** A platform the user added by its issuer or endpoints. */
export interface CustomPlatform extends PlatformPreset {
  kind: 'oauth';
  oauth: OAuthSettings;
  ruleSource: string;
  createdAt: number;
  /** When its metadata was last asked for (platforms added by their issuer), whatever the answer: read again a day later. */
  metadataCheckedAt?: number;
}

/** What the settings page sends to add a platform; the background gives it an id and a date. */
export type CustomPlatformInput = Omit<CustomPlatform, 'id' | 'kind' | 'createdAt' | 'localizedName'>;
