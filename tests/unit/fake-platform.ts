import { vi } from 'vitest';
import { createOAuthClient } from '../../utils/consent/oauth-client';
import { createTokenService } from '../../utils/consent/token-service';
import { newOAuthConnection } from '../../utils/records/oauth-input';
import { lazyRepository, lazyVault } from '../../utils/storage/db';
import { memorySession } from './fixtures';

export const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';
/** Everything secret the platform hands out or is given carries this mark, so a test can look for it anywhere. */
export const SECRET_MARK = 'SECRET';
export const CODE = `code-${SECRET_MARK}-7f2a`;
export const CLIENT_SECRET = `cs-${SECRET_MARK}-91bd`;

const json = (status: number, body: object) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/**
 * A platform's token endpoint as the extension meets it, through fetch and the sign-in window: it
 * redeems its code once and rotates refresh tokens, each good for one use (RFC 9700, section 4.14.2).
 * Its error answers quote what they were sent, as some platforms' do.
 */
export function fakePlatform(now: () => number) {
  const valid = new Set<string>();
  let issued = 0;
  let next: 'answer' | 'lose-answer' | 'html' = 'answer';
  const bodies: string[] = [];
  const fetch = vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
    const form = new URLSearchParams(init?.body instanceof URLSearchParams || typeof init?.body === 'string' ? init.body : undefined);
    bodies.push(form.toString());
    const sent = form.get('refresh_token') ?? form.get('code') ?? '';
    const redeemable = form.get('grant_type') === 'refresh_token' ? valid.delete(sent) : sent === CODE;
    if (!redeemable) return json(400, { error: 'invalid_grant', error_description: `${sent} is not valid (client secret ${form.get('client_secret')})` });
    const refreshToken = `rt-${SECRET_MARK}-${++issued}`;
    valid.add(refreshToken);
    const fault = next;
    next = 'answer';
    // The platform has rotated; its answer never arrives.
    if (fault === 'lose-answer') throw new TypeError('Failed to fetch');
    if (fault === 'html') return new Response(`<html><body>Gateway page for ${sent} and ${refreshToken}</body></html>`, { status: 200, headers: { 'content-type': 'text/html' } });
    return json(200, { access_token: `at-${SECRET_MARK}-${issued}`, token_type: 'Bearer', expires_in: 3600, refresh_token: refreshToken });
  });
  const launchWebAuthFlow = vi.fn(async ({ url }: { url: string }) => `${REDIRECT}?code=${CODE}&state=${new URL(url).searchParams.get('state')}`);
  return {
    fetch,
    launchWebAuthFlow,
    oauth: createOAuthClient({ fetch: fetch as typeof globalThis.fetch, launchWebAuthFlow, redirectUrl: REDIRECT }, now),
    /** What each token request sent, in order. */
    bodies: () => [...bodies],
    /** The refresh tokens the platform still accepts. */
    valid: () => [...valid],
    /** The user withdrew every grant at the platform: no refresh token is accepted any more. */
    withdrawGrants: () => valid.clear(),
    /** The next token request is carried out, but its answer is lost on the way back. */
    loseNextAnswer: () => void (next = 'lose-answer'),
    /** The next token request is carried out, but a gateway answers 200 with an HTML page quoting it. */
    answerNextWithHtml: () => void (next = 'html'),
  };
}

/** The token service over a fresh database, talking to a fake platform, with Google connections to add. */
export function tokenWorld(start: number) {
  const clock = { now: start };
  const repository = lazyRepository();
  const vault = lazyVault(repository, memorySession());
  const platform = fakePlatform(() => clock.now);
  const changed = vi.fn(async (): Promise<void> => undefined);
  const tokens = createTokenService({ repository, vault, oauth: platform.oauth, now: () => clock.now, changed: () => changed() });

  /** A Google connection with its app's sealed secret, waiting for its first sign-in. */
  async function addConnection(id: string) {
    const connection = newOAuthConnection({ platformId: 'google', label: `Konto ${id}`, account: '', client: { clientId: 'app', exchange: 'secret' } }, { id, now: clock.now, actor: 'Anna' });
    const clientSecret = await (await vault()).seal(CLIENT_SECRET);
    await (await repository()).save({ connection, event: { connectionId: id, type: 'added', at: clock.now, actor: 'Anna' }, secrets: { connectionId: id, clientSecret } });
  }

  /** The refresh token stored for a connection, opened. */
  async function refreshTokenOf(id: string) {
    const sealed = (await (await repository()).secrets(id))?.refreshToken;
    return sealed ? (await vault()).open(sealed) : undefined;
  }

  return { clock, repository, vault, platform, tokens, changed, addConnection, refreshTokenOf };
}
