// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { CustomPlatformForm } from '../../../components/CustomPlatformForm';
import type { PlatformMetadata } from '../../../utils/consent/discovery';
import { textsFor } from '../texts';
import { pageRoot } from './page-root';

const page = pageRoot();
const ISSUER = 'https://sso.erp.example';
const METADATA: PlatformMetadata = {
  issuer: ISSUER,
  authorizationEndpoint: `${ISSUER}/auth`,
  tokenEndpoint: `${ISSUER}/token`,
  scopesSupported: ['openid', 'offline_access', 'erp'],
  hosts: [],
  tokenAuthMethods: ['client_secret_basic'],
  refreshTokens: true,
};

async function checked(metadata: PlatformMetadata, addPlatform = vi.fn(async () => ({}) as never)) {
  await act(async () => {
    render(
      <CustomPlatformForm client={{ addPlatform }} inspect={async () => metadata} texts={textsFor('en')} requestHostAccess={async () => true} onAdded={() => undefined} />,
      page.element,
    );
  });
  const issuer = page.element.querySelector<HTMLInputElement>('input[name="issuer"]')!;
  await act(async () => {
    issuer.value = ISSUER;
    issuer.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await submit();
  return addPlatform;
}

async function submit() {
  await act(async () => {
    page.element.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  });
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
}

const isChecked = (selector: string) => page.element.querySelector<HTMLInputElement>(selector)!.checked;

describe('adding a platform of one’s own', () => {
  it('follows the metadata: a secret where it lists no sign-in without one, and says why', async () => {
    await checked(METADATA);
    expect([isChecked('input[name="exchange-public"]'), isChecked('input[name="exchange-secret"]')]).toEqual([false, true]);
    expect(page.element.textContent).toContain("The platform's metadata lists no sign-in without an app secret");
    expect(page.element.querySelector<HTMLInputElement>('input[name="scopes"]')!.value).toBe('openid offline_access');
  });

  it('takes “Directly” where the metadata says sign-ins without a secret work', async () => {
    await checked({ ...METADATA, tokenAuthMethods: ['none'] });
    expect([isChecked('input[name="exchange-public"]'), isChecked('input[name="exchange-secret"]')]).toEqual([true, false]);
  });

  it('chooses no lifetime for the user, explains where to find it, and dates by the platform’s answer first', async () => {
    const addPlatform = await checked(METADATA);
    expect([...page.element.querySelectorAll<HTMLInputElement>('input[name="lifetime"]')].some((radio) => radio.checked)).toBe(false);
    expect(page.element.textContent).toContain('often “refresh token lifetime”');
    await act(async () => page.element.querySelector<HTMLInputElement>('input[value="sliding"]')!.click());
    await submit();
    expect(addPlatform).toHaveBeenCalledWith(
      expect.objectContaining({
        oauth: expect.objectContaining({ exchanges: ['secret'], scopes: ['openid', 'offline_access'] }),
        grantRule: { kind: 'response-field', field: 'refresh_token_expires_in', otherwise: { kind: 'sliding', lifetime: { days: 90 } } },
        ruleSource: `${ISSUER}: refresh_token_expires_in where the platform states it, else: Days, restarted by each renewal (90)`,
      }),
    );
  });

  it('warns what “Not known” leads to', async () => {
    await checked(METADATA);
    await act(async () => page.element.querySelector<HTMLInputElement>('input[value="unknown"]')!.click());
    expect(page.element.textContent).toContain('a sign-in shows “Expiry date unknown”');
  });
});
