import { describe, expect, it, vi } from 'vitest';
import { browserTexts } from '@/utils/i18n/browser-texts';

function fakeI18n() {
  return {
    getMessage: vi.fn((key: string, substitutions?: string | string[]) => `${key}(${[substitutions ?? []].flat().join(',')})`),
    getUILanguage: () => 'de',
  };
}

describe('browserTexts', () => {
  it('answers with the browser’s message and its language', () => {
    const texts = browserTexts(fakeI18n());
    expect(texts.t('actionRemove')).toBe('actionRemove()');
    expect(texts.t('tooltipEntry', ['eBay', 'Shop', 'Expired'])).toBe('tooltipEntry(eBay,Shop,Expired)');
    expect(texts.locale).toBe('de');
  });

  it('asks the browser once for each message and substitutions', () => {
    const i18n = fakeI18n();
    const texts = browserTexts(i18n);
    for (let row = 0; row < 3; row++) {
      texts.t('actionRemove');
      texts.t('tooltipEntry', ['eBay', 'Shop', 'Expired']);
    }
    expect(i18n.getMessage).toHaveBeenCalledTimes(2);
  });

  it('tells substitutions apart, however their text is split', () => {
    const i18n = fakeI18n();
    const texts = browserTexts(i18n);
    expect(texts.t('tooltipEntry', ['a,b', 'c', 'd'])).toBe('tooltipEntry(a,b,c,d)');
    texts.t('tooltipEntry', ['a', 'b,c', 'd']);
    expect(i18n.getMessage).toHaveBeenCalledTimes(2);
  });
});
