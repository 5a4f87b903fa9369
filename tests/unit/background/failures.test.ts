import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import background from '../../../entrypoints/background/index';
import { WAKE_UP_ALARM } from '../../../utils/watch/service';
import { textsFor } from '../texts';

/** The background on the fake browser, in English, with catalogue.json answered by `catalogue`. */
function start(catalogue: () => Promise<Response>) {
  const texts = textsFor('en');
  vi.spyOn(fakeBrowser.identity, 'getRedirectURL').mockReturnValue('https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/');
  vi.spyOn(fakeBrowser.i18n, 'getMessage').mockImplementation((key, substitutions) => texts.t(key as never, substitutions === undefined ? undefined : [substitutions].flat().map(String)));
  vi.spyOn(fakeBrowser.i18n, 'getUILanguage').mockReturnValue('en');
  vi.stubGlobal('fetch', vi.fn(catalogue));
  background.main();
  return texts;
}

const unreadable = () => Promise.reject(new TypeError('Failed to fetch'));

describe('the background when something fails at its start', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('still paints the badge and plans the next wake-up when catalogue.json cannot be read', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    start(unreadable);
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(WAKE_UP_ALARM)).toBeDefined(), { timeout: 5_000 });
    expect(await fakeBrowser.action.getTitle({})).not.toBe('');
  });

  it('plans the next wake-up at a wake-up while catalogue.json still cannot be read', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    start(unreadable);
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(WAKE_UP_ALARM)).toBeDefined(), { timeout: 5_000 });
    await fakeBrowser.alarms.clearAll();
    await fakeBrowser.alarms.onAlarm.trigger({ name: WAKE_UP_ALARM, scheduledTime: Date.now(), persistAcrossSessions: false });
    await vi.waitFor(async () => expect(await fakeBrowser.alarms.get(WAKE_UP_ALARM)).toBeDefined(), { timeout: 5_000 });
  });

  it('says on the badge’s title when the policy’s connections could not be stored for a full disk', async () => {
    vi.spyOn(fakeBrowser.storage.managed, 'get').mockResolvedValue({ connections: [{ key: 'lexware', platformId: 'lexware-office-api-key', label: 'Lexware', expiresOn: '2027-03-31' }] } as never);
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (this.name === 'connections') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const texts = start(async () => new Response(readFileSync('public/catalogue.json')));
    await vi.waitFor(async () => expect(await fakeBrowser.action.getTitle({})).toContain(texts.t('errorStorageFull')), { timeout: 5_000 });
  });
});
