import type { BackgroundClient } from '@/utils/background-client';
import type { MessageKey, Texts } from '@/utils/i18n';
import type { ImportSummary } from '@/utils/protocol';
import { ActionMessage } from './ActionMessage';
import { useAction } from './use-action';

interface TransferPanelProps {
  client: Pick<BackgroundClient, 'exportConnections' | 'exportCalendar' | 'importConnections'>;
  texts: Texts;
  actor: string;
  onImported: () => void;
}

function download(name: string, type: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** What an import did, entry by entry, in words. */
export function importReport(texts: Texts, summary: ImportSummary): string {
  const lines = [texts.t('importResult', [String(summary.imported), String(summary.skipped.length)])];
  for (const skipped of summary.skipped) {
    const reason = texts.t(`skip_${skipped.reason.replace(/-/g, '_')}` as MessageKey);
    lines.push(texts.t('importSkipped', [String(skipped.position), skipped.label || '—', skipped.field ? `${reason} (${skipped.field})` : reason]));
  }
  return lines.join('\n');
}

export function TransferPanel({ client, texts, actor, onImported }: TransferPanelProps) {
  const { message, busy, run } = useAction(texts);
  const today = new Date().toISOString().slice(0, 10);

  function importFile(event: Event) {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    void run(async () => {
      const summary = await client.importConnections(await file.text(), actor);
      input.value = '';
      onImported();
      return importReport(texts, summary);
    });
  }

  return (
    <section class="form" aria-labelledby="transfer">
      <h2 id="transfer">{texts.t('sectionTransfer')}</h2>
      <div class="connection__actions">
        <button type="button" class="button" data-action="export" disabled={busy}
          onClick={() => void run(async () => (download(`token-watch-${today}.json`, 'application/json', JSON.stringify(await client.exportConnections(), null, 2)), null))}>
          {texts.t('actionExport')}
        </button>
        <button type="button" class="button" data-action="calendar" disabled={busy}
          onClick={() => void run(async () => (download(`token-watch-${today}.ics`, 'text/calendar', await client.exportCalendar()), null))}>
          {texts.t('actionCalendar')}
        </button>
      </div>
      <label class="field">
        <span class="field__label">{texts.t('actionImport')}</span>
        <input type="file" name="import" accept="application/json,.json" onChange={importFile} disabled={busy} />
      </label>
      <ActionMessage message={message} />
    </section>
  );
}
