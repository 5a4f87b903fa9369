import type { ExchangeMode, OAuthClient } from '../connection';
import type { ExpiryRule } from '../expiry/rules';
import type { MessageKey, Texts } from '../i18n/texts';
import { PRESETS } from './platforms';
import type { CustomPlatform, OAuthSettings, PlatformKind, PlatformPreset } from './types';

export { PRESETS };
export type * from './types';

/**
 * The settings with this connection's address parts filled in, in the addresses and the scopes.
 * A value that does not match its pattern leaves the placeholder, which no URL check accepts.
 */
export function resolveSettings(settings: OAuthSettings, values: Readonly<Record<string, string>> = {}): OAuthSettings {
  const fields = settings.fields ?? [];
  if (fields.length === 0) return settings;
  const fill = (url: string) =>
    url.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
      const field = fields.find((candidate) => candidate.name === name);
      const value = values[name];
      return field && value !== undefined && new RegExp(field.pattern).test(value) ? value : placeholder;
    });
  const { endpoints } = settings;
  return {
    ...settings,
    scopes: settings.scopes.map(fill),
    ...(settings.issuer ? { issuer: fill(settings.issuer) } : {}),
    ...(endpoints
      ? {
          endpoints: {
            authorization: fill(endpoints.authorization),
            token: fill(endpoints.token),
            ...(endpoints.revocation ? { revocation: fill(endpoints.revocation) } : {}),
          },
        }
      : {}),
  };
}

/** What one connection's consent asks for: its address parts filled in, and the API scopes it chose. */
export function settingsFor(settings: OAuthSettings, client: Pick<OAuthClient, 'endpointValues' | 'scopes'>): OAuthSettings {
  const resolved = resolveSettings(settings, client.endpointValues);
  const chosen = (client.scopes ?? []).filter((scope) => settings.scopeChoices?.includes(scope));
  return chosen.length > 0 ? { ...resolved, scopes: [...resolved.scopes, ...chosen] } : resolved;
}

/**
 * What a connection's app settings still lack for its platform, by the fields' names: the API
 * scopes it offers to choose (at least one, each one it offers), then each address part in the
 * form it asks for. None when the connection can sign in.
 */
export function missingAppSettings(oauth: OAuthSettings, client: Pick<OAuthClient, 'endpointValues' | 'scopes'>): string[] {
  const choices = oauth.scopeChoices;
  const chosen = client.scopes ?? [];
  const scopes = choices && (chosen.length === 0 || !chosen.every((scope) => choices.includes(scope))) ? ['client.scopes'] : [];
  const fields = (oauth.fields ?? []).filter(({ name, pattern }) => {
    const value = client.endpointValues?.[name]?.trim();
    return value === undefined || !new RegExp(pattern).test(value);
  });
  return [...scopes, ...fields.map(({ name }) => `client.endpointValues.${name}`)];
}

/** When a grant ends, for the way its code is redeemed (Microsoft's 24 hours when the extension does it). */
export function grantRuleFor(platform: Pick<PlatformPreset, 'grantRule' | 'grantRuleByExchange'>, exchange?: ExchangeMode): ExpiryRule {
  return (exchange && platform.grantRuleByExchange?.[exchange]) || platform.grantRule;
}

/** The note on where a platform's rule comes from, in the user's language for built-in platforms. */
export function ruleText(preset: Pick<PlatformPreset, 'id' | 'ruleSource'>, texts: Pick<Texts, 't'>): string {
  return preset.ruleSource ?? texts.t(catalogueKey('rule', preset.id));
}

/** The message of a catalogue text (catalogue/texts.ts): `rule_ebay_sandbox`, `platform_…`, `field_shop`. */
export function catalogueKey(kind: 'rule' | 'platform' | 'field', id: string): MessageKey {
  // The keys are written from the catalogue by `npm run catalogue`; a unit test checks each exists.
  return `${kind}_${id.replace(/-/g, '_')}` as MessageKey;
}

let presetsById: Map<string, PlatformPreset> | undefined;

export function findPreset(platformId: string): PlatformPreset | undefined {
  // Built at the first lookup: the background's catalogue is loaded after its modules (platforms.background.ts).
  if (PRESETS.length === 0) throw new Error('The platform catalogue is not loaded yet');
  presetsById ??= new Map(PRESETS.map((preset) => [preset.id, preset]));
  return presetsById.get(platformId);
}

export function findPlatform(platformId: string, custom: readonly CustomPlatform[]): PlatformPreset | undefined {
  return findPreset(platformId) ?? custom.find((platform) => platform.id === platformId);
}

/** The preset's name in the user's language; brand names stay as they are. */
export function presetName(preset: Pick<PlatformPreset, 'id' | 'name' | 'localizedName'>, texts: Pick<Texts, 't'>): string {
  return preset.localizedName ? texts.t(catalogueKey('platform', preset.id)) : preset.name;
}

/** What a page shows about a connection's platform. */
export interface PlatformSummary {
  id: string;
  name: string;
  kind: PlatformKind;
  ruleSource: string;
  /** For the date a renewed credential gets by default. */
  grantRule: ExpiryRule;
}

/** A platform as the pages show it; one no longer known is shown by its id, as a tracked date. */
export function platformSummary(platformId: string, texts: Pick<Texts, 't'>, custom: readonly CustomPlatform[] = []): PlatformSummary {
  const preset = findPlatform(platformId, custom);
  return preset
    ? { id: preset.id, name: presetName(preset, texts), kind: preset.kind, ruleSource: ruleText(preset, texts), grantRule: preset.grantRule }
    : { id: platformId, name: platformId, kind: 'tracked', ruleSource: '', grantRule: { kind: 'unknown' } };
}
