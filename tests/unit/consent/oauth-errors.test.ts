import * as oauth from 'oauth4webapi';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { classifyAuthorizationError, classifyLaunchError, classifyTokenError, type OAuthFailureCode } from '../../../utils/consent/oauth-errors';

const as: oauth.AuthorizationServer = { issuer: 'https://platform.example', token_endpoint: 'https://platform.example/token' };
const client: oauth.Client = { client_id: 'app' };

/** What oauth4webapi throws for a token response, classified. */
async function classified(response: Response) {
  try {
    await oauth.processRefreshTokenResponse(as, client, response);
  } catch (error) {
    return classifyTokenError(error);
  }
  throw new Error('the response was accepted');
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const html = (status: number, headers: Record<string, string> = {}) =>
  new Response('<html><body>Maintenance</body></html>', { status, headers: { 'content-type': 'text/html', ...headers } });
const rawJson = (status: number, body: string) => new Response(body, { status, headers: { 'content-type': 'application/json' } });

describe('token endpoint answers', () => {
  it.each<[string, () => Response, OAuthFailureCode, number | undefined]>([
    ['400 invalid_grant is terminal', () => json(400, { error: 'invalid_grant' }), 'grant-rejected', undefined],
    ['401 invalid_client is a configuration error', () => json(401, { error: 'invalid_client' }), 'client-rejected', undefined],
    ['400 invalid_request is the request, not the account', () => json(400, { error: 'invalid_request' }), 'request-rejected', undefined],
    ['400 invalid_scope is the request, not the account', () => json(400, { error: 'invalid_scope' }), 'request-rejected', undefined],
    ['400 unsupported_grant_type is the request, not the account', () => json(400, { error: 'unsupported_grant_type' }), 'request-rejected', undefined],
    ['400 with a code of the platform’s own is a refusal', () => json(400, { error: 'account_locked' }), 'consent-refused', undefined],
    ['400 with a code named like an object’s property is a refusal', () => json(400, { error: 'constructor' }), 'consent-refused', undefined],
    ['429 with an HTML page', () => html(429), 'rate-limited', undefined],
    ['429 with Retry-After', () => json(429, { error: 'slow_down' }, { 'retry-after': '120' }), 'rate-limited', 120],
    ['503 with an HTML page', () => html(503), 'platform-unavailable', undefined],
    ['400 with an HTML page is not invalid_grant', () => html(400), 'invalid-response', undefined],
    ['200 with an HTML page', () => html(200), 'invalid-response', undefined],
    ['200 with JSON that is no token response', () => json(200, { hello: 'world' }), 'invalid-response', undefined],
    ['a negative expires_in', () => json(200, { access_token: 'a', token_type: 'bearer', expires_in: -5 }), 'invalid-response', undefined],
    ['expires_in "abc"', () => json(200, { access_token: 'a', token_type: 'bearer', expires_in: 'abc' }), 'invalid-response', undefined],
    ['expires_in "NaN" (catalogue A3)', () => json(200, { access_token: 'a', token_type: 'bearer', expires_in: 'NaN' }), 'invalid-response', undefined],
    // JSON.parse reads 1e400 as Infinity: no lifetime at all, not one that never ends.
    ['expires_in 1e400 in the raw body (catalogue A3)', () => rawJson(200, '{"access_token":"a","token_type":"bearer","expires_in":1e400}'), 'invalid-response', undefined],
    ['503 with Retry-After in seconds (catalogue A13)', () => html(503, { 'retry-after': '300' }), 'platform-unavailable', 300],
    ['an unknown token_type', () => json(200, { access_token: 'a', token_type: 'User Access Token' }), 'invalid-response', undefined],
  ])('%s', async (_, response, code, retryAfterSeconds) => {
    const failure = await classified(response());
    expect(failure.code).toBe(code);
    expect(failure.details.retryAfterSeconds).toBe(retryAfterSeconds);
  });

  it('accepts expires_in as a string and "BEARER" in capitals', async () => {
    const result = await oauth.processRefreshTokenResponse(as, client, json(200, { access_token: 'a', token_type: 'BEARER', expires_in: '3600' }));
    expect(result.expires_in).toBe(3600);
  });

  it('treats being offline and a timeout as network trouble, never as invalid_grant', () => {
    expect(classifyTokenError(new TypeError('Failed to fetch')).code).toBe('network');
    expect(classifyTokenError(new DOMException('timed out', 'TimeoutError')).code).toBe('network');
  });

  describe('Retry-After as an HTTP date (catalogue A13)', () => {
    const NOW = Date.parse('2026-11-23T10:00:00Z');
    afterEach(() => {
      vi.useRealTimers();
    });

    it.each<[number, OAuthFailureCode]>([
      [429, 'rate-limited'],
      [503, 'platform-unavailable'],
    ])('%i: waits until the date the platform names', async (status, code) => {
      vi.useFakeTimers({ toFake: ['Date'], now: NOW });
      const failure = await classified(html(status, { 'retry-after': new Date(NOW + 90_000).toUTCString() }));
      expect(failure).toMatchObject({ code, details: { retryAfterSeconds: 90 } });
    });

    it('a date already past means no wait of its own, not a negative one', async () => {
      vi.useFakeTimers({ toFake: ['Date'], now: NOW });
      const failure = await classified(html(503, { 'retry-after': new Date(NOW - 3_600_000).toUTCString() }));
      expect(failure.details.retryAfterSeconds).toBe(0);
    });
  });

  it('keeps a 200 HTML page’s text out of the failure’s message and details (catalogue A9)', async () => {
    const page = '<html><body>Proxy error for refresh_token=rt-leaked-9f3c</body></html>';
    const failure = await classified(new Response(page, { status: 200, headers: { 'content-type': 'text/html' } }));
    expect(failure.code).toBe('invalid-response');
    expect(failure.message).toBe('invalid-response');
    expect(JSON.stringify(failure.details)).not.toMatch(/rt-leaked|Proxy error/);
    expect(String(failure)).not.toMatch(/rt-leaked|Proxy error/);
  });

  it('keeps the platform’s words out of the message', () => {
    const failure = classifyTokenError(new TypeError('refresh_token=rt-123 rejected'));
    expect(failure.message).toBe('network');
  });
});

describe('errors in the authorization redirect', () => {
  const redirect = (error: string) => {
    const url = new URL('https://extension.example/cb');
    url.search = new URLSearchParams({ error, state: 'st', iss: as.issuer }).toString();
    try {
      oauth.validateAuthResponse(as, client, url, 'st');
    } catch (thrown) {
      return classifyAuthorizationError(thrown).code;
    }
    throw new Error('the redirect was accepted');
  };

  it.each<[string, OAuthFailureCode]>([
    ['access_denied', 'cancelled'],
    ['temporarily_unavailable', 'platform-unavailable'],
    ['server_error', 'platform-unavailable'],
    ['unauthorized_client', 'client-rejected'],
    ['invalid_request', 'request-rejected'],
    ['invalid_scope', 'request-rejected'],
    ['unsupported_response_type', 'request-rejected'],
    ['login_required', 'consent-refused'],
  ])('%s is %s', (error, code) => {
    expect(redirect(error)).toBe(code);
  });
});

describe('launchWebAuthFlow refusals', () => {
  it.each<[string, OAuthFailureCode]>([
    ['The user did not approve access.', 'cancelled'],
    ['User cancelled or denied access.', 'cancelled'],
    ['Only one web auth flow is allowed at a time.', 'busy'],
    ['Authorization page could not be loaded.', 'platform-unavailable'],
    // Chrome's words in an incognito window (identity_constants.cc, kOffTheRecord) (catalogue B9).
    ['Identity API is disabled in incognito windows.', 'identity-unavailable'],
    ['Something nobody has seen before', 'failed'],
  ])('"%s" is %s', (message, code) => {
    expect(classifyLaunchError(new Error(message)).code).toBe(code);
  });
});
