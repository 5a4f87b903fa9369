/**
 * How the app proves itself at the token endpoint. A preset names its platform's documented
 * method; a platform found by discovery lists its own (RFC 8414, section 2).
 */
import type { TokenAuthMethod } from '../catalogue/types';
import type { ExchangeMode } from '../connection';

export function tokenAuthMethod(exchange: ExchangeMode, named: TokenAuthMethod | undefined, supported: readonly string[] | undefined): TokenAuthMethod {
  // Without the app's secret there is nothing to prove: PKCE carries a public client, the broker adds the secret itself.
  if (exchange !== 'secret') return 'none';
  if (named) return named;
  // RFC 8414, section 2: metadata that lists no methods means client_secret_basic.
  return supported && !supported.includes('client_secret_basic') && supported.includes('client_secret_post') ? 'client_secret_post' : 'client_secret_basic';
}
