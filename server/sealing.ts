import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Seals refresh tokens, access tokens and app secrets at rest with AES-256-GCM under the holder's
 * key (`HOLDER_KEY`, 32 bytes in base64), which lives outside the database: a copy of the
 * database or its backup alone opens nothing.
 */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

const VERSION = 'v1';

export class SealingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealingError';
  }
}

export function createSealer(keyBase64: string): Sealer {
  const key = Buffer.from(keyBase64, 'base64');
  if (key.length !== 32) throw new SealingError('HOLDER_KEY must be 32 bytes in base64 (for example: openssl rand -base64 32).');
  return {
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return [VERSION, iv.toString('base64'), data.toString('base64'), cipher.getAuthTag().toString('base64')].join('.');
    },
    open(sealed) {
      const [version, iv, data, tag] = sealed.split('.');
      if (version !== VERSION || !iv || !data || !tag) throw new SealingError('A sealed value has an unknown form.');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
      } catch (error) {
        throw Object.assign(new SealingError('A sealed value cannot be opened with this HOLDER_KEY.'), { cause: error });
      }
    },
  };
}
