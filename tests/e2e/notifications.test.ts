import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, it } from 'vitest';
import { importThroughPopup, sendFromPage, sharedBrowsers, type ExtensionSession } from '../../scripts/lib/chromium';
import { exampleConnections } from '../../scripts/lib/example-connections';

const TIME_ZONE = 'Europe/Berlin';
let session: ExtensionSession | undefined;
// One browser for the file: the first test gets it new, each later one reset to a new profile's state.
const browsers = sharedBrowsers();
afterAll(() => browsers.closeAll());

async function shownNotifications(s: ExtensionSession): Promise<string[]> {
  return Object.keys(await (await s.worker()).evaluate(() => chrome.notifications.getAll())).sort();
}

async function idsByLabel(page: Page): Promise<Record<string, string>> {
  const reply = (await sendFromPage(page, { type: 'connections/list' })) as { value: { views: { connection: { id: string; label: string } }[] } };
  return Object.fromEntries(reply.value.views.map(({ connection }) => [connection.label, connection.id]));
}

async function warnedEvents(s: ExtensionSession, connectionId: string): Promise<string[]> {
  return (await s.worker()).evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve) => {
      const request = indexedDB.open('token-watch');
      request.onsuccess = () => resolve(request.result);
    });
    const events = await new Promise<{ type: string; detail?: string }[]>((resolve) => {
      const request = db.transaction('events').objectStore('events').index('byConnection').getAll(id);
      request.onsuccess = () => resolve(request.result);
    });
    db.close();
    return events.filter((e) => e.type === 'warned').map((e) => e.detail ?? '');
  }, connectionId);
}

describe('notifications in real Chromium', () => {
  it('seeded connections give the expected notifications; a service worker restart repeats none', async () => {
    session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE });
    const page = await session.openPopup();
    // Warnings wait for the morning hour; from midnight on, the test does not depend on the time it runs.
    await sendFromPage(page, { type: 'preferences/save', preferences: { morningHour: 0 } });
    await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
    const ids = await idsByLabel(page);

    // Amazon has expired: its own notification. eBay (6 days) and DATEV 10002 (20 days) are due
    // at the same moment: one grouped notification. DATEV 10001 (200 days) and sevDesk (no date): none.
    const shown = await shownNotifications(session);
    expect(shown).toHaveLength(2);
    expect(shown).toContain(`tw|expired|${ids['Marketplace DE']}`);
    expect(shown.find((id) => id.startsWith('tw|group|'))).toBeDefined();
    expect(await warnedEvents(session, ids['Shop Berlin']!)).toEqual(['expiring']);
    expect(await warnedEvents(session, ids['Mandant 10002 Schneider Handel KG']!)).toEqual(['expiring']);
    expect(await warnedEvents(session, ids['Mandant 10001 Müller Bau GmbH']!)).toEqual([]);
    expect(await warnedEvents(session, ids.Buchhaltung!)).toEqual([]);

    // Stop the service worker, as the browser does when it is idle, and wake it with a change.
    const before = await session.worker();
    await before.evaluate(() => Object.assign(globalThis, { beforeRestart: true }));
    await before.close();
    await importThroughPopup(session, { ...exampleConnections(Date.now(), TIME_ZONE), connections: [] });
    // A new worker: what the old one held in memory is gone, only the stored state remains.
    expect(await (await session.worker()).evaluate(() => 'beforeRestart' in globalThis)).toBe(false);
    expect(await shownNotifications(session)).toEqual(shown);
    expect(await warnedEvents(session, ids['Shop Berlin']!)).toEqual(['expiring']);
    expect(await warnedEvents(session, ids['Marketplace DE']!)).toEqual(['expired']);
  });
});

describe('accessibility', () => {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

  it.each(['light', 'dark'] as const)('axe-core finds no violations in the popup (%s scheme)', async (scheme) => {
    session = await browsers.session({ lang: 'de', timeZone: TIME_ZONE });
    await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
    const popup = await session.openPopup();
    await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
    // DevTools evaluation is not bound by the page's content security policy.
    await popup.evaluate(axeSource);
    const violations = await popup.evaluate(async () => {
      const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; nodes: unknown[] }[] }> } }).axe.run();
      return result.violations.map((violation) => `${violation.id} (${violation.nodes.length})`);
    });
    expect(violations).toEqual([]);
  });
});
