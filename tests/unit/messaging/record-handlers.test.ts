import { describe, expect, it, vi } from 'vitest';
import { lazyRepository } from '../../../utils/storage/db';
import { createRecordHandlers } from '../../../utils/messaging/record-handlers';
import { createVault } from '../../../utils/storage/vault';
import { calendarOf } from '../../../components/TransferPanel';
import { exportDocument } from '../../../utils/records/transfer';
import { aConnection, expiresAt, importThrough, send, memorySession } from '../fixtures';
import { textsFor } from '../texts';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const BERLIN = 'Europe/Berlin';
const day = (instant: number | null) => (instant === null ? null : new Intl.DateTimeFormat('en-CA', { timeZone: BERLIN }).format(instant));

function setup(now = NOW) {
  const repository = lazyRepository();
  let ids = 0;
  const changed = vi.fn(async () => undefined);
  const handlers = createRecordHandlers({
    repository,
    vault: async () => createVault((await repository()).vaultStore, memorySession()),
    texts: () => textsFor('de'),
    now: () => now,
    timeZone: () => BERLIN,
    newId: () => `id-${++ids}`,
    actor: async () => 'Anna',
    changed,
  });
  const track = (connection: object) => send(handlers, { type: 'connections/track', connection });
  return { handlers, repository, changed, track };
}

describe('tracked credentials', () => {
  it('date an API key from the day it was issued plus the platform’s lifetime', async () => {
    const { track } = setup();
    const key = await track({ platformId: 'lexware-office-api-key', label: 'Buchhaltung', issuedOn: '2025-03-31' });
    expect(day(key.grantExpiry.at)).toBe('2027-03-31');
    expect(key.grantExpiry.source).toBe('documented');
  });

  it('take a date the user read elsewhere, valid through that whole day', async () => {
    const { track } = setup();
    const held = await track({ platformId: 'other-software', label: 'eBay-Token im ERP', expiresOn: '2027-01-15', renewUrl: 'https://erp.example/settings/ebay' });
    expect(held).toMatchObject({ grantExpiry: { source: 'user' }, renewUrl: 'https://erp.example/settings/ebay' });
    expect(new Date(held.grantExpiry.at!).toISOString()).toBe('2027-01-15T22:59:59.999Z');
  });

  it.each([
    [{ platformId: 'ebay', label: 'x' }, 'platformId'],
    [{ platformId: 'other-software', label: '' }, 'label'],
    [{ platformId: 'other-software', label: 'x', expiresOn: '31.02.2027' }, 'expiresOn'],
    [{ platformId: 'other-software', label: 'x', expiresOn: '2027-02-31' }, 'expiresOn'],
    [{ platformId: 'other-software', label: 'x', expiresOn: '2200-01-01' }, 'expiresOn'],
    [{ platformId: 'lexware-office-api-key', label: 'x', issuedOn: '1969-12-31' }, 'issuedOn'],
    [{ platformId: 'other-software', label: 'x', renewUrl: 'javascript:alert(1)' }, 'renewUrl'],
  ])('refuse %j, naming the field', async (connection, field) => {
    const { track } = setup();
    await expect(track(connection)).rejects.toMatchObject({ code: 'invalid-input', field });
  });

  it('"renewed today" starts the lifetime again from today, and is logged', async () => {
    const { track, handlers } = setup();
    const key = await track({ platformId: 'lexware-office-api-key', label: 'Buchhaltung', issuedOn: '2025-01-10' });
    const renewed = await send(handlers, { type: 'connections/renewed', connectionId: key.id });
    expect(day(renewed.grantExpiry.at)).toBe('2028-11-23');
    const events = await send(handlers, { type: 'connections/events', connectionId: key.id });
    expect(events.map((e) => e.type)).toEqual(['renewed', 'added']);
  });

  it('"renewed today" asks for the new date where the platform has no fixed lifetime', async () => {
    const { track, handlers } = setup();
    const held = await track({ platformId: 'other-software', label: 'ERP', expiresOn: '2026-12-01' });
    await expect(send(handlers, { type: 'connections/renewed', connectionId: held.id })).rejects.toMatchObject({ field: 'expiresOn' });
    const renewed = await send(handlers, { type: 'connections/renewed', connectionId: held.id, expiresOn: '2028-05-31' });
    expect(day(renewed.grantExpiry.at)).toBe('2028-05-31');
  });
});

describe('editing', () => {
  it('changes label, warning days and pause, and keeps everything else', async () => {
    const { track, handlers, changed } = setup();
    const key = await track({ platformId: 'lexware-office-api-key', label: 'Buchhaltung', issuedOn: '2025-03-31' });
    const edited = await send(handlers, {
      type: 'connections/update',
      connectionId: key.id,
      changes: { label: 'Buchhaltung Filiale', warningDays: [7, 60, 7], paused: true, renewUrl: 'https://app.lexware.example/keys' },
    });
    expect(edited).toMatchObject({ label: 'Buchhaltung Filiale', warningDays: [60, 7], paused: true, renewUrl: 'https://app.lexware.example/keys', grantExpiry: key.grantExpiry });
    expect(changed).toHaveBeenCalled();
    const cleared = await send(handlers, { type: 'connections/update', connectionId: key.id, changes: { renewUrl: '' } });
    expect(cleared.renewUrl).toBeUndefined();
  });

  it('a new end date keeps the day the credential was issued', async () => {
    const { track, handlers } = setup();
    const key = await track({ platformId: 'lexware-office-api-key', label: 'Buchhaltung', issuedOn: '2025-03-31' });
    const edited = await send(handlers, { type: 'connections/update', connectionId: key.id, changes: { expiresOn: '2026-12-31' } });
    expect(edited.consentedAt).toBe(key.consentedAt);
    expect(edited.grantExpiry.source).toBe('user');
  });

  it('refuses a client secret for a connection that has none', async () => {
    const { track, handlers } = setup();
    const key = await track({ platformId: 'sevdesk-api-token', label: 'x' });
    await expect(send(handlers, { type: 'connections/update', connectionId: key.id, changes: { clientSecret: 's' } })).rejects.toMatchObject({ field: 'clientSecret' });
  });
});

describe('setting up the sign-in of a connection that has no app settings', () => {
  async function imported() {
    const { handlers } = setup();
    const connection = aConnection({ platformId: 'shopify', label: 'Shop Berlin', grantExpiry: expiresAt(NOW - 3 * 86_400_000) });
    await importThrough(handlers, JSON.stringify(exportDocument([connection], NOW)));
    const { views } = await send(handlers, { type: 'connections/list' });
    return { handlers, id: views[0]!.connection.id };
  }

  it('stores the app settings, checked against the platform, and seals the secret', async () => {
    const { handlers, id } = await imported();
    const client = { clientId: 'shop-app', exchange: 'secret', endpointValues: { shop: 'beispiel-shop' } };
    const updated = await send(handlers, { type: 'connections/update', connectionId: id, changes: { client, clientSecret: 'geheim' } });
    expect(updated.client).toEqual(client);
    expect(updated.grantExpiry.at).toBe(NOW - 3 * 86_400_000);
    expect(JSON.stringify(updated)).not.toContain('geheim');
  });

  it('forgets the hosts read from the metadata of the old app settings (another Microsoft tenant): they are read anew', async () => {
    const { handlers, repository } = setup();
    const client = { clientId: 'app', exchange: 'broker' as const, brokerUrl: 'https://broker.example/token', endpointValues: { tenant: 'alt.example' } };
    const connection = { ...aConnection({ id: 'ms', platformId: 'microsoft', client }), discovered: { hosts: ['login.alt.example'], checkedAt: NOW } };
    await (await repository()).save({ connection, event: { connectionId: 'ms', type: 'added', at: NOW, actor: 'test' } });
    const renamed = await send(handlers, { type: 'connections/update', connectionId: 'ms', changes: { label: 'Neu' } });
    expect(renamed.discovered).toEqual({ hosts: ['login.alt.example'], checkedAt: NOW });
    const moved = await send(handlers, { type: 'connections/update', connectionId: 'ms', changes: { client: { ...client, endpointValues: { tenant: 'neu.example' } } } });
    expect(moved.client?.endpointValues).toEqual({ tenant: 'neu.example' });
    expect(moved.discovered).toBeUndefined();
  });

  it.each([
    [{ clientId: 'shop-app', exchange: 'public', endpointValues: { shop: 'beispiel-shop' } }, 'client.exchange'],
    [{ clientId: 'shop-app', exchange: 'broker', brokerUrl: 'https://broker.example/token' }, 'client.endpointValues.shop'],
    [{ clientId: '', exchange: 'broker', brokerUrl: 'https://broker.example/token', endpointValues: { shop: 'x' } }, 'client.clientId'],
  ])('refuses %j, naming the field', async (client, field) => {
    const { handlers, id } = await imported();
    await expect(send(handlers, { type: 'connections/update', connectionId: id, changes: { client } })).rejects.toMatchObject({ code: 'invalid-input', field });
  });
});

describe('a store beyond the limit (written by an earlier version)', () => {
  it('lists the most urgent 2,000 and counts the rest, so the list still fits one message', async () => {
    const { handlers, repository } = setup();
    const day = 86_400_000;
    const records = Array.from({ length: 2_050 }, (_, index) => aConnection({ platformId: 'sevdesk-api-token', grantExpiry: expiresAt(NOW + (index + 1) * day) }));
    await (await repository()).saveAll(records.map((connection) => ({ connection, event: { connectionId: connection.id, type: 'imported', at: NOW, actor: 'old version' } })));
    const { views, beyondLimit } = await send(handlers, { type: 'connections/list' });
    expect(views).toHaveLength(2_000);
    expect(beyondLimit).toBe(50);
    expect(views[0]!.connection.id).toBe(records[0]!.id);
    expect(views.some((view) => view.connection.id === records[2_049]!.id)).toBe(false);
  });
});

describe('an import the settings page read', () => {
  it('stores nothing beyond the limit, naming it', async () => {
    const { handlers, repository } = setup();
    const store = await repository();
    await store.saveAll(Array.from({ length: 1_999 }, (_, index) => ({ connection: aConnection({ id: `c${index}` }), event: { connectionId: `c${index}`, type: 'imported' as const, at: NOW, actor: '' } })));
    await expect(send(handlers, { type: 'connections/import', connections: [aConnection(), aConnection()], platforms: [] })).rejects.toMatchObject({ code: 'too-many-connections' });
    expect(await store.list()).toHaveLength(1_999);
  });
});

describe('export', () => {
  it('writes the calendar in the user’s language, from the list the settings page has', async () => {
    const { track, handlers } = setup();
    await track({ platformId: 'lexware-office-api-key', label: 'Buchhaltung', issuedOn: '2025-03-31' });
    const { views } = await send(handlers, { type: 'connections/list' });
    const ics = calendarOf(views, textsFor('de'), { now: NOW, timeZone: BERLIN });
    expect(ics).toContain('SUMMARY:Lexware Office API-Schlüssel – Buchhaltung: Freigabe läuft ab');
    expect(ics).toContain('DTSTART;VALUE=DATE:20270331');
  });

  it('exports what is watched and imports it again after a wipe', async () => {
    const first = setup();
    await first.track({ platformId: 'lexware-office-api-key', label: 'Buchhaltung', issuedOn: '2025-03-31' });
    const listed = await send(first.handlers, { type: 'connections/list' });
    const document = exportDocument(listed.views.map((view) => view.connection), NOW, await send(first.handlers, { type: 'platforms/list' }));
    globalThis.indexedDB = new (await import('fake-indexeddb')).IDBFactory();
    const second = setup();
    expect(await importThrough(second.handlers, JSON.stringify(document))).toEqual({ imported: 1, skipped: [] });
    const { views } = await send(second.handlers, { type: 'connections/list' });
    expect(views.map((view) => day(view.connection.grantExpiry.at))).toEqual(['2027-03-31']);
  });

  it('stores nothing from a file that sends sign-in codes to an address not yet confirmed, then what the user confirmed', async () => {
    const { handlers } = setup();
    const document = JSON.stringify({
      format: 'token-watch',
      version: 2,
      connections: [
        { platformId: 'sevdesk-api-token', label: 'Buchhaltung' },
        { platformId: 'ebay', label: 'Shop', client: { clientId: 'app', exchange: 'broker', brokerUrl: 'https://broker.example.com/token' } },
      ],
    });
    expect(await importThrough(handlers, document)).toEqual({ imported: 0, skipped: [], unconfirmed: ['https://broker.example.com'] });
    expect((await send(handlers, { type: 'connections/list' })).views).toEqual([]);
    expect(await importThrough(handlers, document, [])).toEqual({
      imported: 1,
      skipped: [{ position: 2, label: 'Shop', reason: 'unconfirmed-address', field: 'client.brokerUrl' }],
    });
  });

  it('refuses a new connection once 2,000 are kept, naming the limit, and keeps what is there', async () => {
    const { handlers, repository } = setup();
    const store = await repository();
    await store.saveAll(
      Array.from({ length: 2_000 }, (_, index) => {
        const connection = aConnection({ id: `c${index}`, label: `Mandant ${index}` });
        return { connection, event: { connectionId: connection.id, type: 'imported' as const, at: NOW, actor: '' } };
      }),
    );
    await expect(send(handlers, { type: 'connections/track', connection: { platformId: 'sevdesk-api-token', label: 'one more', account: '' } })).rejects.toMatchObject({
      code: 'too-many-connections',
    });
    expect((await store.list()).length).toBe(2_000);
  });
});
