import { PGlite } from '@electric-sql/pglite';
import type { Database } from './database';

/**
 * PGlite in a data folder. It has one connection, and runs one transaction at a time: a
 * row lock there is uncontended, and whatever waits for it simply queues.
 */
export async function openPglite(dataDir: string): Promise<Database> {
  const db = await PGlite.create(dataDir);
  return {
    kind: 'pglite',
    query: async <Row extends object>(text: string, params: readonly unknown[] = []) => (await db.query<Row>(text, [...params])).rows,
    transaction: (work) =>
      db.transaction((tx) =>
        work({ query: async <Row extends object>(text: string, params: readonly unknown[] = []) => (await tx.query<Row>(text, [...params])).rows }),
      ),
    close: () => db.close(),
  };
}
