/**
 * The holder's database: PostgreSQL through `DATABASE_URL` (several holder processes share it), or
 * PGlite, PostgreSQL compiled to WebAssembly, in a data folder (one process, nothing to set up).
 * Both speak the same SQL; the holder sees only this interface.
 */

/** Runs one statement; `$1, $2, …` take `params`. */
export interface Sql {
  query<Row extends object>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Sql {
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** `postgres` or `pglite`, for logs and the benchmark. */
  readonly kind: 'postgres' | 'pglite';
}

/** Opens PostgreSQL when a URL is given, else PGlite in `dataDir` (`memory://` for a throwaway one). */
export async function openDatabase({ url, dataDir }: { url?: string; dataDir: string }): Promise<Database> {
  if (url) {
    const { openPostgres } = await import('./postgres');
    return openPostgres(url);
  }
  const { openPglite } = await import('./pglite');
  return openPglite(dataDir);
}
