import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHROME_EXTENSION_ID } from '../../../scripts/lib/chromium';
import { CHROME_PUBLIC_KEY } from '../../../wxt.config';

describe('the fixed Chrome extension id', () => {
  it('follows from the manifest key, so redirect URLs stay the same everywhere', () => {
    const digest = createHash('sha256').update(Buffer.from(CHROME_PUBLIC_KEY, 'base64')).digest('hex');
    const id = digest.slice(0, 32).split('').map((hex) => String.fromCharCode(97 + parseInt(hex, 16))).join('');
    expect(id).toBe(CHROME_EXTENSION_ID);
  });
});
