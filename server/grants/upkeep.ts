import { MS_PER_DAY } from '../../utils/expiry/calendar';
import { addLifetime, type ExpiryRule } from '../../utils/expiry/rules';
import type { Database } from '../db/database';
import type { Access } from './access';
import type { Platforms } from './platform';
import type { Revocations } from './revocation';
import type { GrantRow } from './store';

/** A sliding grant is refreshed when less than this much of it is left (or half its lifetime, when that is shorter). */
export const SLIDING_MARGIN_MS = 7 * MS_PER_DAY;

/**
 * The holder's own rounds: sliding grants are refreshed before they lapse (a grant nobody used for
 * months would otherwise run out), and due revocations are tried again. Every holder process runs
 * them; a grant is looked at again under its row lock, so two never refresh the same grant.
 */
export function createUpkeep({ db, access, platforms, revocations, now }: { db: Database; access: Access; platforms: Platforms; revocations: Revocations; now: () => number }) {
  /** The rule by which a refresh moves the grant's end: sliding, or a response field that falls back to sliding. */
  const slidingRule = (rule: ExpiryRule): Extract<ExpiryRule, { kind: 'sliding' }> | undefined =>
    rule.kind === 'sliding' ? rule : rule.kind === 'response-field' && rule.otherwise.kind === 'sliding' ? rule.otherwise : undefined;

  async function refreshSliding(): Promise<string[]> {
    const candidates = await db.query<{ id: string; platform_id: string; problem: { retryAt?: number } | null }>(
      `SELECT id, platform_id, problem FROM grants
       WHERE removed_at IS NULL AND NOT needs_reconsent AND refresh_token_sealed IS NOT NULL AND grant_expires_at IS NOT NULL AND grant_expires_at < $1`,
      [new Date(now() + SLIDING_MARGIN_MS)],
    );
    const refreshed: string[] = [];
    // Each platform's rule looked up once a round, however many of its grants are due.
    const rules = new Map<string, Promise<ReturnType<typeof slidingRule>>>();
    for (const grant of candidates) {
      if (grant.problem && (grant.problem.retryAt === undefined || grant.problem.retryAt > now())) continue;
      if (!rules.has(grant.platform_id)) rules.set(grant.platform_id, platforms.platformOf(db, grant.platform_id).then((platform) => platform && slidingRule(platform.grantRule)));
      const rule = await rules.get(grant.platform_id);
      if (!rule) continue;
      const margin = Math.min(SLIDING_MARGIN_MS, addLifetime(0, rule.lifetime) / 2);
      // Looked at again under the grant's lock: another holder process may have refreshed it a moment ago.
      const due = (row: GrantRow) => {
        const end = row.grant_expires_at === null ? Infinity : new Date(row.grant_expires_at).getTime();
        const consented = row.consented_at === null ? now() : new Date(row.consented_at).getTime();
        // A refresh that would not move the end (a hard cap reached) is no use.
        const moved = Math.min(addLifetime(now(), rule.lifetime), rule.hardCap ? addLifetime(consented, rule.hardCap) : Infinity);
        return end - now() <= margin && moved > end;
      };
      const outcome = await access.refreshIfDue(grant.id, due);
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
