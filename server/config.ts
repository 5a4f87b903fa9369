import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface HolderConfig {
  /** Where the holder listens; 127.0.0.1 unless told otherwise (put TLS in front for anything else). */
  host: string;
  port: number;
  /** PostgreSQL for more than one holder process; without it, PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** 32 bytes in base64 that seal the tokens at rest. */
  holderKey: string;
  /** Set when the key was made and kept in the data folder because HOLDER_KEY was not given. */
  keyFile?: string;
  /** The team's webhook: told when a grant needs a new sign-in and when it works again. */
  webhookUrl?: string;
  /** Demo and tests only (HOLDER_ALLOW_LOOPBACK_HTTP=1): platforms on this machine over plain HTTP. */
  allowLoopbackHttp: boolean;
}

/** The holder's settings from the environment; an embedded holder makes and keeps its own key on first start. */
export function readConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): HolderConfig {
  const dataDir = resolve(cwd, env.HOLDER_DATA_DIR ?? 'holder-data');
  const port = Number(env.HOLDER_PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`HOLDER_PORT must be a port number, not "${env.HOLDER_PORT}".`);
  if (env.HOLDER_WEBHOOK_URL && !URL.canParse(env.HOLDER_WEBHOOK_URL)) throw new Error('HOLDER_WEBHOOK_URL must be an address, e.g. https://chat.example.com/hooks/123.');
  const base = {
    host: env.HOLDER_HOST ?? '127.0.0.1',
    port,
    dataDir,
    allowLoopbackHttp: env.HOLDER_ALLOW_LOOPBACK_HTTP === '1',
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.HOLDER_WEBHOOK_URL ? { webhookUrl: env.HOLDER_WEBHOOK_URL } : {}),
  };
  if (env.HOLDER_KEY) return { ...base, holderKey: env.HOLDER_KEY };
  if (env.DATABASE_URL) throw new Error('Set HOLDER_KEY (32 bytes in base64, e.g. `openssl rand -base64 32`): every holder process on the database needs the same key.');
  // Embedded: a key in the data folder, so `npm run holder` needs no set-up. A backup of the folder then holds both.
  const keyFile = join(dataDir, 'holder.key');
  if (!existsSync(keyFile)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(keyFile, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  }
  return { ...base, holderKey: readFileSync(keyFile, 'utf8').trim(), keyFile };
}
