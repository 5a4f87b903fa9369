import type { Database } from './db/database';
import type { GrantNotice } from './grants/access';
import { grantMetadata } from './grants/store';

const ATTEMPT_WAITS_MS = [0, 5_000, 30_000];

/**
 * The team's webhook (`HOLDER_WEBHOOK_URL`): a POST when a grant needs a new sign-in and when it
 * works again, with the grant's metadata (never a token). Tried three times; a webhook that does
 * not answer never holds up the holder.
 */
export function createWebhook({ url, db, fetch, log, waits = ATTEMPT_WAITS_MS }: {
  url: string;
  db: Database;
  fetch: typeof globalThis.fetch;
  log: (line: string) => void;
  waits?: readonly number[];
}) {
  async function deliver(notice: GrantNotice, grantId: string): Promise<boolean> {
    const grant = await grantMetadata(db, grantId);
    if (!grant) return false;
    const body = JSON.stringify({ event: notice, at: new Date().toISOString(), grant });
    for (const wait of waits) {
      await new Promise((done) => setTimeout(done, wait));
      try {
        const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
        if (response.ok) return true;
      } catch {
        // Tried again after the next wait.
      }
    }
    log(`Token Watch holder: the webhook did not take "${notice}" for grant ${grantId}.`);
    return false;
  }
  return {
    deliver,
    notify: (notice: GrantNotice, grantId: string) => void deliver(notice, grantId).catch(() => undefined),
  };
}
