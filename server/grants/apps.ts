import type { OAuthClient } from '../../utils/connection';
import type { CustomPlatform } from '../../utils/catalogue/presets';
import type { Database, Sql } from '../db/database';
import type { Sealer } from '../sealing';

/**
 * The company's apps at the platforms: the holder adds their credentials to every code a
 * colleague's browser brings back, so no app secret ever reaches a browser.
 */
export interface AppInput {
  platformId: string;
  clientId: string;
  /** Absent for public clients (PKCE only). */
  clientSecret?: string;
  /** eBay's RuName, where the platform registers a name instead of the redirect URL. */
  redirectName?: string;
  /** The app's own parameters at the platform (Amazon's application_id). */
  authorizationParams?: Record<string, string>;
}

interface AppRow {
  platform_id: string;
  client: { clientId: string; redirectName?: string; authorizationParams?: Record<string, string> };
  client_secret_sealed: string | null;
}

export async function setApp(db: Database, sealer: Sealer, app: AppInput): Promise<void> {
  const client = {
    clientId: app.clientId,
    ...(app.redirectName ? { redirectName: app.redirectName } : {}),
    ...(app.authorizationParams ? { authorizationParams: app.authorizationParams } : {}),
  };
  const sealed = app.clientSecret ? sealer.seal(app.clientSecret) : null;
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO apps (platform_id, client, client_secret_sealed) VALUES ($1, $2, $3)
       ON CONFLICT (platform_id) DO UPDATE SET client = $2, client_secret_sealed = $3, updated_at = now()`,
      [app.platformId, client, sealed],
    );
    // A new secret for the same app applies to every grant given to it.
    await tx.query(`UPDATE grants SET client_secret_sealed = $3 WHERE platform_id = $1 AND client->>'clientId' = $2`, [app.platformId, app.clientId, sealed]);
  });
}

/** The app for a platform, ready to redeem a code: `secret` with a secret, else `public`. */
export async function appOf(sql: Sql, sealer: Sealer, platformId: string) {
  const [row] = await sql.query<AppRow>('SELECT platform_id, client, client_secret_sealed FROM apps WHERE platform_id = $1', [platformId]);
  if (!row) return undefined;
  const client: OAuthClient = { ...row.client, exchange: row.client_secret_sealed ? 'secret' : 'public' };
  return { client, clientSecretSealed: row.client_secret_sealed, ...(row.client_secret_sealed ? { clientSecret: sealer.open(row.client_secret_sealed) } : {}) };
}

/** What a colleague's extension needs to open the sign-in: the app's public settings, and the platforms added to this holder. */
export interface PublicApp {
  platformId: string;
  clientId: string;
  redirectName?: string;
  authorizationParams?: Record<string, string>;
  /** For a platform added to this holder, its definition (the catalogue's are known to the extension). */
  platform?: CustomPlatform;
}

export async function listApps(sql: Sql): Promise<PublicApp[]> {
  const rows = await sql.query<{ platform_id: string; client: AppRow['client']; definition: CustomPlatform | null }>(
    'SELECT apps.platform_id, apps.client, platforms.definition FROM apps LEFT JOIN platforms ON platforms.id = apps.platform_id ORDER BY apps.platform_id',
  );
  return rows.map((row) => ({ platformId: row.platform_id, ...row.client, ...(row.definition ? { platform: row.definition } : {}) }));
}

/** A platform that is not in the catalogue, added by the company (read and checked like the extension's own). */
export async function addPlatform(db: Database, platform: CustomPlatform): Promise<void> {
  await db.query('INSERT INTO platforms (id, definition) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET definition = $2', [platform.id, platform]);
}
