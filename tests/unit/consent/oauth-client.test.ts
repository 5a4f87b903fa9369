import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OAuthClient } from '../../../utils/connection';
import { createOAuthClient, type OAuthDeps } from '../../../utils/consent/oauth-client';
import { findPreset, type OAuthSettings } from '../../../utils/catalogue/presets';

const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
const SETTINGS: OAuthSettings = {
  endpoints: { authorization: 'https://platform.example/authorize', token: 'https://platform.example/token', revocation: 'https://platform.example/revoke' },
  scopes: ['orders', 'offline_access'],
  authorizationParams: { access_type: 'offline', prompt: 'consent' },
  exchanges: ['public', 'secret', 'broker'],
};
const PUBLIC: OAuthClient = { clientId: 'app', exchange: 'public' };
const tokenJson = (body: object = {}) =>
  new Response(JSON.stringify({ access_token: 'at', token_type: 'bearer', expires_in: 3600, refresh_token: 'rt', ...body }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });

/** A platform that answers the callback it is told to, and records what it was sent. */
function fakes({ callback, token = () => tokenJson() }: { callback: (authUrl: URL) => string; token?: () => Response }) {
  const requests: { url: string; body: string; headers: Headers }[] = [];
  const deps: OAuthDeps = {
    redirectUrl: REDIRECT,
    fetch: vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push({ url: String(input instanceof Request ? input.url : input), body: init?.body instanceof URLSearchParams ? init.body.toString() : typeof init?.body === 'string' ? init.body : '', headers: new Headers(init?.headers) });
      return token();
    }) as typeof fetch,
    launchWebAuthFlow: vi.fn(async ({ url }) => callback(new URL(url))),
  };
  return { deps, requests };
}

const echoState = (extra = '') => (url: URL) => `${REDIRECT}?code=the-code&state=${url.searchParams.get('state')}${extra}`;

describe('the consent request', () => {
  it('asks with PKCE S256, a fresh state, the scopes and the platform’s parameters', async () => {
    const { deps } = fakes({ callback: echoState() });
    await createOAuthClient(deps).consent({ platformId: 'p', settings: SETTINGS, client: PUBLIC });
    const url = new URL(vi.mocked(deps.launchWebAuthFlow).mock.calls[0]![0].url);
    expect(url.origin + url.pathname).toBe('https://platform.example/authorize');
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: 'app',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'orders offline_access',
      code_challenge_method: 'S256',
      access_type: 'offline',
      prompt: 'consent',
    });
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(vi.mocked(deps.launchWebAuthFlow).mock.calls[0]![0].interactive).toBe(true);
  });

  it('asks for consent whenever it asks for offline_access (OpenID Connect Core, section 11)', async () => {
    const { deps } = fakes({ callback: echoState() });
    const settings = { ...SETTINGS, authorizationParams: undefined };
    await createOAuthClient(deps).consent({ platformId: 'p', settings, client: PUBLIC });
    expect(new URL(vi.mocked(deps.launchWebAuthFlow).mock.calls[0]![0].url).searchParams.get('prompt')).toBe('consent');
  });

  it('uses a new verifier and state for every attempt', async () => {
    const { deps } = fakes({ callback: echoState() });
    const client = createOAuthClient(deps);
    await client.consent({ platformId: 'p', settings: SETTINGS, client: PUBLIC });
    await client.consent({ platformId: 'p', settings: SETTINGS, client: PUBLIC });
    const [first, second] = vi.mocked(deps.launchWebAuthFlow).mock.calls.map(([{ url }]) => new URL(url).searchParams);
    expect(first!.get('state')).not.toBe(second!.get('state'));
    expect(first!.get('code_challenge')).not.toBe(second!.get('code_challenge'));
  });

  it('exchanges the code with the verifier and keeps no token in what it reports', async () => {
    const { deps, requests } = fakes({ callback: echoState() });
    const result = await createOAuthClient(deps, () => 42).consent({ platformId: 'p', settings: SETTINGS, client: PUBLIC });
    const form = new URLSearchParams(requests[0]!.body);
    expect(requests[0]!.url).toBe('https://platform.example/token');
    expect(Object.fromEntries(form)).toMatchObject({ grant_type: 'authorization_code', code: 'the-code', redirect_uri: REDIRECT, client_id: 'app' });
    expect(form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(result).toMatchObject({ receivedAt: 42, refreshToken: 'rt', accessTokenExpiresIn: 3600 });
    expect(JSON.stringify(result.fields)).not.toContain('"at"');
  });

  it('sends the user’s client secret with HTTP Basic authentication', async () => {
    const { deps, requests } = fakes({ callback: echoState() });
    await createOAuthClient(deps).consent({ platformId: 'p', settings: SETTINGS, client: { clientId: 'app', exchange: 'secret' }, clientSecret: 's3cret' });
    expect(requests[0]!.headers.get('authorization')).toBe(`Basic ${btoa('app:s3cret')}`);
  });

  it('sends the code and verifier to the broker as JSON, and no secret', async () => {
    const { deps, requests } = fakes({ callback: echoState() });
    const client: OAuthClient = { clientId: 'app', exchange: 'broker', brokerUrl: 'https://broker.example/token' };
    await createOAuthClient(deps).consent({ platformId: 'ebay', settings: SETTINGS, client });
    expect(requests[0]!.url).toBe('https://broker.example/token');
    expect(JSON.parse(requests[0]!.body)).toEqual({ platform: 'ebay', code: 'the-code', code_verifier: expect.any(String), redirect_uri: REDIRECT });
  });

  it('refuses a broker that does not speak HTTPS', async () => {
    const { deps } = fakes({ callback: echoState() });
    const client: OAuthClient = { clientId: 'app', exchange: 'broker', brokerUrl: 'http://broker.example/token' };
    await expect(createOAuthClient(deps).consent({ platformId: 'p', settings: SETTINGS, client })).rejects.toMatchObject({ code: 'platform-misconfigured' });
  });

  it('sends eBay’s RuName as redirect_uri and accepts its "User Access Token"', async () => {
    const { deps, requests } = fakes({ callback: echoState(), token: () => tokenJson({ token_type: 'User Access Token', refresh_token_expires_in: 47_304_000 }) });
    const settings = { ...SETTINGS, tokenTypes: ['User Access Token'] };
    const result = await createOAuthClient(deps).consent({ platformId: 'ebay', settings, client: { clientId: 'app', exchange: 'secret', redirectName: 'Shop-Token-Wat-PRD-1234' }, clientSecret: 's' });
    expect(new URL(vi.mocked(deps.launchWebAuthFlow).mock.calls[0]![0].url).searchParams.get('redirect_uri')).toBe('Shop-Token-Wat-PRD-1234');
    expect(new URLSearchParams(requests[0]!.body).get('redirect_uri')).toBe('Shop-Token-Wat-PRD-1234');
    expect(result.fields.refresh_token_expires_in).toBe(47_304_000);
  });

  it.each([
    ['ebay', true],
    ['ebay-sandbox', true],
    ['amazon-sp-api-eu', false],
  ])('a "User Access Token" from the %s preset is accepted: %s (catalogue A7)', async (id, accepted) => {
    const { deps } = fakes({ callback: echoState(), token: () => tokenJson({ token_type: 'User Access Token' }) });
    const refreshing = createOAuthClient(deps).refresh({ platformId: id, settings: findPreset(id)!.oauth!, client: { clientId: 'app', exchange: 'secret' }, clientSecret: 's' }, 'rt');
    await (accepted ? expect(refreshing).resolves.toMatchObject({ refreshToken: 'rt' }) : expect(refreshing).rejects.toMatchObject({ code: 'invalid-response' }));
  });

  it('reads Shopify’s token response, which names no token_type, as a bearer token', async () => {
    const { deps } = fakes({ callback: echoState(), token: () => tokenJson({ token_type: undefined, refresh_token_expires_in: 7_776_000 }) });
    const settings = { ...SETTINGS, omitsTokenType: true as const };
    const result = await createOAuthClient(deps).consent({ platformId: 'shopify', settings, client: { clientId: 'app', exchange: 'secret' }, clientSecret: 's' });
    expect(result.fields).toMatchObject({ token_type: 'bearer', refresh_token_expires_in: 7_776_000 });
  });

  it('refuses a token response without token_type from a platform that does not leave it out', async () => {
    const { deps } = fakes({ callback: echoState(), token: () => tokenJson({ token_type: undefined }) });
    await expect(createOAuthClient(deps).consent({ platformId: 'p', settings: SETTINGS, client: { clientId: 'app', exchange: 'secret' }, clientSecret: 's' })).rejects.toMatchObject({ code: 'invalid-response' });
  });

  it('reads Amazon’s spapi_oauth_code and selling_partner_id from the callback', async () => {
    const { deps, requests } = fakes({
      callback: (url) => `${REDIRECT}?spapi_oauth_code=amzn-code&selling_partner_id=A1B2C3&state=${url.searchParams.get('state')}`,
    });
    const settings = { ...SETTINGS, callback: { code: 'spapi_oauth_code', account: 'selling_partner_id' } };
    const result = await createOAuthClient(deps).consent({ platformId: 'amazon', settings, client: { clientId: 'app', exchange: 'secret' }, clientSecret: 's' });
    expect(new URLSearchParams(requests[0]!.body).get('code')).toBe('amzn-code');
    expect(result.account).toBe('A1B2C3');
  });
});

describe('callbacks that are refused before any token request', () => {
  it.each([
    ['another origin', (url: URL) => `https://evil.example/?code=c&state=${url.searchParams.get('state')}`, 'untrusted-response'],
    ['another path', (url: URL) => `${REDIRECT}other?code=c&state=${url.searchParams.get('state')}`, 'untrusted-response'],
    ['a code in the fragment', (url: URL) => `${REDIRECT}#code=c&state=${url.searchParams.get('state')}`, 'untrusted-response'],
    ['an access token in the URL', (url: URL) => `${REDIRECT}?access_token=x&state=${url.searchParams.get('state')}`, 'untrusted-response'],
    ['a wrong state', () => `${REDIRECT}?code=c&state=forged`, 'untrusted-response'],
    ['no state', () => `${REDIRECT}?code=c`, 'untrusted-response'],
    ['an error with a forged state', () => `${REDIRECT}?error=access_denied&state=forged`, 'untrusted-response'],
    ['access_denied', (url: URL) => `${REDIRECT}?error=access_denied&state=${url.searchParams.get('state')}`, 'cancelled'],
    ['temporarily_unavailable', (url: URL) => `${REDIRECT}?error=temporarily_unavailable&state=${url.searchParams.get('state')}`, 'platform-unavailable'],
    ['an empty answer', () => '', 'untrusted-response'],
  ])('%s', async (_, callback, code) => {
    const { deps } = fakes({ callback });
    await expect(createOAuthClient(deps).consent({ platformId: 'p', settings: SETTINGS, client: PUBLIC })).rejects.toMatchObject({ code });
    expect(deps.fetch).not.toHaveBeenCalled();
  });

  it('refuses attempt 1’s valid callback brought back to attempt 2, and redeems nothing (catalogue B1)', async () => {
    let firstCallback: string | undefined;
    const { deps } = fakes({ callback: (url) => (firstCallback ??= echoState()(url)) });
    const client = createOAuthClient(deps);
    await expect(client.consent({ platformId: 'p', settings: SETTINGS, client: PUBLIC })).resolves.toMatchObject({ refreshToken: 'rt' });
    await expect(client.consent({ platformId: 'p', settings: SETTINGS, client: PUBLIC })).rejects.toMatchObject({ code: 'untrusted-response' });
    expect(vi.mocked(deps.launchWebAuthFlow)).toHaveBeenCalledTimes(2);
    // The one token request is attempt 1's own.
    expect(deps.fetch).toHaveBeenCalledTimes(1);
  });

  it('a closed window is a cancellation', async () => {
    const { deps } = fakes({ callback: () => '' });
    deps.launchWebAuthFlow = async () => {
      throw new Error('The user did not approve access.');
    };
    await expect(createOAuthClient(deps).consent({ platformId: 'p', settings: SETTINGS, client: PUBLIC })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('refresh and revocation', () => {
  it('refreshes with the refresh token and bounds the request in time', async () => {
    const { deps, requests } = fakes({ callback: echoState() });
    await createOAuthClient(deps).refresh({ platformId: 'p', settings: SETTINGS, client: PUBLIC }, 'old-rt');
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.body))).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'old-rt' });
    expect(vi.mocked(deps.fetch).mock.calls[0]![1]!.signal).toBeInstanceOf(AbortSignal);
  });

  it('aborts a token request that hangs', async () => {
    const { deps } = fakes({ callback: echoState() });
    deps.fetch = ((_: unknown, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;
    await expect(
      createOAuthClient({ ...deps, timeoutMs: 20 }).refresh({ platformId: 'p', settings: SETTINGS, client: PUBLIC }, 'rt'),
    ).rejects.toMatchObject({ code: 'network' });
  });

  describe('with the client’s default bound', () => {
    afterEach(() => {
      vi.useRealTimers();
      vi.restoreAllMocks();
    });

    it('aborts a hanging token request as network trouble before the service worker’s 30 s (catalogue A14)', async () => {
      vi.useFakeTimers();
      // AbortSignal.timeout runs on the engine's own timers, which fake timers leave alone: this one runs on the test's clock.
      vi.spyOn(AbortSignal, 'timeout').mockImplementation((ms) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
        return controller.signal;
      });
      const { deps } = fakes({ callback: echoState() });
      deps.fetch = ((_: unknown, init?: RequestInit) =>
        new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)))) as typeof fetch;
      let outcome: unknown = 'still waiting';
      void createOAuthClient(deps)
        .refresh({ platformId: 'p', settings: SETTINGS, client: PUBLIC }, 'rt')
        .then((value) => (outcome = value), (error: unknown) => (outcome = error));
      // A worker busy for 30 s is ended by the browser: the request must have given up well before.
      await vi.advanceTimersByTimeAsync(25_000);
      expect(outcome).toMatchObject({ code: 'network' });
    });
  });

  it('revokes with token_type_hint, and says false where the platform cannot revoke', async () => {
    const { deps, requests } = fakes({ callback: echoState(), token: () => new Response(null, { status: 200 }) });
    expect(await createOAuthClient(deps).revoke({ platformId: 'p', settings: SETTINGS, client: PUBLIC }, 'rt')).toBe(true);
    expect(Object.fromEntries(new URLSearchParams(requests[0]!.body))).toMatchObject({ token: 'rt', token_type_hint: 'refresh_token' });
    const noRevocation = { ...SETTINGS, endpoints: { ...SETTINGS.endpoints!, revocation: undefined } };
    expect(await createOAuthClient(deps).revoke({ platformId: 'p', settings: noRevocation, client: PUBLIC }, 'rt')).toBe(false);
  });

  describe('a broker connection’s revocation', () => {
    const BROKER: OAuthClient = { clientId: 'app', exchange: 'broker', brokerUrl: 'https://broker.example/tw/token' };
    const revokeAt = (answer: () => Response) => {
      const { deps, requests } = fakes({ callback: echoState(), token: answer });
      return { requests, revoked: createOAuthClient(deps).revoke({ platformId: 'ebay', settings: SETTINGS, client: BROKER }, 'rt') };
    };

    it('goes to the broker’s revoke route beside its token route, as JSON, and no secret', async () => {
      const { requests, revoked } = revokeAt(() => Response.json({}));
      expect(await revoked).toBe(true);
      expect(requests.map((request) => [request.url, JSON.parse(request.body), request.headers.get('authorization')])).toEqual([
        ['https://broker.example/tw/revoke', { platform: 'ebay', token: 'rt' }, null],
      ]);
    });

    it.each(['https://broker.example/tw/token/', 'https://broker.example/api/broker.php?op=token', 'https://broker.example/exchange'])(
      'sends no token where the broker address %s names no revocation route beside it, and says false',
      async (brokerUrl) => {
        const { deps, requests } = fakes({ callback: echoState(), token: () => Response.json({}) });
        const client = { ...BROKER, brokerUrl };
        expect(await createOAuthClient(deps).revoke({ platformId: 'ebay', settings: SETTINGS, client }, 'rt')).toBe(false);
        expect(requests).toEqual([]);
      },
    );

    it('says false where the broker knows no revocation for the platform', async () => {
      expect(await revokeAt(() => Response.json({ error: 'unsupported_token_type' }, { status: 400 })).revoked).toBe(false);
    });

    it('fails as the platform being unavailable on a 503, to be tried again', async () => {
      await expect(revokeAt(() => Response.json({ error: 'temporarily_unavailable' }, { status: 503 })).revoked).rejects.toMatchObject({ code: 'platform-unavailable' });
    });
  });

  it('lets a development build use a broker on this machine over plain HTTP, and a production build not', async () => {
    const { deps, requests } = fakes({ callback: echoState() });
    const client: OAuthClient = { clientId: 'app', exchange: 'broker', brokerUrl: 'http://127.0.0.1:8787/token' };
    await expect(createOAuthClient(deps).consent({ platformId: 'p', settings: SETTINGS, client })).rejects.toMatchObject({ code: 'platform-misconfigured' });
    await createOAuthClient({ ...deps, allowLoopbackHttp: true }).consent({ platformId: 'p', settings: SETTINGS, client });
    expect(requests.at(-1)!.url).toBe('http://127.0.0.1:8787/token');
  });

  it('refuses an issuer without HTTPS as a platform set up wrongly', async () => {
    const { deps } = fakes({ callback: echoState() });
    const settings = { ...SETTINGS, endpoints: undefined, issuer: 'http://platform.example' };
    await expect(createOAuthClient(deps).refresh({ platformId: 'p', settings, client: PUBLIC }, 'rt')).rejects.toMatchObject({ code: 'platform-misconfigured' });
  });
});

describe('a platform’s metadata, checked again at every sign-in', () => {
  const ISSUER = 'https://sso.erp.example';
  const metadata = (changes: object) => ({
    issuer: ISSUER,
    authorization_endpoint: `${ISSUER}/authorize`,
    token_endpoint: `${ISSUER}/token`,
    code_challenge_methods_supported: ['S256'],
    ...changes,
  });
  function platformServing(served: object) {
    const { deps } = fakes({ callback: echoState() });
    deps.fetch = vi.fn(async () => new Response(JSON.stringify(served), { status: 200, headers: { 'content-type': 'application/json' } })) as typeof fetch;
    return deps;
  }
  const request = { platformId: 'custom-erp', settings: { issuer: ISSUER, scopes: ['openid'], exchanges: ['public' as const] }, client: PUBLIC };

  it.each<[string, object, string]>([
    ['a sign-in address over plain HTTP', { authorization_endpoint: 'http://sso.erp.example/authorize' }, 'discovery-insecure'],
    ['a javascript: sign-in address', { authorization_endpoint: 'javascript:alert(1)' }, 'discovery-insecure'],
    ['a data: token address', { token_endpoint: 'data:text/plain,x' }, 'discovery-insecure'],
    ['no PKCE with S256 any more', { code_challenge_methods_supported: ['plain'] }, 'discovery-no-pkce'],
    ['no token address', { token_endpoint: undefined }, 'discovery-failed'],
  ])('refuses %s with its own message, before any window opens', async (_, changes, code) => {
    const deps = platformServing(metadata(changes));
    await expect(createOAuthClient(deps).authorize(request)).rejects.toMatchObject({ code });
    expect(deps.launchWebAuthFlow).not.toHaveBeenCalled();
  });

  it('opens the window when the metadata still holds', async () => {
    const deps = platformServing(metadata({}));
    await expect(createOAuthClient(deps).authorize(request)).resolves.toMatchObject({ code: 'the-code' });
  });
});

describe('the issuer in the callback (RFC 9207)', () => {
  const ISSUER = 'https://sso.erp.example';
  const request = { platformId: 'custom-erp', settings: { issuer: ISSUER, scopes: ['openid'], exchanges: ['public' as const] }, client: PUBLIC };
  function platformNaming(iss: string | null) {
    const { deps } = fakes({ callback: echoState(iss === null ? '' : `&iss=${encodeURIComponent(iss)}`) });
    const metadata = {
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
    };
    deps.fetch = vi.fn(async () => new Response(JSON.stringify(metadata), { status: 200, headers: { 'content-type': 'application/json' } })) as typeof fetch;
    return deps;
  }

  it.each([
    ['another issuer', 'https://evil.example'],
    ['no issuer, where the platform promises to name it', null],
  ])('refuses a callback naming %s, before any token request', async (_, iss) => {
    const deps = platformNaming(iss);
    await expect(createOAuthClient(deps).authorize(request)).rejects.toMatchObject({ code: 'untrusted-response' });
    // The one request made was discovery's.
    expect(deps.fetch).toHaveBeenCalledTimes(1);
  });

  it('accepts the callback that names the platform’s own issuer', async () => {
    await expect(createOAuthClient(platformNaming(ISSUER)).authorize(request)).resolves.toMatchObject({ code: 'the-code', iss: ISSUER });
  });

  it('does not hold a platform with fixed addresses to an issuer made up from its sign-in address', async () => {
    // Such a platform's issuer is often another host than its sign-in page (login.… against identity.…).
    const { deps, requests } = fakes({ callback: echoState(`&iss=${encodeURIComponent('https://identity.platform.example')}`) });
    await expect(createOAuthClient(deps).consent({ platformId: 'p', settings: SETTINGS, client: PUBLIC })).resolves.toMatchObject({ refreshToken: 'rt' });
    expect(requests[0]!.url).toBe('https://platform.example/token');
  });
});

