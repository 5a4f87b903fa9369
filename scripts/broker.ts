/**
 * npm run broker: the reference token broker (see README, "Token broker").
 *
 * Configuration, from the environment only, so that no secret sits in a file of the project:
 *   BROKER_PLATFORMS        JSON: {"<platform id>": {"tokenUrl", "revocationUrl" (optional), "clientId", "clientSecret", "redirectUris": [...]}}
 *   BROKER_ALLOWED_ORIGINS  the extension origins, comma-separated (chrome-extension://<id>,moz-extension://<uuid>)
 *   BROKER_TLS_CERT, BROKER_TLS_KEY  paths to a PEM certificate and key; without them it listens on
 *                           127.0.0.1 over plain HTTP, for a TLS-terminating proxy in front of it
 *   BROKER_HOST, BROKER_PORT  default 127.0.0.1 and 8787
 */
import { readFileSync } from 'node:fs';
import { startBroker, type BrokerPlatform } from './lib/broker-server';

function fail(message: string): never {
  console.error(`broker: ${message}`);
  process.exit(2);
}

function platformsFromEnv(): Record<string, BrokerPlatform> {
  const raw = process.env.BROKER_PLATFORMS;
  if (!raw) fail('set BROKER_PLATFORMS to the JSON description of the platforms (see README)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    fail('BROKER_PLATFORMS is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) fail('BROKER_PLATFORMS must be an object');
  for (const [id, platform] of Object.entries(parsed as Record<string, Partial<BrokerPlatform>>)) {
    const missing = (['tokenUrl', 'clientId', 'clientSecret'] as const).filter((field) => typeof platform[field] !== 'string' || !platform[field]);
    if (missing.length > 0) fail(`platform "${id}" lacks ${missing.join(', ')}`);
    for (const url of ['tokenUrl', 'revocationUrl'] as const) {
      if (platform[url] !== undefined && !String(platform[url]).startsWith('https://')) fail(`platform "${id}": ${url} must use https`);
    }
    if (!Array.isArray(platform.redirectUris) || platform.redirectUris.length === 0) fail(`platform "${id}" lacks redirectUris`);
  }
  return parsed as Record<string, BrokerPlatform>;
}

const certPath = process.env.BROKER_TLS_CERT;
const keyPath = process.env.BROKER_TLS_KEY;
if (Boolean(certPath) !== Boolean(keyPath)) fail('set both BROKER_TLS_CERT and BROKER_TLS_KEY, or neither');
const host = process.env.BROKER_HOST ?? '127.0.0.1';
if (!certPath && host !== '127.0.0.1' && host !== 'localhost') fail('without TLS the broker only listens on 127.0.0.1');

const platforms = platformsFromEnv();
const broker = await startBroker({
  platforms,
  allowedOrigins: (process.env.BROKER_ALLOWED_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean),
  host,
  port: Number(process.env.BROKER_PORT ?? 8787),
  ...(certPath && keyPath ? { tls: { cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') } } : {}),
});
console.log(`broker: listening on ${broker.url} for ${Object.keys(platforms).join(', ')}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void broker.close().then(() => process.exit(0)));
