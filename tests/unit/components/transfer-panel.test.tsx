// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { importReport, TransferPanel } from '../../../components/TransferPanel';
import type { ImportSummary } from '../../../utils/messaging/protocol';
import { textsFor } from '../texts';
import { pageRoot } from './page-root';
import { aConnection } from '../fixtures';

const page = pageRoot();

async function chooseFile(text: string) {
  const input = page.element.querySelector<HTMLInputElement>('input[type="file"]')!;
  const file = new File([text], 'token-watch.json', { type: 'application/json' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  await act(async () => {
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

const click = (selector: string) =>
  act(async () => {
    page.element.querySelector<HTMLElement>(selector)!.click();
  });

describe('the import of a file that sends sign-in codes somewhere', () => {
  it('shows each address in full, imports nothing until the user chose, then sends only the ticked ones', async () => {
    const importConnections = vi.fn(async (_document: string, confirmed?: string[]): Promise<ImportSummary> =>
      confirmed === undefined
        ? { imported: 0, skipped: [], unconfirmed: ['https://login.evil.example', 'https://broker.example.com'] }
        : { imported: 2, skipped: [{ position: 3, label: 'Shop', reason: 'unconfirmed-address', field: 'client.brokerUrl' }] },
    );
    const onImported = vi.fn();
    await act(async () => {
      render(<TransferPanel client={{ importConnections, listConnections: vi.fn(), listPlatforms: vi.fn(), removeAll: vi.fn() }} stored={0} texts={textsFor('en')} onImported={onImported} />, page.element);
    });
    await chooseFile('{"format":"token-watch"}');
    await vi.waitFor(() => expect(page.element.querySelector('[data-import="confirm"]')).not.toBeNull());
    expect([...page.element.querySelectorAll('.import-confirm__host')].map((host) => host.textContent)).toEqual(['https://login.evil.example', 'https://broker.example.com']);
    expect(onImported).not.toHaveBeenCalled();
    expect(page.element.querySelectorAll<HTMLInputElement>('input[name="confirmedHost"]:checked')).toHaveLength(0);

    await click('input[value="https://broker.example.com"]');
    await click('button[data-action="import-confirmed"]');
    await vi.waitFor(() => expect(onImported).toHaveBeenCalled());
    expect(importConnections).toHaveBeenLastCalledWith('{"format":"token-watch"}', ['https://broker.example.com']);
    expect(page.element.querySelector('[data-import="confirm"]')).toBeNull();
    expect(page.element.querySelector('.action-message')!.textContent).toContain('it would send sign-in codes to an address you did not confirm');
  });

  it('can be cancelled, importing nothing', async () => {
    const importConnections = vi.fn(async (): Promise<ImportSummary> => ({ imported: 0, skipped: [], unconfirmed: ['https://broker.example.com'] }));
    await act(async () => {
      render(<TransferPanel client={{ importConnections, listConnections: vi.fn(), listPlatforms: vi.fn(), removeAll: vi.fn() }} stored={0} texts={textsFor('en')} onImported={vi.fn()} />, page.element);
    });
    await chooseFile('{}');
    await vi.waitFor(() => expect(page.element.querySelector('[data-import="confirm"]')).not.toBeNull());
    await click('button[data-action="import-cancel"]');
    expect(page.element.querySelector('[data-import="confirm"]')).toBeNull();
    expect(importConnections).toHaveBeenCalledTimes(1);
  });
});

describe('the import report', () => {
  it('names each entry that came without its renewal page, and why', () => {
    const report = importReport(textsFor('en'), { imported: 2, skipped: [], withoutRenewalPage: [{ position: 2, label: 'Buchhaltung' }] });
    expect(report.split('\n').slice(1)).toEqual([`Entry 2 (Buchhaltung): ${textsFor('en').t('importWithoutRenewalPage')}`]);
  });
});

describe('a store of any size', () => {
  it('exports every stored record whole, read from the database, not the list cut for showing', async () => {
    const huge = aConnection({ label: 'x'.repeat(100_000) });
    const listConnections = vi.fn();
    const readStored = vi.fn(async () => ({ records: [huge, { id: 'damaged' }], platforms: [], holder: null }));
    let written = '';
    URL.createObjectURL = (blob: Blob) => {
      void blob.text().then((text) => (written = text));
      return 'blob:export';
    };
    await act(async () => {
      render(<TransferPanel client={{ importConnections: vi.fn(), listConnections, listPlatforms: vi.fn(), removeAll: vi.fn() }} texts={textsFor('en')} stored={1} onImported={vi.fn()} readStored={readStored} />, page.element);
    });
    await click('button[data-action="export"]');
    await vi.waitFor(() => expect(written).not.toBe(''));
    const document = JSON.parse(written) as { connections: { label: string }[] };
    expect(document.connections.map((connection) => connection.label.length)).toEqual([100_000]);
    expect(listConnections).not.toHaveBeenCalled();
  });

  it('removes all connections only after the question that names how many', async () => {
    const removeAll = vi.fn(async () => ({ removed: 100_000 }));
    const onImported = vi.fn();
    await act(async () => {
      render(<TransferPanel client={{ importConnections: vi.fn(), listConnections: vi.fn(), listPlatforms: vi.fn(), removeAll }} texts={textsFor('de')} stored={100_000} onImported={onImported} />, page.element);
    });
    await click('button[data-action="remove-all"]');
    expect(page.element.querySelector('[data-remove-all="confirm"]')!.textContent).toContain('Alle 100.000 Verbindungen entfernen?');
    expect(removeAll).not.toHaveBeenCalled();
    await click('button[data-action="confirm-remove-all"]');
    await vi.waitFor(() => expect(page.element.querySelector('.action-message')!.textContent).toBe('100.000 Verbindungen entfernt.'));
    expect(onImported).toHaveBeenCalled();
  });
});
