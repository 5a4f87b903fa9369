// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { LockPanel } from '../../../components/LockPanel';
import { BackgroundError } from '../../../utils/messaging/client';
import type { LockState } from '../../../utils/messaging/protocol';
import { textsFor } from '../texts';
import { pageRoot } from './page-root';

const page = pageRoot();

function client(state: LockState) {
  return {
    lockState: vi.fn(async () => state),
    enableLock: vi.fn(async (): Promise<LockState> => 'unlocked'),
    unlock: vi.fn(async (passphrase: string): Promise<LockState> => {
      if (passphrase !== 'Sommer im Büro 2026') throw new BackgroundError('passphrase-wrong');
      return 'unlocked';
    }),
    lockNow: vi.fn(async (): Promise<LockState> => 'locked'),
    changePassphrase: vi.fn(async (): Promise<LockState> => 'unlocked'),
    disableLock: vi.fn(async (): Promise<LockState> => 'off'),
    forgetSecrets: vi.fn(async (): Promise<LockState> => 'off'),
  };
}

async function show(background: ReturnType<typeof client>, language: 'en' | 'de' = 'en', focus = false) {
  const onChanged = vi.fn();
  await act(async () => {
    render(<LockPanel client={background} texts={textsFor(language)} focus={focus} onChanged={onChanged} />, page.element);
  });
  await vi.waitFor(() => expect(page.element.querySelector('[data-lock-state]')).not.toBeNull());
  return onChanged;
}

async function type(name: string, value: string, index = 0) {
  const input = page.element.querySelectorAll<HTMLInputElement>(`input[name="${name}"]`)[index]!;
  await act(async () => {
    input.value = value;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}

async function submit(label: string) {
  await act(async () => {
    page.element.querySelector<HTMLFormElement>(`form[aria-label="${label}"]`)!.requestSubmit();
  });
}

const said = () => page.element.querySelector('.action-message')!.textContent;

describe('the passphrase lock on the settings page', () => {
  it('turns on only with the same passphrase typed twice, and empties the fields', async () => {
    const background = client('off');
    const onChanged = await show(background);
    expect(page.element.querySelector('[data-lock-state]')!.textContent).toBe('Off: the key is kept in this browser profile.');
    await type('passphrase', 'Sommer im Büro 2026');
    await type('repeat', 'Sommer im Buro 2026');
    await submit('Turn the lock on');
    expect(background.enableLock).not.toHaveBeenCalled();
    expect(said()).toBe('The two passphrases differ. Type them again.');

    await type('repeat', 'Sommer im Büro 2026');
    await submit('Turn the lock on');
    await vi.waitFor(() => expect(said()).toBe('The lock is on. Token Watch stays unlocked until the browser closes.'));
    expect(background.enableLock).toHaveBeenCalledWith('Sommer im Büro 2026');
    expect(onChanged).toHaveBeenCalled();
    expect(page.element.querySelector('[data-lock]')!.getAttribute('data-lock')).toBe('unlocked');
    expect([...page.element.querySelectorAll<HTMLInputElement>('input[type="password"]')].every((input) => input.value === '')).toBe(true);
  });

  it('unlocks from the place the popup sends the user to, saying plainly when the passphrase is wrong', async () => {
    const background = client('locked');
    await show(background, 'de', true);
    expect(page.element.querySelector('[data-lock-state]')!.textContent).toBe('Gesperrt. Erneuerungen und Anmeldungen warten, bis Sie entsperren.');
    expect(document.activeElement?.getAttribute('name')).toBe('passphrase');
    await type('passphrase', 'Winter im Büro 2026');
    await submit('Entsperren');
    await vi.waitFor(() => expect(said()).toBe('Das ist nicht die Passphrase. Prüfen Sie sie (ist die Feststelltaste an?) und versuchen Sie es erneut.'));
    expect(page.element.querySelector<HTMLInputElement>('input[name="passphrase"]')!.value).toBe('');

    await type('passphrase', 'Sommer im Büro 2026');
    await submit('Entsperren');
    await vi.waitFor(() => expect(said()).toBe('Entsperrt. Wartende Erneuerungen laufen jetzt.'));
  });

  it('offers, with the passphrase forgotten, to delete the sign-ins, saying what stays', async () => {
    const background = client('locked');
    await show(background);
    const forgotten = page.element.querySelector('details')!;
    expect(forgotten.textContent).toContain('dates, warnings and history stay');
    await act(async () => forgotten.querySelector('button')!.click());
    await vi.waitFor(() => expect(background.forgetSecrets).toHaveBeenCalled());
    await vi.waitFor(() => expect(page.element.querySelector('[data-lock]')!.getAttribute('data-lock')).toBe('off'));
  });

  it('unlocked: locks now', async () => {
    const background = client('unlocked');
    await show(background);
    await act(async () => [...page.element.querySelectorAll('button')].find((button) => button.textContent === 'Lock now')!.click());
    await vi.waitFor(() => expect(page.element.querySelector('[data-lock]')!.getAttribute('data-lock')).toBe('locked'));
    expect(background.lockNow).toHaveBeenCalledOnce();
  });

  it('unlocked: changes the passphrase with the current one, or turns the lock off', async () => {
    const background = client('unlocked');
    await show(background);
    await type('current', 'Sommer im Büro 2026', 0);
    await type('passphrase', 'Herbst im Lager 2027');
    await type('repeat', 'Herbst im Lager 2027');
    await submit('Change the passphrase');
    await vi.waitFor(() => expect(background.changePassphrase).toHaveBeenCalledWith('Sommer im Büro 2026', 'Herbst im Lager 2027'));

    await type('current', 'Herbst im Lager 2027', 1);
    await submit('Turn the lock off');
    await vi.waitFor(() => expect(background.disableLock).toHaveBeenCalledWith('Herbst im Lager 2027'));
    await vi.waitFor(() => expect(said()).toBe('The lock is off. The key is kept in this browser profile again.'));
  });
});
