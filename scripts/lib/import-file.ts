import type { CustomPlatform } from '../../utils/catalogue/types';
import type { ConnectionList } from '../../utils/messaging/protocol';
import { runImport, type ImportSummary } from '../../utils/records/transfer';

/**
 * Imports an export file as the settings page does (`runImport`): read against what the extension
 * lists, what it keeps sent to the background. `send` is a page's `runtime.sendMessage`.
 */
export async function importAsSettingsPage(send: (message: object) => Promise<unknown>, document: unknown): Promise<ImportSummary> {
  const ask = async <T>(message: { type: string } & Record<string, unknown>): Promise<T> => {
    const reply = (await send(message)) as { ok: boolean; value?: T } | undefined;
    if (!reply?.ok) throw new Error(`The extension refused ${message.type}: ${JSON.stringify(reply)}`);
    return reply.value as T;
  };
  const list = await ask<ConnectionList>({ type: 'connections/list' });
  const platforms = await ask<CustomPlatform[]>({ type: 'platforms/list' });
  return runImport(JSON.stringify(document), {
    existing: list.views.map((view) => view.connection),
    customPlatforms: platforms,
    store: (connections, added) => ask({ type: 'connections/import', connections, platforms: added }),
  });
}
