import type { Database } from './db/database';
import { createAccess, platformRefresh } from './grants/access';
import { createPlatforms } from './grants/platform';
import { createRevocations } from './grants/revocation';
import { createSignIn } from './grants/sign-in';
import { createUpkeep } from './grants/upkeep';
import { createHolderServer } from './http/server';
import type { Sealer } from './sealing';
import { createWebhook } from './webhook';

export interface HolderOptions {
  db: Database;
  sealer: Sealer;
  fetch: typeof globalThis.fetch;
  now?: () => number;
  /** The team's webhook for grants that need a new sign-in and work again. */
  webhookUrl?: string;
  /** Tests and the demo only: platforms and redirects on this machine over plain HTTP. */
  allowLoopbackHttp?: boolean;
  log?: (line: string) => void;
  /** HTTPS with this certificate and key; without it plain HTTP, for a reverse proxy in front. */
  tls?: { cert: string; key: string };
}

/** The holder's parts, joined: its HTTP server and its own rounds (`upkeep.run`, every minute from `main`). */
export function createHolder({ db, sealer, fetch, now = Date.now, webhookUrl, allowLoopbackHttp = false, log = console.error, tls }: HolderOptions) {
  const platforms = createPlatforms({ fetch, allowLoopbackHttp, now });
  const webhook = webhookUrl ? createWebhook({ url: webhookUrl, db, fetch, log }) : undefined;
  const notify = webhook?.notify;
  const access = createAccess({ db, sealer, now, refresh: platformRefresh(platforms), ...(notify ? { notify } : {}) });
  const revocations = createRevocations({ db, sealer, platforms, now });
  const signIn = createSignIn({ db, sealer, platforms, revocations, now, ...(notify ? { notify } : {}) });
  const upkeep = createUpkeep({ db, access, platforms, revocations, now });
  const server = createHolderServer({ db, access, signIn, revocations, now, allowLoopbackHttp }, { log, ...(tls ? { tls } : {}) });
  return { server, upkeep, access, signIn, revocations, platforms };
}
