/**
 * The token holder: `npm run holder` starts it; `npm run holder -- add-member "Anna Becker"` issues
 * a colleague's key, `npm run holder -- add-server-key "ERP"` one for the business software.
 */
import { join } from 'node:path';
import { readConfig } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrations';
import { createAccess } from './grants/access';
import { createPlatformRefresh } from './grants/platform';
import { createHolderServer } from './http/server';
import { issueKey } from './keys';
import { createSealer } from './sealing';

const USAGE = 'Usage: npm run holder [-- add-member "Name" | add-server-key "Name"]';

async function main([command, name]: string[]) {
  const config = readConfig();
  const db = await openDatabase({ url: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  await migrate(db);
  if (command === 'add-member' || command === 'add-server-key') {
    const issued = await issueKey(db, command === 'add-member' ? 'member' : 'server', name ?? '');
    await db.close();
    console.log(`${issued.kind === 'member' ? 'Member' : 'Server'} key for ${issued.name} (shown only now; keep it like a password):\n${issued.key}`);
    return;
  }
  if (command !== undefined) throw new Error(USAGE);
  const sealer = createSealer(config.holderKey);
  const access = createAccess({ db, sealer, now: Date.now, refresh: createPlatformRefresh({ fetch: (...args) => fetch(...args) }) });
  const server = createHolderServer({ db, access });
  server.listen(config.port, config.host, () => {
    console.log(`Token Watch holder on http://${config.host}:${config.port} (${db.kind === 'pglite' ? `embedded database in ${config.dataDir}` : 'PostgreSQL'})`);
    if (config.keyFile) console.log(`Sealing key kept in ${config.keyFile}; for production set HOLDER_KEY instead and keep it out of backups.`);
  });
  const stop = () => server.close(() => void db.close().then(() => process.exit(0)));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
