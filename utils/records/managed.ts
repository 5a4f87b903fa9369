/**
 * Connections an administrator sets up for every employee through the browser's
 * enterprise policy (storage.managed, schema in public/managed_schema.json).
 * They are marked as managed and cannot be deleted by the user; an entry the
 * policy no longer lists becomes an ordinary connection again.
 */
import type { Connection } from '../connection';
import { findPlatform, type CustomPlatform } from '../catalogue/presets';
import { checkClient, newOAuthConnection, readNewConnection } from './oauth-input';
import { InvalidInputError } from '../errors';
import { isRecord } from './fields';
import { newTrackedConnection, readTrackedConnection, trackedExpiry, trackedPlatform } from './input';

export interface ManagedPlan {
  /** New or changed managed connections. */
  save: Connection[];
  /** Connections the policy no longer lists. */
  release: Connection[];
  /** Policy entries that could not be read, by their key, with the field at fault. */
  refused: { key: string; field: string }[];
}

/** Who the history names for what the enterprise policy did. */
export const ADMINISTRATOR = 'Administrator';

export function planManaged(
  policy: unknown,
  existing: readonly Connection[],
  { now, timeZone, custom = [] }: { now: number; timeZone: string; custom?: readonly CustomPlatform[] },
): ManagedPlan {
  const connections = isRecord(policy) ? policy.connections : undefined;
  const entries: unknown[] = Array.isArray(connections) ? connections : [];
  const plan: ManagedPlan = { save: [], release: [], refused: [] };
  const listed = new Set<string>();

  for (const entry of entries) {
    const record = isRecord(entry) ? entry : {};
    const key = typeof record.key === 'string' && /^[\w.-]{1,100}$/.test(record.key) ? record.key : undefined;
    if (!key) {
      plan.refused.push({ key: typeof record.key === 'string' ? record.key : '?', field: 'key' });
      continue;
    }
    const id = `managed-${key}`;
    listed.add(id);
    const current = existing.find((connection) => connection.id === id);
    const applied = JSON.stringify(record);
    // The same entry as last time: keep what happened since (a sign-in, "renewed today", notices).
    if (current?.managed && current.managedEntry === applied) continue;
    try {
      const platform = typeof record.platformId === 'string' ? findPlatform(record.platformId, custom) : undefined;
      let next: Connection;
      if (platform?.kind === 'oauth') {
        const read = readNewConnection(record);
        const client = checkClient(read.client, platform);
        if (client.exchange === 'secret') throw new InvalidInputError('client.exchange');
        next = current
          ? { ...current, label: read.label, account: read.account || current.account, client }
          : newOAuthConnection({ ...read, client }, { id, now, actor: ADMINISTRATOR });
      } else {
        const tracked = trackedPlatform(platform);
        const read = readTrackedConnection(record);
        next = current
          ? {
              ...current,
              label: read.label,
              account: read.account || current.account,
              ...trackedExpiry(tracked.grantRule, read, timeZone),
              ...(read.warningDays ? { warningDays: read.warningDays } : {}),
              ...(read.renewUrl ? { renewUrl: read.renewUrl } : {}),
              updatedAt: now,
            }
          : newTrackedConnection(read, tracked, { id, now, actor: ADMINISTRATOR, timeZone });
      }
      plan.save.push({ ...next, managed: true, managedEntry: applied });
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      plan.refused.push({ key, field: error.field });
    }
  }
  for (const connection of existing) {
    if (connection.managed && !listed.has(connection.id)) {
      const { managedEntry: _entry, ...released } = connection;
      plan.release.push({ ...released, managed: false });
    }
  }
  return plan;
}
