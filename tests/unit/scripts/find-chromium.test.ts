import { afterEach, describe, expect, it, vi } from 'vitest';
import { findChromium } from '../../../scripts/lib/chromium';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the test harness looks for a browser', () => {
  it('takes the one named in TOKEN_WATCH_CHROMIUM first', () => {
    vi.stubEnv('TOKEN_WATCH_CHROMIUM', process.execPath);
    expect(findChromium()).toBe(process.execPath);
  });

  it('names the command that installs one when the named browser is missing', () => {
    vi.stubEnv('TOKEN_WATCH_CHROMIUM', '/nonexistent/chromium');
    expect(() => findChromium()).toThrow('sudo apt-get install chromium chromium-l10n');
  });
});
