import type { Connection } from '../../utils/connection';
import { createConnection } from '../../utils/records/new-connection';
import type { DatedExpiry } from '../../utils/expiry/rules';
import { readPayload, type Handlers, type MessageType, type Protocol } from '../../utils/messaging/protocol';
import { runImport, type ImportSummary } from '../../utils/records/transfer';
import type { SessionKeyStore } from '../../utils/storage/vault';

let counter = 0;

/** A connection with sensible defaults; tests override what they are about. */
export function aConnection(overrides: Partial<Connection> = {}): Connection {
  counter += 1;
  const created = Date.parse('2025-06-01T10:00:00Z');
  return {
    ...createConnection(
      { platformId: 'ebay', label: `Shop ${counter}`, account: `seller-${counter}`, consentedAt: created, requestedBy: 'Anna Becker' },
      { id: `connection-${counter}`, now: created },
    ),
    ...overrides,
  };
}

export const expiresAt = (at: number, source: DatedExpiry['source'] = 'documented'): DatedExpiry => ({ at, source });

/** Sends a page's message to handlers the way the background does: its payload is read at the entry first. */
export async function send<T extends MessageType>(handlers: Partial<Handlers>, message: { type: T } & Record<string, unknown>): Promise<Protocol[T]['response']> {
  const handler = handlers[message.type];
  if (!handler) throw new Error(`no handler for ${message.type}`);
  return handler(readPayload(message.type, message));
}

/** The browser's session storage as the vault sees it: in memory, one per test. */
export function memorySession(): SessionKeyStore & { held: () => { name: string; raw: string } | undefined } {
  let held: { name: string; raw: string } | undefined;
  return {
    get: async () => held,
    set: async (value) => {
      held = value ?? undefined;
    },
    held: () => held,
  };
}

/**
 * An import as the settings page runs it (`runImport`): the file read against what the handlers
 * list, what it keeps sent through their 'connections/import'.
 */
export async function importThrough(handlers: Partial<Handlers>, document: string, confirmedHosts?: string[]): Promise<ImportSummary> {
  const [{ views }, platforms] = await Promise.all([send(handlers, { type: 'connections/list' }), send(handlers, { type: 'platforms/list' })]);
  return runImport(document, {
    existing: views.map((view) => view.connection),
    customPlatforms: platforms,
    ...(confirmedHosts ? { confirmedHosts } : {}),
    store: (connections, added) => send(handlers, { type: 'connections/import', connections, platforms: added }),
  });
}
