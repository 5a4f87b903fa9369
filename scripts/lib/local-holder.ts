/**
 * A token holder on 127.0.0.1 for the end-to-end tests and the demo: the embedded database in
 * memory (or a folder), one local platform added with the company's app, member keys on demand.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { openDatabase, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrations';
import { addPlatform, setApp } from '../../server/grants/apps';
import { createHolder } from '../../server/holder';
import { issueKey } from '../../server/keys';
import { createSealer } from '../../server/sealing';
import { readCustomPlatform } from '../../utils/records/oauth-input';
import { platformDefinition } from './local-platforms';
import type { LocalPlatform, PlatformKind } from './oauth-platforms';
import { fetchTrusting, loopbackTls } from './tls';

export interface LocalHolder {
  url: string;
  db: Database;
  /** The holder's id of the local platform. */
  platformId: string;
  addMember(name: string): Promise<string>;
  addServerKey(name: string): Promise<string>;
  /** The business software's call: a fresh access token for a grant. */
  accessToken(grantId: string, serverKey: string): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The grant's access token ran out: the next request for it refreshes at the platform. */
  expireAccessToken(grantId: string): Promise<void>;
  /** The refresh token the holder keeps for a grant, for tests that look for it where it must not be. */
  refreshToken(grantId: string): Promise<string | null>;
  close(): Promise<void>;
}

export async function startLocalHolder({ kind, platform, dataDir = 'memory://', port = 0 }: {
  kind: PlatformKind;
  platform: LocalPlatform;
  dataDir?: string;
  port?: number;
}): Promise<LocalHolder> {
  const db = await openDatabase({ dataDir });
  await migrate(db);
  const sealer = createSealer(randomBytes(32).toString('base64'));
  const platformId = `custom-local-${kind}`;
  await addPlatform(db, readCustomPlatform(platformDefinition(kind, platform), { id: platformId, now: Date.now() }));
  await setApp(db, sealer, { platformId, clientId: platform.clientId, ...(platform.clientSecret ? { clientSecret: platform.clientSecret } : {}) });
  // HTTPS like a real holder behind its proxy: the browser under test trusts the loopback certificate.
  const tls = await loopbackTls();
  const holder = createHolder({ db, sealer, fetch: fetchTrusting(tls.cert), log: () => undefined, tls });
  await new Promise<void>((listening) => holder.server.listen(port, '127.0.0.1', listening));
  const url = `https://127.0.0.1:${(holder.server.address() as AddressInfo).port}`;
  const trusted = fetchTrusting(tls.cert);
  return {
    url,
    db,
    platformId,
    addMember: async (name) => (await issueKey(db, 'member', name)).key,
    addServerKey: async (name) => (await issueKey(db, 'server', name)).key,
    async accessToken(grantId, serverKey) {
      const response = await trusted(`${url}/v1/grants/${grantId}/access-token`, { headers: { authorization: `Bearer ${serverKey}` } });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    async expireAccessToken(grantId) {
      await db.query('UPDATE grants SET access_expires_at = $2 WHERE id = $1', [grantId, new Date(0)]);
      holder.access.forget(grantId);
    },
    async refreshToken(grantId) {
      const [row] = await db.query<{ refresh_token_sealed: string | null }>('SELECT refresh_token_sealed FROM grants WHERE id = $1', [grantId]);
      return row?.refresh_token_sealed ? sealer.open(row.refresh_token_sealed) : null;
    },
    async close() {
      holder.server.closeAllConnections();
      await new Promise((closed) => holder.server.close(closed));
      await db.close();
    },
  };
}
