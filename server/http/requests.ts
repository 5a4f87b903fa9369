/**
 * What the extension sends the holder, checked field by field with the extension's own readers and
 * limits. A refusal names the field: `400 {"error":"invalid-input","field":"codeVerifier"}`.
 */
import type { Authorization } from '../../utils/consent/oauth-client';
import { fieldsOf, InvalidInputError, isAllowedUrl, readStringList, readStrings, readText, type ReadOptions } from '../../utils/records/fields';
import type { NewGrant } from '../grants/sign-in';

const MAX_CODE = 2_048;

function readToken(value: unknown, field: string, pattern: RegExp): string {
  if (typeof value !== 'string' || !pattern.test(value)) throw new InvalidInputError(field);
  return value;
}

/** A code and what redeems it, as the extension's `authorize` returned them. */
export function readAuthorization(input: unknown, options: ReadOptions): Authorization {
  const body = fieldsOf(input);
  const redirectUri = typeof body.redirectUri === 'string' && body.redirectUri.length <= MAX_CODE ? body.redirectUri : '';
  // A URL, or a name the platform registered instead of one (eBay's RuName).
  if (!isAllowedUrl(redirectUri, options) && !/^[\w.-]{1,300}$/.test(redirectUri)) throw new InvalidInputError('redirectUri');
  const iss = body.iss === undefined ? undefined : typeof body.iss === 'string' && body.iss.length <= MAX_CODE && URL.canParse(body.iss) ? body.iss : null;
  if (iss === null) throw new InvalidInputError('iss');
  return {
    code: readToken(body.code, 'code', new RegExp(`^[\\x21-\\x7e]{1,${MAX_CODE}}$`)),
    // RFC 7636, section 4.1.
    codeVerifier: readToken(body.codeVerifier, 'codeVerifier', /^[A-Za-z0-9._~-]{43,128}$/),
    redirectUri,
    ...(iss ? { iss } : {}),
    ...(body.account !== undefined ? { account: readText(body.account, 'account') } : {}),
  };
}

export function readNewGrant(input: unknown, options: ReadOptions): NewGrant {
  const body = fieldsOf(input);
  return {
    platformId: readToken(body.platformId, 'platformId', /^[A-Za-z0-9][\w-]{0,99}$/),
    label: readText(body.label, 'label'),
    ...(body.endpointValues !== undefined ? { endpointValues: readStrings(body.endpointValues, 'endpointValues') } : {}),
    // RFC 6749, section 3.3: a scope token is printable ASCII without space, `"` and `\`.
    ...(body.scopes !== undefined ? { scopes: readStringList(body.scopes, 'scopes', (scope) => /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) } : {}),
    authorization: readAuthorization(body.authorization, options),
  };
}
