/**
 * Connections an administrator sets up for every employee through the browser's
 * enterprise policy (storage.managed, schema in public/managed_schema.json).
 * They are marked as managed and cannot be deleted by the user; an entry the
 * policy no longer lists becomes an ordinary connection again.
 */
import type { Connection } from '../connection';
import { InvalidInputError, newConnection, readNewConnection, readTrackedConnection, trackedExpiry } from './input';
import { connectionDefaults, DEFAULT_WARNING_DAYS } from '../connection';
import { findPlatform, type CustomPlatform } from '../catalogue/presets';

export interface ManagedPlan {
  /** New or changed managed connections. */
  save: Connection[];
  /** Connections the policy no longer lists. */
  release: Connection[];
  /** Policy entries that could not be read, by their key, with the field at fault. */
  refused: { key: string; field: string }[];
}

const ADMIN = 'Administrator';

export function planManaged(
  policy: unknown,
  existing: readonly Connection[],
  { now, timeZone, custom = [] }: { now: number; timeZone: string; custom?: readonly CustomPlatform[] },
): ManagedPlan {
  const entries = typeof policy === 'object' && policy !== null && Array.isArray((policy as { connections?: unknown }).connections)
    ? ((policy as { connections: unknown[] }).connections)
    : [];
  const plan: ManagedPlan = { save: [], release: [], refused: [] };
  const listed = new Set<string>();

  for (const entry of entries) {
    const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const key = typeof record.key === 'string' && /^[\w.-]{1,100}$/.test(record.key) ? record.key : undefined;
    if (!key) {
      plan.refused.push({ key: String(record.key ?? '?'), field: 'key' });
      continue;
    }
    const id = `managed-${key}`;
    listed.add(id);
    const current = existing.find((connection) => connection.id === id);
    const applied = JSON.stringify(record);
    // The same entry as last time: keep what happened since (a sign-in, "renewed today", notices).
    if (current?.managed && current.managedEntry === applied) continue;
    try {
      const platform = findPlatform(String(record.platformId ?? ''), custom);
      let next: Connection;
      if (platform?.kind === 'oauth') {
        const read = readNewConnection({ ...record, client: record.client }, platform);
        if (read.client.exchange === 'secret') throw new InvalidInputError('client.exchange');
        next = current
          ? { ...current, label: read.label, account: read.account ?? current.account, client: read.client }
          : newConnection(read, { id, now, actor: ADMIN });
      } else {
        const read = readTrackedConnection(record, platform);
        const dated = trackedExpiry(platform!.grantRule, read, timeZone);
        next = {
          id,
          platformId: read.platformId,
          account: read.account,
          requestedBy: ADMIN,
          accessTokenExpiry: { at: null, source: 'unknown' },
          needsReconsent: false,
          ...connectionDefaults(),
          ...current,
          label: read.label,
          ...dated,
          warningDays: read.warningDays ?? current?.warningDays ?? [...DEFAULT_WARNING_DAYS],
          ...(read.renewUrl ? { renewUrl: read.renewUrl } : {}),
          createdAt: current?.createdAt ?? now,
          updatedAt: now,
        };
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
