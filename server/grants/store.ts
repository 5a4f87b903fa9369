import type { Sql } from '../db/database';
import type { ConnectionProblem } from '../../utils/connection';
import type { DateSource } from '../../utils/expiry/rules';

/** A grant as the holder keeps it: dates, who consented, its app, and its tokens sealed. */
export interface GrantRow {
  id: string;
  platform_id: string;
  label: string;
  account: string;
  client: unknown;
  client_secret_sealed: string | null;
  refresh_token_sealed: string | null;
  access_token_sealed: string | null;
  access_expires_at: Date | null;
  grant_expires_at: Date | null;
  grant_expiry_source: DateSource;
  consented_at: Date | null;
  scopes: string[];
  needs_reconsent: boolean;
  problem: ConnectionProblem | null;
  refreshed_at: Date | null;
}

const COLUMNS = `id, platform_id, label, account, client, client_secret_sealed, refresh_token_sealed, access_token_sealed, access_expires_at,
  grant_expires_at, grant_expiry_source, consented_at, scopes, needs_reconsent, problem, refreshed_at`;

/** One grant that has not been removed; `lock` takes its row lock until the transaction ends. */
export async function readGrant(sql: Sql, id: string, { lock = false } = {}): Promise<GrantRow | undefined> {
  const rows = await sql.query<GrantRow>(`SELECT ${COLUMNS} FROM grants WHERE id = $1 AND removed_at IS NULL${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0];
}

/** What a colleague's extension sees of a grant: never a token or a secret. */
export interface GrantMetadata {
  id: string;
  platformId: string;
  label: string;
  account: string;
  scopes: string[];
  grantExpiresAt: string | null;
  grantExpirySource: DateSource;
  consentedAt: string | null;
  consentedBy: string | null;
  refreshedAt: string | null;
  needsReconsent: boolean;
  problem: ConnectionProblem | null;
  updatedAt: string;
  /** The grant's parts of the platform's addresses (Shopify's shop): the extension needs them to sign in again. */
  endpointValues: Record<string, string> | null;
  /** The API scopes chosen at sign-in among the platform's choices: asked for again at the next one. */
  chosenScopes: string[] | null;
}

const METADATA = `id, platform_id AS "platformId", label, account, scopes, grant_expires_at AS "grantExpiresAt",
  grant_expiry_source AS "grantExpirySource", consented_at AS "consentedAt", refreshed_at AS "refreshedAt",
  needs_reconsent AS "needsReconsent", problem, updated_at AS "updatedAt", client->'endpointValues' AS "endpointValues", client->'scopes' AS "chosenScopes",
  (SELECT name FROM members WHERE members.id = grants.consented_by) AS "consentedBy"`;

const asIso = (value: unknown) => (value instanceof Date ? value.toISOString() : typeof value === 'string' ? new Date(value).toISOString() : null);

function metadataOf(row: Record<string, unknown>): GrantMetadata {
  return {
    ...(row as unknown as GrantMetadata),
    grantExpiresAt: asIso(row.grantExpiresAt),
    consentedAt: asIso(row.consentedAt),
    refreshedAt: asIso(row.refreshedAt),
    updatedAt: asIso(row.updatedAt) ?? '',
  };
}

export async function listGrants(sql: Sql): Promise<GrantMetadata[]> {
  return (await sql.query<Record<string, unknown>>(`SELECT ${METADATA} FROM grants WHERE removed_at IS NULL ORDER BY label, id`)).map(metadataOf);
}

export async function grantMetadata(sql: Sql, id: string): Promise<GrantMetadata | undefined> {
  const [row] = await sql.query<Record<string, unknown>>(`SELECT ${METADATA} FROM grants WHERE id = $1 AND removed_at IS NULL`, [id]);
  return row ? metadataOf(row) : undefined;
}

/** What happened to a grant, who did it, when; the history outlives the grant's removal. */
export type GrantEventType = 'consented' | 'consent-failed' | 'refreshed' | 'refresh-failed' | 'removed' | 'revoked' | 'revocation-failed';

export async function recordEvent(sql: Sql, grantId: string, type: GrantEventType, { at, actor, detail }: { at: number; actor: string; detail?: string }) {
  await sql.query('INSERT INTO grant_events (grant_id, type, at, actor, detail) VALUES ($1, $2, $3, $4, $5)', [grantId, type, new Date(at), actor, detail ?? null]);
}
