import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { createOAuthHandlers } from '../../../utils/messaging/oauth-handlers';
import { MESSAGE_TYPES, type Handlers, type Reply } from '../../../utils/messaging/protocol';
import { createMessageRouter } from '../../../utils/messaging/router';
import { CLIENT_SECRET, CODE, SECRET_MARK, tokenWorld } from '../fake-platform';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const POPUP = { id: 'own-id', url: 'chrome-extension://own-id/popup.html' };
const CONSOLE = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** The background's router with the OAuth messages wired to a token service on a fake platform; its log is the console's. */
function background() {
  const world = tokenWorld(NOW);
  const unused = async () => {
    throw new Error('not used here');
  };
  const handlers = {
    ...Object.fromEntries(MESSAGE_TYPES.map((type) => [type, unused])),
    ...createOAuthHandlers({
      repository: world.repository,
      tokens: world.tokens,
      holder: { isHeld: async () => false, signIn: unused, check: unused, remove: unused },
      releaseHosts: async () => undefined,
      vault: world.vault,
      now: () => world.clock.now,
      newId: () => 'c1',
      actor: async () => 'Anna',
      changed: async () => undefined,
    }),
  } as Handlers;
  const route = createMessageRouter(handlers, { extensionId: 'own-id', extensionOrigin: 'chrome-extension://own-id/' });
  return { world, send: (message: object): Promise<Reply> => route(message, POPUP) };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('tokens, codes and secrets stay out of every output (catalogue F1)', () => {
  it('through a sign-in, a refresh with rotation, failed refreshes and a failure routed to the page, HTML answers quoting them too (catalogue A9)', async () => {
    const spies = CONSOLE.map((method) => vi.spyOn(console, method).mockImplementation(() => undefined));
    const { world, send } = background();
    const replies: Reply[] = [];
    const sent = async (message: object) => {
      const reply = await send(message);
      replies.push(reply);
      return reply;
    };

    await sent({ type: 'connections/create', connection: { platformId: 'google', label: 'Konto', client: { clientId: 'app', exchange: 'secret' }, clientSecret: CLIENT_SECRET } });
    expect(await sent({ type: 'consent/start', connectionId: 'c1' })).toMatchObject({ ok: true });
    expect(await sent({ type: 'tokens/refresh', connectionId: 'c1' })).toMatchObject({ ok: true, value: { status: 'refreshed' } });
    expect(await world.refreshTokenOf('c1')).toBe(`rt-${SECRET_MARK}-2`);
    // A gateway's page quoting the refresh token, then a refusal quoting token and secret.
    world.platform.answerNextWithHtml();
    expect(await sent({ type: 'tokens/refresh', connectionId: 'c1' })).toMatchObject({ ok: true, value: { status: 'retry-later', code: 'invalid-response' } });
    world.platform.withdrawGrants();
    expect(await sent({ type: 'tokens/refresh', connectionId: 'c1' })).toMatchObject({ ok: true, value: { status: 'reconsent-needed' } });
    // A sign-in answered with a page quoting the code: the failure goes back to the page, and to the log.
    world.platform.answerNextWithHtml();
    expect(await sent({ type: 'consent/start', connectionId: 'c1' })).toEqual({ ok: false, error: 'invalid-response' });

    const logged = spies.flatMap((spy) => spy.mock.calls).map((args) => args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : JSON.stringify(arg))).join(' '));
    // The log did pass through the console: the routed failure is in it, by name only.
    expect(logged).toEqual([expect.stringContaining('consent/start failed (invalid-response')]);
    for (const line of logged) expect(line).not.toContain(SECRET_MARK);
    expect(JSON.stringify(replies)).not.toContain(SECRET_MARK);
    // What the platform was sent does carry them: the searches above look for what was there to leak.
    expect(world.platform.bodies().join('&')).toContain(CODE);
    expect(world.platform.bodies().join('&')).toContain(CLIENT_SECRET);

    const store = await world.repository();
    expect(JSON.stringify([await store.list(), await store.events('c1')])).not.toContain(SECRET_MARK);
    for (const area of [fakeBrowser.storage.sync, fakeBrowser.storage.local, fakeBrowser.storage.session]) {
      expect(JSON.stringify(await area.get(null))).not.toContain(SECRET_MARK);
    }
  });
});
