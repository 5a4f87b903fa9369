import { isDiskFull } from '../errors';
import { isRecord } from '../records/fields';
import { ADMINISTRATOR, planManaged } from '../records/managed';
import type { ConnectionRepository } from '../storage/db';

export interface PolicyServiceDeps {
  repository: () => Promise<ConnectionRepository>;
  /** storage.managed.get: rejects where there is no policy (and in Firefox without a managed storage manifest). */
  readPolicy: () => Promise<unknown>;
  now: () => number;
  timeZone: () => string;
  /** The company's token holder from the policy (`holder: { url, memberKey }`), or its absence. */
  holderPolicy?: (entry: unknown) => Promise<void>;
}

/** Takes over the administrator's connections from the enterprise policy, if there is one. */
export function createPolicyService(deps: PolicyServiceDeps) {
  return async function applyPolicy(): Promise<void> {
    const policy = await deps.readPolicy().catch(() => ({}));
    const store = await deps.repository();
    const [existing, custom] = await Promise.all([store.list(), store.platforms()]);
    const at = deps.now();
    const plan = planManaged(policy, existing, { now: at, timeZone: deps.timeZone(), custom });
    // A holder that does not answer must not keep the policy's connections from being applied; a full disk would refuse them too.
    await deps.holderPolicy?.(isRecord(policy) ? policy.holder : undefined).catch((error: unknown) => {
      if (isDiskFull(error)) throw error;
    });
    await store.saveAll(
      [...plan.save, ...plan.release].map((connection) => ({
        connection,
        event: { connectionId: connection.id, type: 'edited' as const, at, actor: ADMINISTRATOR, detail: connection.managed ? 'policy' : 'policy-released' },
      })),
    );
  };
}
