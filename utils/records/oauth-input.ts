/** What a connection's OAuth app and a platform added by its address are read as, and checked against. */
import { EXCHANGE_MODES, type Connection, type OAuthClient } from '../connection';
import { createConnection } from './new-connection';
import { missingAppSettings, PRESETS } from '../catalogue/presets';
import type { CustomPlatform, CustomPlatformInput, PlatformPreset } from '../catalogue/types';
import type { ExpiryRule } from '../expiry/rules';
import { fieldsOf, InvalidInputError, isRecord, MAX_TEXT, parseAddress, readStringList, readStrings, readText, readUrl, type ReadOptions } from './fields';

/** The address parts as given (strings only); which of them the platform needs, and their form, `checkClient` checks. */
function endpointValuesOf(value: unknown): { endpointValues?: Record<string, string> } {
  if (!isRecord(value)) return {};
  const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length <= MAX_TEXT);
  return { endpointValues: Object.fromEntries(entries) };
}

/** The public settings of an OAuth app, as entered; which of them the platform takes is `checkClient`'s question. */
export function readClient(input: unknown, options: ReadOptions = {}): OAuthClient {
  const client = fieldsOf(input);
  const exchange = EXCHANGE_MODES.find((mode) => mode === client.exchange);
  if (!exchange) throw new InvalidInputError('client.exchange');
  return {
    clientId: readText(client.clientId, 'client.clientId'),
    exchange,
    ...(exchange === 'broker' ? { brokerUrl: readUrl(client.brokerUrl, 'client.brokerUrl', options) } : {}),
    ...(client.redirectName !== undefined ? { redirectName: readText(client.redirectName, 'client.redirectName') } : {}),
    ...(client.authorizationParams !== undefined
      ? { authorizationParams: readStrings(client.authorizationParams, 'client.authorizationParams') }
      : {}),
    ...endpointValuesOf(client.endpointValues),
    ...(client.scopes !== undefined ? { scopes: readStringList(client.scopes, 'client.scopes') } : {}),
  };
}

/** The app's settings against its platform: a sign-in method it offers, and every address part it needs (Shopify's shop, …). */
export function checkClient(client: OAuthClient, platform: PlatformPreset | undefined): OAuthClient {
  if (!platform?.oauth) throw new InvalidInputError('platformId');
  if (!platform.oauth.exchanges.includes(client.exchange)) throw new InvalidInputError('client.exchange');
  const [missing] = missingAppSettings(platform.oauth, client);
  if (missing) throw new InvalidInputError(missing);
  const choices = platform.oauth.scopeChoices;
  const { endpointValues: given = {}, scopes: chosen = [], ...others } = client;
  // The API scopes a platform offers (DATEV): each once.
  if (new Set(chosen).size < chosen.length) throw new InvalidInputError('client.scopes');
  const rest = choices ? { ...others, scopes: chosen } : others;
  const fields = platform.oauth.fields ?? [];
  if (fields.length === 0) return rest;
  return { ...rest, endpointValues: Object.fromEntries(fields.map(({ name }) => [name, given[name]!.trim()])) };
}

/** Both steps at once, for input that is checked where it is used (import, policy). */
export function readOAuthClient(input: unknown, platform: PlatformPreset, options: ReadOptions = {}): OAuthClient {
  return checkClient(readClient(input, options), platform);
}

export interface NewOAuthConnection {
  platformId: string;
  label: string;
  account: string;
  client: OAuthClient;
  /** For `secret`: sealed by the background before it is stored, never kept in clear. */
  clientSecret?: string;
}

export function readNewConnection(input: unknown, options: ReadOptions = {}): NewOAuthConnection {
  if (!isRecord(input)) throw new InvalidInputError('connection');
  const client = readClient(input.client, options);
  const clientSecret = client.exchange === 'secret' ? readText(input.clientSecret, 'clientSecret') : undefined;
  return {
    platformId: readText(input.platformId, 'platformId'),
    label: readText(input.label, 'label'),
    account: readText(input.account, 'account', { required: false }),
    client,
    ...(clientSecret ? { clientSecret } : {}),
  };
}

/** A new OAuth connection waits for its first consent: "sign-in needed". */
export function newOAuthConnection(input: NewOAuthConnection, { id, now, actor }: { id: string; now: number; actor: string }): Connection {
  return createConnection(
    { platformId: input.platformId, label: input.label, account: input.account, requestedBy: actor, needsReconsent: true, client: input.client },
    { id, now },
  );
}

const RULE_KINDS: readonly ExpiryRule['kind'][] = ['fixed', 'sliding', 'response-field', 'user-date', 'unknown'];
const LIFETIME_UNITS = ['seconds', 'days', 'months'] as const;

function readLifetime(value: unknown, field: string) {
  const entries = Object.entries(fieldsOf(value));
  const [entry] = entries;
  const unit = LIFETIME_UNITS.find((candidate) => candidate === entry?.[0]);
  const amount = entry?.[1];
  if (entries.length !== 1 || !unit || typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0) {
    throw new InvalidInputError(field);
  }
  switch (unit) {
    case 'seconds':
      return { seconds: amount };
    case 'days':
      return { days: amount };
    case 'months':
      return { months: amount };
  }
}

function readRule(value: unknown, field: string): ExpiryRule {
  const candidate = fieldsOf(value);
  const kind = RULE_KINDS.find((known) => known === candidate.kind);
  switch (kind) {
    case undefined:
      throw new InvalidInputError(field);
    case 'fixed':
      return { kind, lifetime: readLifetime(candidate.lifetime, `${field}.lifetime`) };
    case 'sliding':
      return {
        kind,
        lifetime: readLifetime(candidate.lifetime, `${field}.lifetime`),
        ...(candidate.hardCap ? { hardCap: readLifetime(candidate.hardCap, `${field}.hardCap`) } : {}),
      };
    case 'response-field':
      return { kind, field: readText(candidate.field, `${field}.field`), otherwise: readRule(candidate.otherwise, `${field}.otherwise`) };
    default:
      return { kind };
  }
}

/** Cyrillic, Greek and other letters (in lower case) that look like Latin ones, and the Latin letters they look like. */
const LOOKALIKES = ['авекмнорстухѕіјԁαβεηικμνορτυχζϲıӏǀɪɩ', 'abekmhopctyxsijdabehikmnoptyxzcillli'] as const;

/**
 * Letters and digits only, in lower case, with compatibility forms and accents taken apart (NFKD,
 * the decomposition NFKC composes again, so marks drop out) and look-alike letters read as the
 * Latin ones: "D.A.T.E.V", "ＤＡＴＥＶ", "DÄTEV" and "DАTEV" with a Cyrillic А are all "datev".
 * Within Latin, what a sans-serif font shows alike reads as one: I, l, 1 and |, O and 0, "rn"
 * and m, "vv" and w, so "PayPaI" with a capital I and "Arnazon" are "paypal" and "amazon".
 */
const nameKey = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[I|]/g, 'l')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '')
    .replace(/./gu, (letter) => LOOKALIKES[1][LOOKALIKES[0].indexOf(letter)] ?? letter)
    .replace(/[1i]/g, 'l')
    .replace(/0/g, 'o')
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w');

/** A platform's name; never one of the catalogue's, so an added platform cannot pass itself off as DATEV or eBay. */
function readPlatformName(value: unknown): string {
  const name = readText(value, 'name');
  if (PRESETS.some((preset) => nameKey(preset.name) === nameKey(name))) throw new InvalidInputError('name');
  return name;
}

/** A platform added by hand or by its issuer; discovery is checked when it is first used. */
/** A platform's address: one that is an address, only not HTTPS, is refused as such rather than as a wrong entry. */
function readAddress(value: unknown, field: string, options: ReadOptions): string {
  try {
    return readUrl(value, field, options);
  } catch (error) {
    throw typeof value === 'string' && parseAddress(value) ? new InvalidInputError(field, 'discovery-insecure') : error;
  }
}

export function readCustomPlatformInput(input: unknown, options: ReadOptions = {}): CustomPlatformInput {
  if (!isRecord(input)) throw new InvalidInputError('platform');
  const oauth = fieldsOf(input.oauth);
  if (oauth.endpoints !== undefined && !isRecord(oauth.endpoints)) throw new InvalidInputError('oauth.endpoints.authorization');
  const endpoints = isRecord(oauth.endpoints) ? oauth.endpoints : undefined;
  if (!oauth.issuer && !endpoints) throw new InvalidInputError('oauth.issuer');
  // RFC 6749, section 3.3: a scope token is printable ASCII without space, `"` and `\`.
  const scopes = readStringList(oauth.scopes, 'oauth.scopes', (scope) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope));
  // In the order given: the settings form offers the first as the default.
  const exchanges = Array.isArray(oauth.exchanges) ? oauth.exchanges.flatMap((mode) => EXCHANGE_MODES.filter((known) => known === mode)) : [];
  if (!Array.isArray(oauth.exchanges) || exchanges.length === 0 || exchanges.length !== oauth.exchanges.length) {
    throw new InvalidInputError('oauth.exchanges');
  }
  return {
    name: readPlatformName(input.name),
    oauth: {
      ...(oauth.issuer !== undefined ? { issuer: readAddress(oauth.issuer, 'oauth.issuer', options) } : {}),
      ...(endpoints
        ? {
            endpoints: {
              authorization: readAddress(endpoints.authorization, 'oauth.endpoints.authorization', options),
              token: readAddress(endpoints.token, 'oauth.endpoints.token', options),
              ...(endpoints.revocation !== undefined ? { revocation: readAddress(endpoints.revocation, 'oauth.endpoints.revocation', options) } : {}),
            },
          }
        : {}),
      scopes,
      exchanges,
      ...(oauth.authorizationParams !== undefined
        ? { authorizationParams: readStrings(oauth.authorizationParams, 'oauth.authorizationParams') }
        : {}),
      ...(oauth.tokenTypes !== undefined ? { tokenTypes: readStringList(oauth.tokenTypes, 'oauth.tokenTypes') } : {}),
      // Host names only, as a URL writes them: each becomes a host permission `https://<host>/*`.
      ...(oauth.hosts !== undefined ? { hosts: readStringList(oauth.hosts, 'oauth.hosts', (host) => URL.parse(`https://${host}`)?.host === host) } : {}),
    },
    grantRule: readRule(input.grantRule, 'grantRule'),
    ruleSource: readText(input.ruleSource, 'ruleSource'),
  };
}

/** The platform as stored: the checked input with its id and the moment it was added. */
export function customPlatform(input: CustomPlatformInput, { id, now }: { id: string; now: number }): CustomPlatform {
  return { id, kind: 'oauth', ...input, createdAt: now };
}

export function readCustomPlatform(input: unknown, { id, now, ...options }: { id: string; now: number } & ReadOptions): CustomPlatform {
  return customPlatform(readCustomPlatformInput(input, options), { id, now });
}
