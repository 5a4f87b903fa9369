// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { ConnectionSettings, type SettingsClient } from '../../../components/ConnectionSettings';
import { settingsHash } from '../../../components/settings-place';
import { readSettingsPlace } from '../../../entrypoints/options/place';
import { findPreset } from '../../../utils/catalogue/presets';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import type { ConnectionView } from '../../../utils/messaging/protocol';
import { aConnection, expiresAt } from '../fixtures';
import { textsFor } from '../texts';
import { pageRoot } from './page-root';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const page = pageRoot();
const SHOPIFY = findPreset('shopify')!;

const imported = (): ConnectionView => ({
  connection: aConnection({ id: 'shop', platformId: 'shopify', label: 'Shop Berlin', grantExpiry: expiresAt(NOW - 3 * MS_PER_DAY) }),
  platform: { id: 'shopify', name: 'Shopify', kind: 'oauth', ruleSource: '', grantRule: SHOPIFY.grantRule },
  hostOrigins: [],
});

const notCalled = async (): Promise<never> => {
  throw new Error('not called in this test');
};

async function show(view: ConnectionView, { settingUp = false, client = {}, requestHostAccess = async () => true }: { settingUp?: boolean; client?: Partial<SettingsClient>; requestHostAccess?: (origins: string[]) => Promise<boolean> } = {}) {
  const onChanged = vi.fn();
  await act(async () => {
    render(
      <ul>
        <ConnectionSettings
          view={view}
          oauth={SHOPIFY.oauth}
          client={{ update: notCalled, renewed: notCalled, events: notCalled, remove: notCalled, startConsent: notCalled, ...client }}
          texts={textsFor('de')}
          now={NOW}
          timeZone="Europe/Berlin"
          requestHostAccess={requestHostAccess}
          onChanged={onChanged}
          settingUp={settingUp}
        />
      </ul>,
      page.element,
    );
  });
  return { onChanged };
}

async function type(name: string, value: string) {
  const input = page.element.querySelector<HTMLInputElement>(`[name="${name}"]`)!;
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

describe('setting up the sign-in of a connection without app settings', () => {
  it('opens at the connection with the missing fields marked and the first one focused', async () => {
    await show(imported(), { settingUp: true });
    const form = page.element.querySelector('form[data-form="set-up"]')!;
    expect(form.getAttribute('aria-label')).toBe('Anmeldung einrichten: Shopify – Shop Berlin');
    const marked = [...form.querySelectorAll('[aria-invalid="true"]')].map((input) => input.getAttribute('name'));
    expect(marked).toEqual(['field_shop', 'clientId', 'clientSecret']);
    expect(document.activeElement?.getAttribute('name')).toBe('field_shop');
    expect(form.querySelector('[name="clientId"]')!.getAttribute('placeholder')).toBe('Für die Anmeldung nötig');
    const hint = document.getElementById(form.querySelector('[name="clientId"]')!.getAttribute('aria-describedby')!)!;
    expect(hint.textContent).toContain('die markierten Felder sind noch leer');
    await type('clientId', 'shop-app');
    expect(form.querySelector('[name="clientId"]')!.hasAttribute('aria-invalid')).toBe(false);
  });

  it('asks for the platform’s hosts from the click, then saves the app settings', async () => {
    const update = vi.fn(async () => imported().connection);
    const asked: string[][] = [];
    const { onChanged } = await show(imported(), { settingUp: true, client: { update }, requestHostAccess: async (origins) => (asked.push(origins), true) });
    await type('field_shop', 'beispiel-shop');
    await type('clientId', 'shop-app');
    await type('clientSecret', 'geheim');
    await act(async () => {
      page.element.querySelector('form[data-form="set-up"]')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(asked).toEqual([['https://beispiel-shop.myshopify.com/*']]);
    expect(update).toHaveBeenCalledWith('shop', {
      client: { clientId: 'shop-app', exchange: 'secret', endpointValues: { shop: 'beispiel-shop' } },
      clientSecret: 'geheim',
    });
    expect(page.element.querySelector('.action-message')!.textContent).toBe('Anmeldung eingerichtet. Klicken Sie auf „Anmelden“, um die Verbindung herzustellen.');
  });

  it('offers "Set up sign-in" first, closed unless the popup sent the user here', async () => {
    await show(imported());
    expect(page.element.querySelector('form[data-form="set-up"]')).toBeNull();
    const first = page.element.querySelector('.connection__actions button')!;
    expect([first.getAttribute('data-action'), first.getAttribute('aria-label')]).toEqual(['set-up', 'Anmeldung einrichten: Shopify – Shop Berlin']);
  });
});

describe('the buttons of a connection in the settings', () => {
  it('name what they do and for which connection, the removal’s confirmation too', async () => {
    await show(imported());
    const names = () => [...page.element.querySelectorAll('button')].map((button) => button.getAttribute('aria-label'));
    expect(names()).toEqual([
      'Anmeldung einrichten: Shopify – Shop Berlin',
      'Bearbeiten: Shopify – Shop Berlin',
      'Pausieren: Shopify – Shop Berlin',
      'Verlauf: Shopify – Shop Berlin',
      'Entfernen: Shopify – Shop Berlin',
    ]);
    await act(async () => (page.element.querySelector('button[data-action="remove"]') as HTMLButtonElement).click());
    const confirm = page.element.querySelector('button[data-action="confirm-remove"]')!;
    expect([confirm.textContent, confirm.getAttribute('aria-label')]).toEqual(['Ja, entfernen', 'Ja, entfernen: Shopify – Shop Berlin']);
  });
});

describe('the settings page’s places', () => {
  it.each([{ kind: 'add' as const }, { kind: 'lock' as const }, { kind: 'set-up' as const, connectionId: 'a b/c' }])('%j survives the address', (place) => {
    expect(readSettingsPlace(settingsHash(place))).toEqual(place);
  });

  it('ignores any other address ending', () => {
    expect(readSettingsPlace('')).toBeNull();
    expect(readSettingsPlace('#elsewhere')).toBeNull();
  });
});
