import type { OAuthClient } from '../connection';
import { resolveSettings, type OAuthSettings } from './presets';

/**
 * The hosts the background must reach to sign in and renew a connection: discovery, token,
 * userinfo, revocation and broker, asked for together at the one click that allows the prompt.
 * The sign-in page itself opens in a window and needs none. `discovered`: the other hosts the
 * platform's metadata named for this connection, which replace the catalogue's.
 */
export function hostOrigins(settings: OAuthSettings | undefined, client: OAuthClient | undefined, discovered?: readonly string[]): string[] {
  if (!settings || !client) return [];
  const resolved = resolveSettings(settings, client.endpointValues);
  const urls = [resolved.issuer, resolved.endpoints?.token, resolved.endpoints?.revocation, ...(discovered ?? resolved.hosts ?? []).map((host) => `https://${host}/`)];
  if (client.exchange === 'broker') urls.push(client.brokerUrl);
  const patterns = urls.flatMap((url) => {
    const parsed = url ? URL.parse(url) : null;
    return parsed ? [`${parsed.protocol}//${parsed.hostname}/*`] : [];
  });
  return [...new Set(patterns)];
}
