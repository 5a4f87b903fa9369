import { describe, expect, it, vi } from 'vitest';
import { CONSENT_LIMIT_MS } from '../../../utils/consent/token-service';
import { refreshDueAt } from '../../../utils/expiry/schedule';
import { findPreset } from '../../../utils/catalogue/presets';
import { tokenWorld } from '../fake-platform';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const GOOGLE_RULE = findPreset('google')!.grantRule;

describe('a rotated refresh token (catalogue A15)', () => {
  it('is stored before anything else is awaited: a repaint that never ends finds it stored already', async () => {
    const world = tokenWorld(NOW);
    await world.addConnection('c1');
    await world.tokens.consent('c1', 'Anna');
    world.changed.mockImplementation(() => new Promise<void>(() => undefined));

    let settled = false;
    void world.tokens.refresh('c1', 'alarm').finally(() => (settled = true));

    await vi.waitFor(async () => expect(await world.refreshTokenOf('c1')).toBe('rt-SECRET-2'));
    expect(world.changed).toHaveBeenCalledTimes(2);
    // The refresh still waits for the repaint: storing did not.
    expect(settled).toBe(false);
    expect(world.platform.valid()).toEqual(['rt-SECRET-2']);
  });
});

describe('a rotating refresh whose answer is lost (catalogue A17)', () => {
  it('is retried, the platform refuses the old token, and the connection asks for a new sign-in with consistent state', async () => {
    const world = tokenWorld(NOW);
    await world.addConnection('c1');
    await world.tokens.consent('c1', 'Anna');
    const store = await world.repository();

    world.platform.loseNextAnswer();
    const lost = await world.tokens.refresh('c1', 'alarm');
    expect(lost).toMatchObject({ status: 'retry-later', code: 'network' });
    // The platform has moved on to a token the extension never saw; the one kept is dead.
    expect(world.platform.valid()).toEqual(['rt-SECRET-2']);
    expect(await world.refreshTokenOf('c1')).toBe('rt-SECRET-1');

    world.clock.now = lost.status === 'retry-later' ? lost.retryAt : NaN;
    expect(await world.tokens.refresh('c1', 'alarm')).toEqual({ status: 'reconsent-needed' });

    const connection = (await store.get('c1'))!;
    expect(connection).toMatchObject({ needsReconsent: true, hasRefreshToken: false, problem: null });
    expect(await world.refreshTokenOf('c1')).toBeUndefined();
    // The app's secret stays: the new sign-in needs it.
    expect((await store.secrets('c1'))?.clientSecret).toBeDefined();
    // Nothing more is tried by itself: only the user can sign in again.
    expect(refreshDueAt(connection, GOOGLE_RULE)).toBeNull();
    expect((await store.events('c1')).map((event) => [event.type, event.detail])).toEqual([
      ['added', undefined],
      ['consented', undefined],
      ['refresh-failed', 'network'],
      ['refresh-failed', 'invalid_grant'],
    ]);
    expect(world.platform.fetch).toHaveBeenCalledTimes(3);
  });
});

describe('one connection’s damaged refresh token (catalogue C4)', () => {
  it('asks only that connection for a new sign-in; the other renews and has no problem', async () => {
    const world = tokenWorld(NOW);
    for (const id of ['damaged', 'sound']) {
      await world.addConnection(id);
      await world.tokens.consent(id, 'Anna');
    }
    const store = await world.repository();
    const secrets = (await store.secrets('damaged'))!;
    await store.saveSecrets({ ...secrets, refreshToken: { iv: new Uint8Array(12), data: new ArrayBuffer(32) } });

    expect(await world.tokens.refresh('damaged', 'alarm')).toEqual({ status: 'reconsent-needed' });
    expect(await world.tokens.refresh('sound', 'alarm')).toMatchObject({ status: 'refreshed' });

    expect(await store.get('damaged')).toMatchObject({ needsReconsent: true, hasRefreshToken: false });
    expect(await store.get('sound')).toMatchObject({ needsReconsent: false, hasRefreshToken: true, problem: null, refreshedAt: NOW });
    expect(await world.refreshTokenOf('sound')).toBe('rt-SECRET-3');
    // The damaged one never reached the platform: the one refresh request is the sound one's.
    expect(world.platform.fetch).toHaveBeenCalledTimes(3);
  });
});

describe('a sign-in window that never answers (catalogue E1)', () => {
  it('keeps others waiting as busy until its limit, then lets a new sign-in through', async () => {
    const world = tokenWorld(NOW);
    await world.addConnection('c1');
    world.platform.launchWebAuthFlow.mockImplementationOnce(() => new Promise<string>(() => undefined));
    void world.tokens.consent('c1', 'Anna');
    await vi.waitFor(() => expect(world.platform.launchWebAuthFlow).toHaveBeenCalledTimes(1));

    world.clock.now = NOW + CONSENT_LIMIT_MS - 1;
    await expect(world.tokens.consent('c1', 'Anna')).rejects.toMatchObject({ code: 'busy' });
    expect(world.tokens.activeConsent()).toBe('c1');

    world.clock.now = NOW + CONSENT_LIMIT_MS;
    expect(world.tokens.activeConsent()).toBeNull();
    await expect(world.tokens.consent('c1', 'Anna')).resolves.toMatchObject({ needsReconsent: false, hasRefreshToken: true });
    expect(world.platform.launchWebAuthFlow).toHaveBeenCalledTimes(2);
    expect(await world.refreshTokenOf('c1')).toBe('rt-SECRET-1');
  });

  it('an attempt past its limit that answers at last does not clear the newer attempt’s mark', async () => {
    const world = tokenWorld(NOW);
    await world.addConnection('c1');
    let answerOld: (url: string) => void = () => undefined;
    let answerNew: (url: string) => void = () => undefined;
    world.platform.launchWebAuthFlow
      .mockImplementationOnce(() => new Promise<string>((resolve) => (answerOld = resolve)))
      .mockImplementationOnce(() => new Promise<string>((resolve) => (answerNew = resolve)));
    const old = world.tokens.consent('c1', 'Anna');
    await vi.waitFor(() => expect(world.platform.launchWebAuthFlow).toHaveBeenCalledTimes(1));
    world.clock.now = NOW + CONSENT_LIMIT_MS;
    const newer = world.tokens.consent('c1', 'Anna');
    await vi.waitFor(() => expect(world.platform.launchWebAuthFlow).toHaveBeenCalledTimes(2));

    answerOld('');
    await expect(old).rejects.toMatchObject({ code: 'untrusted-response' });
    expect(world.tokens.activeConsent()).toBe('c1');
    await expect(world.tokens.consent('c1', 'Anna')).rejects.toMatchObject({ code: 'busy' });

    const state = new URL(vi.mocked(world.platform.launchWebAuthFlow).mock.calls[1]![0].url).searchParams.get('state');
    answerNew(`https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/?code=code-SECRET-7f2a&state=${state}`);
    await expect(newer).resolves.toMatchObject({ hasRefreshToken: true });
    expect(world.tokens.activeConsent()).toBeNull();
  });
});
