import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../utils/messaging/protocol';
import { errorSentence, errorText } from '../../../utils/messaging/error-text';
import { CATALOGUES, textsFor } from '../texts';

describe('errorText', () => {
  it.each<[ErrorCode, string]>([
    ['platform-unavailable', 'errorPlatformUnavailable'],
    ['discovery-no-pkce', 'errorDiscoveryNoPkce'],
    ['holder-not-connected', 'errorHolderNotConnected'],
    ['storage-full', 'errorStorageFull'],
    ['network', 'errorNetwork'],
    ['storage-unavailable', 'errorStorage'],
    ['storage-blocked', 'errorStorage'],
    ['storage-upgrade-failed', 'errorStorageUpgrade'],
    ['import-bad-json', 'errorImport'],
    ['import-not-an-export', 'errorImport'],
    ['import-unknown-version', 'errorImport'],
    ['untrusted-response', 'errorUntrusted'],
    ['invalid-request', 'errorUnexpected'],
    ['forbidden-sender', 'errorUnexpected'],
  ])('gives %s the sentence %s, in English and German', (code, key) => {
    expect(errorText(code)).toBe(key);
    for (const catalogue of Object.values(CATALOGUES)) expect(catalogue[key]?.message).toBeTruthy();
  });

  it('gives a code this build does not know the general sentence, not an empty one', () => {
    const texts = { t: (key: string) => ({ errorUnexpected: 'Something went wrong.' })[key] ?? '' };
    expect(errorSentence(texts as Parameters<typeof errorSentence>[0], 'from-a-newer-release' as ErrorCode)).toBe('Something went wrong.');
    expect(errorSentence(textsFor('de'), 'vault-locked')).toBe(textsFor('de').t('errorVaultLocked'));
  });
});
