/**
 * The token holder: `npm run holder` starts it. Commands:
 *   add-member "Anna Becker"        a key for a colleague's extension
 *   add-server-key "ERP"            a key for the business software
 *   set-app <platform> <client id>  the company's app at a platform (secret from HOLDER_APP_SECRET)
 *   add-platform <file.json>        a platform that is not in the catalogue
 *   list-keys                       every key's id, kind, name and dates (never the key)
 *   revoke-key <id>                 withdraws a key at once
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readCustomPlatform } from '../utils/records/oauth-input';
import { readConfig } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrations';
import { addPlatform, setApp } from './grants/apps';
import { createHolder } from './holder';
import { issueKey, listKeys, revokeKey } from './keys';
import { createSealer } from './sealing';

const USAGE = `Usage: npm run holder [-- add-member "Name" | add-server-key "Name" | set-app <platform> <client id> | add-platform <file.json> | list-keys | revoke-key <id>]`;
const UPKEEP_EVERY_MS = 60_000;

async function command(name: string, args: string[]): Promise<string> {
  const config = readConfig();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  try {
    await migrate(db);
    const options = { allowLoopbackHttp: config.allowLoopbackHttp };
    switch (name) {
      case 'add-member':
      case 'add-server-key': {
        const issued = await issueKey(db, name === 'add-member' ? 'member' : 'server', args[0] ?? '');
        return `${issued.kind === 'member' ? 'Member' : 'Server'} key ${issued.id} for ${issued.name} (shown only now; keep it like a password):\n${issued.key}`;
      }
      case 'list-keys':
        return (await listKeys(db))
          .map((key) => `${key.id}  ${key.kind.padEnd(6)}  ${key.name}  issued ${key.created_at.toISOString().slice(0, 10)}${key.revoked_at ? `  revoked ${key.revoked_at.toISOString().slice(0, 10)}` : ''}`)
          .join('\n');
      case 'revoke-key':
        if (!args[0]) throw new Error(USAGE);
        return (await revokeKey(db, args[0])) ? `Key ${args[0]} revoked: it opens nothing from now on.` : `No key ${args[0]} that is not revoked already (see list-keys).`;
      case 'set-app': {
        const [platformId = '', clientId = ''] = args;
        if (!platformId || !clientId) throw new Error(USAGE);
        // The secret comes from the environment, so it stays out of the shell's history and the process list.
        const secret = process.env.HOLDER_APP_SECRET;
        await setApp(db, createSealer(config.holderKey), {
          platformId,
          clientId,
          ...(secret ? { clientSecret: secret } : {}),
          ...(process.env.HOLDER_APP_REDIRECT_NAME ? { redirectName: process.env.HOLDER_APP_REDIRECT_NAME } : {}),
        });
        return `App for ${platformId} saved (${secret ? 'with its secret, sealed' : 'public client, no secret'}).`;
      }
      case 'add-platform': {
        const file = args[0];
        if (!file) throw new Error(USAGE);
        const platform = readCustomPlatform(JSON.parse(readFileSync(file, 'utf8')), { id: `custom-${randomBytes(6).toString('hex')}`, now: Date.now(), ...options });
        await addPlatform(db, platform);
        return `Platform "${platform.name}" added as ${platform.id}; now: npm run holder -- set-app ${platform.id} <client id>`;
      }
      default:
        throw new Error(USAGE);
    }
  } finally {
    await db.close();
  }
}

async function serve() {
  const config = readConfig();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  await migrate(db);
  const holder = createHolder({
    db,
    sealer: createSealer(config.holderKey),
    fetch: (input, init) => fetch(input, init),
    allowLoopbackHttp: config.allowLoopbackHttp,
    ...(config.webhookUrl ? { webhookUrl: config.webhookUrl } : {}),
  });
  const rounds = setInterval(() => void holder.upkeep.run(), UPKEEP_EVERY_MS);
  holder.server.listen(config.port, config.host, () => {
    console.log(`Token Watch holder on http://${config.host}:${config.port} (${db.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`);
    if (config.keyFile) console.log(`Sealing key kept in ${config.keyFile}; for production set HOLDER_KEY instead and keep it out of backups.`);
    void holder.upkeep.run();
  });
  const stop = () => {
    clearInterval(rounds);
    holder.server.close(() => void db.close().then(() => process.exit(0)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const [name, ...args] = process.argv.slice(2);
(name === undefined ? serve() : command(name, args).then((line) => console.log(line))).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
