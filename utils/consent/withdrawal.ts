/**
 * Withdrawing a grant at its platform (RFC 7009). A removed connection's refresh token stays
 * sealed, with what its revocation request needs, until the platform has confirmed, or until
 * the retries have run out; only then is it wiped. The retries happen at the background's
 * wake-ups, so a platform that is down when the user removes a connection still hears of it.
 */
import { connectionEvent } from '../connection';
import type { ConnectionRepository, PendingRevocation } from '../storage/db';
import { VaultLockedError, type Vault } from '../storage/vault';
import type { OAuthClientApi } from './oauth-client';
import { backoffMs } from '../expiry/renewal';
import { OAuthFailure, TRANSIENT_PROBLEMS } from './oauth-errors';

export type { PendingRevocation };

/** Tries in all, the first included: retries wait 1 minute, doubling up to 6 hours. */
export const REVOKE_ATTEMPTS = 8;
const LAST_RETRY_MS = 6 * 3_600_000;
/** The `dueAt` of a revocation that waits for the passphrase lock to be unlocked: no wake-up is planned for it. */
export const AWAITS_UNLOCK = Infinity;

/** When the attempt after `failures` failed ones is due, never sooner than the platform's Retry-After. */
export function revocationRetryAt(failures: number, now: number, retryAfterSeconds = 0): number {
  return now + Math.min(Math.max(backoffMs(failures), retryAfterSeconds * 1000), LAST_RETRY_MS);
}

export interface WithdrawalDeps {
  repository: () => Promise<ConnectionRepository>;
  oauth: Pick<OAuthClientApi, 'revoke'>;
  vault: () => Promise<Vault>;
  now: () => number;
}

export function createWithdrawal(deps: WithdrawalDeps) {
  /**
   * One attempt. Afterwards the pending revocation is gone (confirmed, impossible, or out of
   * tries, each in the history) or planned again. Answers whether the platform confirmed.
   */
  async function attempt(pending: PendingRevocation): Promise<boolean> {
    const repository = await deps.repository();
    const event = (type: 'revoked' | 'revoke-failed', detail?: string) => connectionEvent(pending.connectionId, type, deps.now(), pending.actor, detail);
    let failure: OAuthFailure;
    try {
      const vault = await deps.vault();
      const token = await vault.open(pending.refreshToken);
      const clientSecret = pending.clientSecret ? await vault.open(pending.clientSecret) : undefined;
      const { platformId, settings, client } = pending;
      // The secrets are opened before the request and no transaction is open while it runs.
      const revoked = await deps.oauth.revoke({ platformId, settings, client, ...(clientSecret ? { clientSecret } : {}) }, token);
      // False: the platform has no revocation endpoint; there is nothing to wait for.
      await repository.settleRevocation(pending, revoked ? event('revoked') : null);
      return revoked;
    } catch (error) {
      // Locked, nothing was sent: no attempt is used up, and the revocation waits for the key (`retryDue(true)`).
      if (error instanceof VaultLockedError) {
        await repository.settleRevocation(pending, null, { ...pending, dueAt: AWAITS_UNLOCK });
        return false;
      }
      failure = error instanceof OAuthFailure ? error : new OAuthFailure('failed', {}, { cause: error });
    }
    const failures = pending.attempts + 1;
    // Failures that pass by themselves are tried again; any other answer will not change on a retry.
    const again = TRANSIENT_PROBLEMS[failure.code] !== undefined && failures < REVOKE_ATTEMPTS;
    await repository.settleRevocation(
      pending,
      event('revoke-failed', again ? `${failure.code}, retrying` : failure.code),
      again ? { ...pending, attempts: failures, dueAt: revocationRetryAt(failures, deps.now(), failure.details.retryAfterSeconds) } : undefined,
    );
    return false;
  }

  return {
    attempt,
    /**
     * The revocations whose retry is due, one after another, and once `unlocked` those that waited
     * for the key; each settles itself. Only storage faults escape.
     */
    async retryDue(unlocked = false): Promise<void> {
      const now = deps.now();
      for (const pending of await (await deps.repository()).revocations()) {
        if (pending.dueAt <= now || (unlocked && pending.dueAt === AWAITS_UNLOCK)) await attempt(pending);
      }
    },
  };
}

export type Withdrawal = ReturnType<typeof createWithdrawal>;
