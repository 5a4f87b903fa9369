import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresCluster } from '../../scripts/lib/postgres';
import { openDatabase, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations';
import { createAccess, GrantUnusableError } from '../../server/grants/access';
import { createSealer } from '../../server/sealing';
import { startTokenEndpoint } from './fixtures/token-endpoint';

const root = resolve(import.meta.dirname, '../..');
const KEY = randomBytes(32).toString('base64');
const sealer = createSealer(KEY);

/** A grant whose access token ran out a minute ago. */
async function expiredGrant(db: Database, id = 'grant-1') {
  await db.query(
    `INSERT INTO grants (id, platform_id, label, client, refresh_token_sealed, access_token_sealed, access_expires_at, needs_reconsent)
     VALUES ($1, 'ebay', 'Shop Berlin', '{"clientId":"app","exchange":"secret"}', $2, $3, $4, false)`,
    [id, sealer.seal('rt-0'), sealer.seal('at-old'), new Date(Date.now() - 60_000)],
  );
  return id;
}

function accessThrough(db: Database, endpoint: string) {
  return createAccess({
    db,
    sealer,
    now: Date.now,
    refresh: async (_grant, refreshToken) => {
      const response = await fetch(endpoint, { method: 'POST', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }) });
      if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
      const body = (await response.json()) as { access_token: string; expires_in: number; refresh_token: string };
      return { accessToken: body.access_token, expiresIn: body.expires_in, refreshToken: body.refresh_token };
    },
  });
}

describe('access tokens for the business software, with PGlite in one process', () => {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    await migrate(db);
  });
  afterAll(async () => db.close());

  it('refreshes once for 50 simultaneous requests, and every request gets the new token', async () => {
    const endpoint = await startTokenEndpoint();
    try {
      const id = await expiredGrant(db);
      const access = accessThrough(db, endpoint.url);
      const tokens = await Promise.all(Array.from({ length: 50 }, () => access.accessToken(id)));
      expect(endpoint.refreshes()).toBe(1);
      expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['at-1']));
      // The rotated refresh token was committed, sealed: the next refresh presents it.
      const [row] = await db.query<{ refresh_token_sealed: string }>('SELECT refresh_token_sealed FROM grants WHERE id = $1', [id]);
      expect(row!.refresh_token_sealed).not.toContain('rt-1');
      expect(sealer.open(row!.refresh_token_sealed)).toBe(endpoint.currentRefreshToken());
      // A cached token is handed out without asking the platform again.
      await access.accessToken(id);
      expect(endpoint.refreshes()).toBe(1);
    } finally {
      await endpoint.close();
    }
  });

  it('refuses a grant that needs a new sign-in, or that does not exist', async () => {
    await db.query(`INSERT INTO grants (id, platform_id, label, client) VALUES ('waiting', 'ebay', 'Neu', '{}')`);
    const access = accessThrough(db, 'http://127.0.0.1:9/unused');
    await expect(access.accessToken('waiting')).rejects.toEqual(new GrantUnusableError('sign-in-needed'));
    await expect(access.accessToken('nothing')).rejects.toEqual(new GrantUnusableError('not-found'));
  });
});

describe('access tokens with two holder processes on one PostgreSQL', () => {
  let cluster: PostgresCluster;
  let db: Database;
  beforeAll(async () => {
    cluster = await startPostgres();
    db = await openDatabase({ url: cluster.url, dataDir: '' });
    await migrate(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await cluster?.stop();
  });

  it('migrates once when both processes start together', async () => {
    const second = await openDatabase({ url: cluster.url, dataDir: '' });
    try {
      expect(await Promise.all([migrate(db), migrate(second)])).toEqual([[], []]);
    } finally {
      await second.close();
    }
  });

  it('migrates a new database once when two processes start on it together', async () => {
    await db.query('CREATE DATABASE fresh');
    const url = cluster.url.replace(/\/[^/]*$/, '/fresh');
    const [first, second] = await Promise.all([openDatabase({ url, dataDir: '' }), openDatabase({ url, dataDir: '' })]);
    try {
      const ran = await Promise.all([migrate(first!), migrate(second!)]);
      expect(ran.flat().sort((a, b) => a - b)).toEqual([1, 2]);
    } finally {
      await Promise.all([first!.close(), second!.close()]);
    }
  });

  it('refreshes once for 50 simultaneous requests across both processes (a row lock, not a map in memory)', async () => {
    const endpoint = await startTokenEndpoint();
    const id = await expiredGrant(db, 'grant-pg');
    const processes = [0, 1].map(() =>
      spawn(resolve(root, 'node_modules/.bin/tsx'), ['tests/holder/fixtures/access-process.ts'], {
        cwd: root,
        env: { ...process.env, DATABASE_URL: cluster.url, HOLDER_KEY: KEY, TOKEN_URL: endpoint.url, GRANT_ID: id, COUNT: '25' },
        stdio: ['pipe', 'pipe', 'inherit'],
      }),
    );
    try {
      const lines = processes.map((child) => {
        const received: string[] = [];
        let buffer = '';
        child.stdout.on('data', (chunk: Buffer) => {
          buffer += chunk.toString();
          const parts = buffer.split('\n');
          buffer = parts.pop() ?? '';
          received.push(...parts);
        });
        return async (count: number) => {
          while (received.length < count) {
            if (child.exitCode !== null) throw new Error(`a holder process ended early (${child.exitCode})`);
            await new Promise((done) => setTimeout(done, 20));
          }
          return received[count - 1]!;
        };
      });
      await Promise.all(lines.map((line) => line(1)));
      for (const child of processes) child.stdin.write('go\n');
      const answers = (await Promise.all(lines.map((line) => line(2)))).flatMap((line) => JSON.parse(line) as string[]);
      expect(answers).toHaveLength(50);
      expect(new Set(answers)).toEqual(new Set(['at-1']));
      expect(endpoint.refreshes()).toBe(1);
      const [row] = await db.query<{ refresh_token_sealed: string }>('SELECT refresh_token_sealed FROM grants WHERE id = $1', [id]);
      expect(sealer.open(row!.refresh_token_sealed)).toBe(endpoint.currentRefreshToken());
    } finally {
      for (const child of processes) child.kill();
      await endpoint.close();
    }
  }, 60_000);
});
