import { MS_PER_DAY } from '../../utils/expiry/calendar';
import { addLifetime } from '../../utils/expiry/rules';
import type { Database } from '../db/database';
import type { Access } from './access';
import type { Platforms } from './platform';
import type { Revocations } from './revocation';

/** A sliding grant is refreshed when less than this much of it is left (or half its lifetime, when that is shorter). */
export const SLIDING_MARGIN_MS = 7 * MS_PER_DAY;

/**
 * The holder's own rounds: sliding grants are refreshed before they lapse (a grant nobody used for
 * months would otherwise run out), and due revocations are tried again. Every holder process runs
 * them; the row locks keep two from refreshing the same grant.
 */
export function createUpkeep({ db, access, platforms, revocations, now }: { db: Database; access: Access; platforms: Platforms; revocations: Revocations; now: () => number }) {
  async function refreshSliding(): Promise<string[]> {
    const candidates = await db.query<{ id: string; platform_id: string; grant_expires_at: Date; problem: { retryAt?: number } | null }>(
      `SELECT id, platform_id, grant_expires_at, problem FROM grants
       WHERE removed_at IS NULL AND NOT needs_reconsent AND refresh_token_sealed IS NOT NULL AND grant_expires_at IS NOT NULL AND grant_expires_at < $1`,
      [new Date(now() + SLIDING_MARGIN_MS)],
    );
    const refreshed: string[] = [];
    for (const grant of candidates) {
      if (grant.problem && (grant.problem.retryAt === undefined || grant.problem.retryAt > now())) continue;
      const platform = await platforms.platformOf(db, grant.platform_id);
      if (platform?.grantRule.kind !== 'sliding') continue;
      const margin = Math.min(SLIDING_MARGIN_MS, addLifetime(0, platform.grantRule.lifetime) / 2);
      if (new Date(grant.grant_expires_at).getTime() - now() > margin) continue;
      const outcome = await access.check(grant.id, 'holder');
      if (outcome.status === 'refreshed') refreshed.push(grant.id);
    }
    return refreshed;
  }

  let round: Promise<unknown> | undefined;
  return {
    refreshSliding,
    /** One round; a round still running is not started twice. */
    run(): Promise<unknown> {
      round ??= Promise.allSettled([refreshSliding(), revocations.runDue()]).finally(() => (round = undefined));
      return round;
    },
  };
}
