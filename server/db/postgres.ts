import pg from 'pg';
import type { Database, Sql } from './database';

/** PostgreSQL through a connection pool; a transaction keeps one connection from BEGIN to COMMIT. */
export async function openPostgres(url: string, { max = 10 } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max });
  // An idle connection the server dropped must not crash the holder; the pool opens a new one.
  pool.on('error', () => undefined);
  const run = async <Row extends object>(client: pg.Pool | pg.PoolClient, text: string, params: readonly unknown[] = []) =>
    (await client.query<Row>(text, [...params])).rows;
  await run(pool, 'SELECT 1');
  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    async transaction(work) {
      const client = await pool.connect();
      const tx: Sql = { query: (text, params) => run(client, text, params) };
      try {
        await client.query('BEGIN');
        const result = await work(tx);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
