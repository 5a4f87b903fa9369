import type { Database } from './database';

/**
 * The schema, one numbered step after another. A step is never edited once released; a change
 * is a new step. Each step runs in its own transaction, together with the record that it ran,
 * so a failing step leaves the database as it was before it.
 */
export const MIGRATIONS: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: 'members, keys, grants and their history',
    sql: `
      CREATE TABLE members (
        id text PRIMARY KEY,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE TABLE server_keys (
        id text PRIMARY KEY,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE TABLE grants (
        id text PRIMARY KEY,
        platform_id text NOT NULL,
        label text NOT NULL,
        account text NOT NULL DEFAULT '',
        scopes text[] NOT NULL DEFAULT '{}',
        client jsonb NOT NULL,
        client_secret_sealed text,
        refresh_token_sealed text,
        access_token_sealed text,
        access_expires_at timestamptz,
        grant_expires_at timestamptz,
        grant_expiry_source text NOT NULL DEFAULT 'unknown',
        consented_at timestamptz,
        consented_by text REFERENCES members (id),
        refreshed_at timestamptz,
        needs_reconsent boolean NOT NULL DEFAULT true,
        problem jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        removed_at timestamptz
      );
      CREATE TABLE platforms (
        id text PRIMARY KEY,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE grant_events (
        id bigserial PRIMARY KEY,
        grant_id text NOT NULL REFERENCES grants (id),
        type text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        actor text NOT NULL DEFAULT '',
        detail text
      );
      CREATE INDEX grant_events_by_grant ON grant_events (grant_id, at);
    `,
  },
  {
    version: 2,
    name: 'apps at the platforms, revocations with retries',
    sql: `
      CREATE TABLE apps (
        platform_id text PRIMARY KEY,
        client jsonb NOT NULL,
        client_secret_sealed text,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE revocations (
        id bigserial PRIMARY KEY,
        grant_id text NOT NULL REFERENCES grants (id),
        platform_id text NOT NULL,
        client jsonb NOT NULL,
        client_secret_sealed text,
        token_sealed text,
        attempts integer NOT NULL DEFAULT 0,
        next_at timestamptz NOT NULL,
        done_at timestamptz,
        outcome text
      );
      CREATE INDEX revocations_due ON revocations (next_at) WHERE done_at IS NULL;
      CREATE INDEX grants_by_expiry ON grants (grant_expires_at) WHERE removed_at IS NULL
    `,
  },
];

/** Any number will do, as long as it is this holder's own: it keeps two processes from migrating at once. */
const MIGRATION_LOCK = 7_413_205;

/** Brings the schema up to date; several processes starting together migrate once. */
export async function migrate(db: Database): Promise<number[]> {
  // Under the lock as well: two processes creating the table at once would collide in PostgreSQL's catalogue.
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('CREATE TABLE IF NOT EXISTS holder_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
  });
  const applied: number[] = [];
  for (const step of MIGRATIONS) {
    const ran = await db.transaction(async (tx) => {
      // Held until this transaction ends: a second process waits here, then finds the step done.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const done = await tx.query('SELECT 1 FROM holder_migrations WHERE version = $1', [step.version]);
      if (done.length > 0) return false;
      for (const statement of step.sql.split(';').map((part) => part.trim()).filter(Boolean)) await tx.query(statement);
      await tx.query('INSERT INTO holder_migrations (version, name) VALUES ($1, $2)', [step.version, step.name]);
      return true;
    });
    if (ran) applied.push(step.version);
  }
  return applied;
}
