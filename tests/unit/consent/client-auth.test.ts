import { describe, expect, it } from 'vitest';
import { tokenAuthMethod } from '../../../utils/consent/client-auth';
import type { ExchangeMode } from '../../../utils/connection';
import type { TokenAuthMethod } from '../../../utils/catalogue/types';

describe('how the app proves itself at the token endpoint', () => {
  it.each<[string, ExchangeMode, TokenAuthMethod | undefined, string[] | undefined, TokenAuthMethod]>([
    ['a public client sends no secret, whatever the platform names', 'public', 'client_secret_post', undefined, 'none'],
    ['a broker adds the secret on its own side', 'broker', 'client_secret_basic', ['client_secret_basic'], 'none'],
    ['the preset’s documented method (Amazon: form body)', 'secret', 'client_secret_post', ['client_secret_basic'], 'client_secret_post'],
    ['the preset’s documented method (eBay: Basic)', 'secret', 'client_secret_basic', undefined, 'client_secret_basic'],
    ['a platform found by discovery that lists Basic', 'secret', undefined, ['client_secret_post', 'private_key_jwt', 'client_secret_basic'], 'client_secret_basic'],
    ['a platform found by discovery that lists only the form body', 'secret', undefined, ['client_secret_post', 'private_key_jwt'], 'client_secret_post'],
    ['metadata without a list means Basic (RFC 8414, section 2)', 'secret', undefined, undefined, 'client_secret_basic'],
    ['a list of neither still tries Basic', 'secret', undefined, ['private_key_jwt'], 'client_secret_basic'],
  ])('%s', (_, exchange, named, supported, expected) => {
    expect(tokenAuthMethod(exchange, named, supported)).toBe(expected);
  });
});
