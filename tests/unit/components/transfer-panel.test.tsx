// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { importReport, TransferPanel } from '../../../components/TransferPanel';
import { textsFor } from '../texts';
import { pageRoot } from './page-root';
import { aConnection } from '../fixtures';
import type { Connection } from '../../../utils/connection';
import { MAX_IMPORT_BYTES } from '../../../utils/limits';

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
  const document = JSON.stringify({
    format: 'token-watch',
    version: 2,
    platforms: [
      {
        id: 'custom-shop',
        name: 'Shop platform',
        kind: 'oauth',
        oauth: { endpoints: { authorization: 'https://login.evil.example/auth', token: 'https://login.evil.example/token' }, scopes: [], exchanges: ['public'] },
        grantRule: { kind: 'fixed', lifetime: { months: 24 } },
        ruleSource: 'file',
      },
    ],
    connections: [
      { platformId: 'sevdesk-api-token', label: 'Buchhaltung' },
      { platformId: 'custom-shop', label: 'Shop A' },
      { platformId: 'ebay', label: 'Shop', client: { clientId: 'app', exchange: 'broker', brokerUrl: 'https://broker.example.com/token' } },
    ],
  });
  /** An empty store, read by the page itself. */
  const readStored = async () => ({ records: [], platforms: [], holder: null });

  it('shows each address in full, imports nothing until the user chose, then sends only what the ticked ones allow', async () => {
    const importConnections = vi.fn(async (connections: Connection[]) => ({ imported: connections.length }));
    const onImported = vi.fn();
    await act(async () => {
      render(<TransferPanel client={{ importConnections, listConnections: vi.fn(), listPlatforms: vi.fn(), removeAll: vi.fn() }} stored={0} texts={textsFor('en')} onImported={onImported} readStored={readStored} />, page.element);
    });
    await chooseFile(document);
    await vi.waitFor(() => expect(page.element.querySelector('[data-import="confirm"]')).not.toBeNull());
    expect([...page.element.querySelectorAll('.import-confirm__host')].map((host) => host.textContent)).toEqual(['https://login.evil.example', 'https://broker.example.com']);
    expect(importConnections).not.toHaveBeenCalled();
    expect(onImported).not.toHaveBeenCalled();
    expect(page.element.querySelectorAll<HTMLInputElement>('input[name="confirmedHost"]:checked')).toHaveLength(0);

    await click('input[value="https://broker.example.com"]');
    await click('button[data-action="import-confirmed"]');
    await vi.waitFor(() => expect(onImported).toHaveBeenCalled());
    const [sent, platforms] = importConnections.mock.calls[0] as unknown as [Connection[], unknown[]];
    expect(sent.map((connection) => connection.label)).toEqual(['Buchhaltung', 'Shop']);
    expect(sent[1]!.client?.brokerUrl).toBe('https://broker.example.com/token');
    expect(platforms).toEqual([]);
    expect(page.element.querySelector('[data-import="confirm"]')).toBeNull();
    expect(page.element.querySelector('.action-message')!.textContent).toContain('2 imported, 1 skipped.');
    expect(page.element.querySelector('.action-message')!.textContent).toContain('it would send sign-in codes to an address you did not confirm');
  });

  it('can be cancelled, importing nothing', async () => {
    const importConnections = vi.fn(async () => ({ imported: 0 }));
    await act(async () => {
      render(<TransferPanel client={{ importConnections, listConnections: vi.fn(), listPlatforms: vi.fn(), removeAll: vi.fn() }} stored={0} texts={textsFor('en')} onImported={vi.fn()} readStored={readStored} />, page.element);
    });
    await chooseFile(document);
    await vi.waitFor(() => expect(page.element.querySelector('[data-import="confirm"]')).not.toBeNull());
    await click('button[data-action="import-cancel"]');
    expect(page.element.querySelector('[data-import="confirm"]')).toBeNull();
    expect(importConnections).not.toHaveBeenCalled();
  });

  it('says what is wrong with a file that is no export, storing nothing', async () => {
    const importConnections = vi.fn();
    await act(async () => {
      render(<TransferPanel client={{ importConnections, listConnections: vi.fn(), listPlatforms: vi.fn(), removeAll: vi.fn() }} stored={0} texts={textsFor('en')} onImported={vi.fn()} readStored={readStored} />, page.element);
    });
    await chooseFile('{"format":"something else"}');
    await vi.waitFor(() => expect(page.element.querySelector('.action-message')!.textContent).toBe(textsFor('en').t('errorImport')));
    expect(importConnections).not.toHaveBeenCalled();
  });

  it.each([
    ['en', 'This file is larger than 5 MB'],
    ['de', 'Die Datei ist größer als 5 MB'],
  ] as const)('refuses a file larger than the limit by its size, without reading it (%s)', async (lang, said) => {
    await act(async () => {
      render(<TransferPanel client={{ importConnections: vi.fn(), listConnections: vi.fn(), listPlatforms: vi.fn(), removeAll: vi.fn() }} stored={0} texts={textsFor(lang)} onImported={vi.fn()} readStored={readStored} />, page.element);
    });
    const file = new File(['{}'], 'huge.json', { type: 'application/json' });
    Object.defineProperty(file, 'size', { value: MAX_IMPORT_BYTES + 1 });
    const read = vi.spyOn(file, 'text');
    const input = page.element.querySelector<HTMLInputElement>('input[type="file"]')!;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    await act(async () => {
      input.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await vi.waitFor(() => expect(page.element.querySelector('.action-message')!.textContent).toContain(said));
    expect(read).not.toHaveBeenCalled();
  });
});

describe('the import report', () => {
  it.each([
    ['en', 'text-too-long', 'a text is longer than 300 characters (label)'],
    ['de', 'limit-reached', 'Token-Wächter verwaltet höchstens 2.000 Verbindungen'],
  ] as const)('names the limit an entry went beyond (%s, %s)', (lang, reason, said) => {
    const report = importReport(textsFor(lang), { imported: 0, skipped: [{ position: 1, label: 'Shop', reason, ...(reason === 'text-too-long' ? { field: 'label' } : {}) }] });
    expect(report).toContain(said);
  });

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
