import type { TargetedEvent } from 'preact';
import { useState } from 'preact/hooks';
import type { OptionsClient } from '@/utils/messaging/options-client';
import { formatDate, type MessageKey, type Texts } from '@/utils/i18n/texts';
import { calendarFor } from '@/utils/records/ics';
import type { ConnectionView, ImportSummary } from '@/utils/messaging/protocol';
import { exportDocument, ImportError, runImport } from '@/utils/records/transfer';
import { withLimit } from '@/utils/messaging/limit-text';
import { MAX_IMPORT_BYTES } from '@/utils/limits';
import { readableConnections } from '@/utils/connection';
import { readStoredList, type StoredList } from '@/utils/storage/reader';
import { ActionMessage } from './ActionMessage';
import { useAction } from './use-action';

interface TransferPanelProps {
  client: Pick<OptionsClient, 'importConnections' | 'listConnections' | 'listPlatforms' | 'removeAll'>;
  texts: Texts;
  /** How many connections are stored, for the question before all are removed. */
  stored: number;
  onImported: () => void;
  /** Reads the stored records as they are, whole and however many (utils/storage/reader.ts); null where it cannot. */
  readStored?: () => Promise<StoredList | null>;
}

/** The export file of every stored connection, read from the database whole: a list capped or cut for showing would lose some. */
async function exportOfAll(client: TransferPanelProps['client'], readStored: () => Promise<StoredList | null>) {
  const stored = await readStored().catch(() => null);
  if (stored) return exportDocument(readableConnections(stored.records), Date.now(), stored.platforms);
  const [{ views }, platforms] = await Promise.all([client.listConnections(), client.listPlatforms()]);
  return exportDocument(views.map((view) => view.connection), Date.now(), platforms);
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
    const reason = withLimit(texts, `skip_${skipped.reason.replace(/-/g, '_')}` as MessageKey);
    lines.push(texts.t('importSkipped', [String(skipped.position), skipped.label || '—', skipped.field ? `${reason} (${skipped.field})` : reason]));
  }
  for (const changed of summary.withoutRenewalPage ?? []) {
    lines.push(texts.t('importSkipped', [String(changed.position), changed.label || '—', texts.t('importWithoutRenewalPage')]));
  }
  return lines.join('\n');
}

/** Every known expiry date as an iCalendar file, in the user's language. */
export function calendarOf(views: readonly ConnectionView[], texts: Texts, { now, timeZone }: { now: number; timeZone: string }): string {
  const entries = views.map(({ connection, platform }) => {
    const at = connection.grantExpiry.at;
    return {
      connection,
      platformName: platform.name,
      summary: texts.t('calendarSummary', [platform.name, connection.label]),
      description: texts.t('calendarDescription', [platform.name, connection.label, connection.account || '—', at === null ? '' : formatDate(texts, at, timeZone)]),
    };
  });
  return calendarFor(entries, { now, timeZone });
}

export function TransferPanel({ client, texts, stored, onImported, readStored = readStoredList }: TransferPanelProps) {
  const [removingAll, setRemovingAll] = useState(false);
  const count = (n: number) => new Intl.NumberFormat(texts.locale).format(n);
  const { message, busy, run } = useAction(texts);
  const today = new Date().toISOString().slice(0, 10);
  /** A file that would send sign-in codes to addresses the user has not confirmed yet, and which of them are ticked. */
  const [pending, setPending] = useState<{ document: string; hosts: string[]; ticked: string[] } | null>(null);

  /** Reads the file here, against what is stored; the background checks what it keeps again and stores it. */
  async function importDocument(document: string, confirmedHosts?: string[]): Promise<ImportSummary> {
    const stored = await readStored().catch(() => null);
    const [existing, customPlatforms] = stored
      ? [readableConnections(stored.records), stored.platforms]
      : await Promise.all([client.listConnections().then(({ views }) => views.map((view) => view.connection)), client.listPlatforms()]);
    return runImport(document, { existing, customPlatforms, ...(confirmedHosts ? { confirmedHosts } : {}), store: client.importConnections });
  }

  function finishImport(document: string, confirmedHosts: string[]) {
    setPending(null);
    void run(async () => {
      const summary = await importDocument(document, confirmedHosts);
      onImported();
      return importReport(texts, summary);
    });
  }

  function importFile(event: TargetedEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    void run(async () => {
      try {
        // Refused by its size before it is read: reading a huge file whole would hold up the page.
        if (file.size > MAX_IMPORT_BYTES) throw new ImportError('import-too-large');
        const document = await file.text();
        const summary = await importDocument(document);
        if (summary.unconfirmed?.length) {
          setPending({ document, hosts: summary.unconfirmed, ticked: [] });
          return null;
        }
        onImported();
        return importReport(texts, summary);
      } finally {
        // The same file can be chosen again, after a failure too.
        input.value = '';
      }
    });
  }

  return (
    <section class="form" aria-labelledby="transfer">
      <h2 id="transfer">{texts.t('sectionTransfer')}</h2>
      <div class="connection__actions">
        <button type="button" class="button" data-action="export" disabled={busy}
          onClick={() =>
            void run(async () => {
              download(`token-watch-${today}.json`, 'application/json', JSON.stringify(await exportOfAll(client, readStored), null, 2));
              return null;
            })
          }>
          {texts.t('actionExport')}
        </button>
        <button type="button" class="button" data-action="calendar" disabled={busy}
          onClick={() =>
            void run(async () => {
              const { views } = await client.listConnections();
              const calendar = calendarOf(views, texts, { now: Date.now(), timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
              download(`token-watch-${today}.ics`, 'text/calendar', calendar);
              return null;
            })
          }>
          {texts.t('actionCalendar')}
        </button>
      </div>
      <label class="field">
        <span class="field__label">{texts.t('actionImport')}</span>
        <input type="file" name="import" accept="application/json,.json" onChange={importFile} disabled={busy || pending !== null} />
      </label>
      {pending && (
        <fieldset class="import-confirm" data-import="confirm">
          <legend>{texts.t('importConfirmTitle')}</legend>
          <p>{texts.t('importConfirmIntro')}</p>
          {pending.hosts.map((host) => (
            <label class="field field--check">
              <input type="checkbox" name="confirmedHost" value={host} checked={pending.ticked.includes(host)}
                onChange={(event) => {
                  const on = event.currentTarget.checked;
                  setPending({ ...pending, ticked: on ? [...pending.ticked, host] : pending.ticked.filter((ticked) => ticked !== host) });
                }} />
              <code class="import-confirm__host">{host}</code>
            </label>
          ))}
          <div class="connection__actions">
            <button type="button" class="button button--primary" data-action="import-confirmed" onClick={() => finishImport(pending.document, pending.ticked)}>
              {texts.t('actionImportConfirmed')}
            </button>
            <button type="button" class="button button--quiet" data-action="import-cancel" onClick={() => setPending(null)}>
              {texts.t('actionImportCancel')}
            </button>
          </div>
        </fieldset>
      )}
      {stored > 0 &&
        (removingAll ? (
          <div class="connection__actions" role="group" data-remove-all="confirm">
            <p class="connection__confirm">{texts.t('confirmRemoveAll', [count(stored)])}</p>
            <button type="button" class="button button--danger" data-action="confirm-remove-all"
              onClick={() =>
                void run(async () => {
                  setRemovingAll(false);
                  const { removed } = await client.removeAll();
                  onImported();
                  return texts.t('removedAll', [count(removed)]);
                })
              }>
              {texts.t('actionConfirmRemoveAll')}
            </button>
            <button type="button" class="button" data-action="cancel-remove-all" onClick={() => setRemovingAll(false)}>
              {texts.t('actionCancel')}
            </button>
          </div>
        ) : (
          <button type="button" class="button button--quiet" data-action="remove-all" disabled={busy} onClick={() => setRemovingAll(true)}>
            {texts.t('actionRemoveAll')}
          </button>
        ))}
      <ActionMessage message={message} />
    </section>
  );
}
