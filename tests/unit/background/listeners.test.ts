import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '../../../entrypoints/background/index';

/**
 * A worker woken by an alarm or a message runs its script again and gets that event only if the
 * listener is there when the script's first run ends (Chrome's service worker lifecycle).
 */
describe('the background’s listeners', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  const start = () => {
    // The catalogue's file is not served here; the listeners do not depend on it being read.
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>(() => undefined)));
    background.main();
  };

  it('are all registered synchronously, before the script’s first run ends', () => {
    vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockReturnValue('https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/');
    start();
    expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(true);
    expect(fakeBrowser.alarms.onAlarm.hasListeners()).toBe(true);
    expect(fakeBrowser.storage.onChanged.hasListeners()).toBe(true);
    expect(fakeBrowser.notifications.onClicked.hasListeners()).toBe(true);
  });

  it('are registered even when the identity API cannot name the redirect URL (a private window, an API turned off)', () => {
    vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockImplementation(() => {
      throw new Error('identity is not available');
    });
    expect(start).not.toThrow();
    expect(fakeBrowser.runtime.onMessage.hasListeners()).toBe(true);
    expect(fakeBrowser.alarms.onAlarm.hasListeners()).toBe(true);
  });

  it('opens the database at its start, while the catalogue is still being read: the first badge needs both', async () => {
    vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockReturnValue('https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/');
    start();
    await vi.waitFor(async () => expect((await indexedDB.databases()).map(({ name }) => name)).toEqual(['token-watch']));
  });
});
