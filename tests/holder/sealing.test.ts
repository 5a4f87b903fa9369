import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSealer, SealingError } from '../../server/sealing';

const key = () => randomBytes(32).toString('base64');

describe('sealing at rest', () => {
  it('opens what it sealed, and the sealed form shows nothing of it', () => {
    const sealer = createSealer(key());
    const sealed = sealer.seal('refresh-token-123');
    expect(sealed).not.toContain('refresh-token-123');
    expect(sealer.open(sealed)).toBe('refresh-token-123');
    // A fresh nonce each time: the same secret never seals the same way twice.
    expect(sealer.seal('refresh-token-123')).not.toBe(sealed);
  });

  it('cannot open with another key, nor a value that was changed', () => {
    const sealed = createSealer(key()).seal('secret');
    expect(() => createSealer(key()).open(sealed)).toThrow(SealingError);
    const sealer = createSealer(key());
    const [version, iv, data, tag] = sealer.seal('secret').split('.');
    const flipped = Buffer.from(data!, 'base64');
    flipped[0]! ^= 1;
    expect(() => sealer.open([version, iv, flipped.toString('base64'), tag].join('.'))).toThrow(SealingError);
    expect(() => sealer.open('plain text')).toThrow(SealingError);
  });

  it.each(['', 'c2hvcnQ=', randomBytes(16).toString('base64')])('refuses the key %j with a next step', (bad) => {
    expect(() => createSealer(bad)).toThrow(/HOLDER_KEY must be 32 bytes in base64 \(for example: openssl rand -base64 32\)/);
  });
});
