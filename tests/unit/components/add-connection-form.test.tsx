// @vitest-environment happy-dom
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { AddConnectionForm } from '../../../components/AddConnectionForm';
import { textsFor } from '../texts';
import { pageRoot } from './page-root';

const page = pageRoot();

async function change(selector: string, value: string, event: 'input' | 'change' = 'input') {
  const element = page.element.querySelector<HTMLInputElement | HTMLSelectElement>(selector);
  if (!element) throw new Error(`no ${selector}`);
  await act(async () => {
    element.value = value;
    element.dispatchEvent(new Event(event, { bubbles: true }));
  });
}

describe('the form that adds a connection', () => {
  async function renderForm() {
    const createConnection = vi.fn(async () => {
      throw new Error('stop here');
    });
    const requestHostAccess = vi.fn(async () => true);
    await act(async () => {
      render(
        <AddConnectionForm client={{ createConnection, track: vi.fn() }} texts={textsFor('en')} customPlatforms={[]} requestHostAccess={requestHostAccess} onAdded={() => undefined} />,
        page.element,
      );
    });
    return { createConnection, requestHostAccess };
  }

  it('asks for what the platform’s catalogue entry lists, and sends it as the platform names it', async () => {
    const { createConnection } = await renderForm();
    await change('select[name="platformId"]', 'amazon-sp-api-eu', 'change');
    expect(page.element.querySelector('input[name="applicationId"]')).not.toBeNull();
    expect(page.element.querySelector('input[name="redirectName"]')).toBeNull();
    await change('input[name="label"]', 'Marketplace DE');
    await change('input[name="clientId"]', 'amzn1.application-oa2-client.x');
    await change('input[name="clientSecret"]', 's3cret');
    await change('input[name="applicationId"]', 'amzn1.sp.solution.y');
    await act(async () => {
      page.element.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await vi.waitFor(() => expect(createConnection).toHaveBeenCalled());
    expect(createConnection).toHaveBeenCalledWith(
      expect.objectContaining({
        platformId: 'amazon-sp-api-eu',
        client: expect.objectContaining({ exchange: 'secret', authorizationParams: { application_id: 'amzn1.sp.solution.y' } }),
        clientSecret: 's3cret',
      }),
    );

    await change('select[name="platformId"]', 'ebay', 'change');
    expect(page.element.querySelector('input[name="redirectName"]')).not.toBeNull();
    expect(page.element.querySelector('input[name="applicationId"]')).toBeNull();
  });


  async function check(selector: string) {
    await act(async () => {
      page.element.querySelector<HTMLInputElement>(selector)!.click();
    });
  }

  async function submit() {
    await act(async () => {
      page.element.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
  }

  it('marks an Amazon app still in draft with version=beta', async () => {
    const { createConnection } = await renderForm();
    await change('select[name="platformId"]', 'amazon-sp-api-eu', 'change');
    await change('input[name="label"]', 'Marketplace DE');
    await change('input[name="clientId"]', 'amzn1.application-oa2-client.x');
    await change('input[name="clientSecret"]', 's3cret');
    await change('input[name="applicationId"]', 'amzn1.sp.solution.y');
    await check('input[name="draft"]');
    await submit();
    await vi.waitFor(() => expect(createConnection).toHaveBeenCalled());
    expect(createConnection).toHaveBeenCalledWith(
      expect.objectContaining({ client: expect.objectContaining({ authorizationParams: { application_id: 'amzn1.sp.solution.y', version: 'beta' } }) }),
    );
  });

  it('asks DATEV for consultant number, client number and the APIs, and for every host the sign-in will call at once', async () => {
    const { createConnection, requestHostAccess } = await renderForm();
    await change('select[name="platformId"]', 'datev', 'change');
    await change('input[name="label"]', 'Mandant 2 Müller GmbH');
    await change('input[name="field_consultant"]', '455148');
    await change('input[name="field_client"]', '2');
    await change('input[name="clientId"]', 'app');
    await change('input[name="clientSecret"]', 's3cret');
    await check('input[name="scope"][value="accounting:documents"]');
    await submit();
    await vi.waitFor(() => expect(createConnection).toHaveBeenCalled());
    expect(requestHostAccess).toHaveBeenCalledWith(['https://login.datev.de/*', 'https://api.datev.de/*']);
    expect(createConnection).toHaveBeenCalledWith(
      expect.objectContaining({
        client: expect.objectContaining({ endpointValues: { consultant: '455148', client: '2' }, scopes: ['accounting:documents'] }),
      }),
    );
  });
});
