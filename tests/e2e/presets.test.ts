import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendFromPage, sharedBrowsers, signInAtPlatform, type ExtensionSession } from '../../scripts/lib/chromium';
import { CHROME_REDIRECT_URL } from '../../scripts/lib/local-platforms';
import { startDatevLookalike, type DatevLookalike } from '../../scripts/lib/lookalike-platforms';

/**
 * Signing in with a built-in preset itself, not a platform added by its address: a local
 * look-alike of the platform answers under the platform's real host names (Chromium's host
 * mapping), so the preset's own issuer, scopes, parameters and client authentication are what
 * reach it.
 */
const CLIENT_SCOPE = 'datev:iam:client:455148-2';
let datev: DatevLookalike;
let session: ExtensionSession;
const browsers = sharedBrowsers();

beforeAll(async () => {
  datev = await startDatevLookalike({ redirectUris: [CHROME_REDIRECT_URL], clientScope: CLIENT_SCOPE });
});
afterAll(async () => {
  await browsers.closeAll();
  await datev.close();
});

async function ask<T>(page: Page, message: object): Promise<T> {
  const reply = (await sendFromPage(page, message)) as { ok: boolean; value?: T; error?: string };
  if (!reply.ok) throw new Error(`The extension refused ${JSON.stringify(message).slice(0, 80)}: ${reply.error}`);
  return reply.value as T;
}

describe('the DATEV preset against a DATEV look-alike', () => {
  it('asks for one client’s long-term token with Windows sign-in, authenticates with Basic on the API host, and shows two years', async () => {
    // What the settings page asks for at the click: DATEV's sign-in host and its API host together.
    session = await browsers.session({ lang: 'en', hostResolverRules: datev.hostResolverRules, siteAccess: ['https://login.datev.de/*', 'https://api.datev.de/*'] });
    const popup = await session.openPopup();
    const connection = await ask<{ id: string }>(popup, {
      type: 'connections/create',
      connection: {
        platformId: 'datev',
        label: 'Mandant 2 Müller Bau GmbH',
        client: { clientId: datev.clientId, exchange: 'secret', endpointValues: { consultant: '455148', client: '2' }, scopes: ['accounting:documents'] },
        clientSecret: datev.clientSecret,
      },
    });
    // The hosts the popup asks for at the sign-in click: the sign-in host and the API host, together.
    const { views } = await ask<{ views: { connection: { id: string }; hostOrigins: string[] }[] }>(popup, { type: 'connections/list' });
    expect(views.find((view) => view.connection.id === connection.id)!.hostOrigins).toEqual(['https://login.datev.de/*', 'https://api.datev.de/*']);
    await popup.reload();
    await popup.waitForSelector('main.popup[aria-busy="false"]');
    const row = `li[data-connection-id="${connection.id}"]`;

    await popup.click(`${row} button[data-action="consent"]`);
    await signInAtPlatform(session, 'https://login.datev.de/', { login: 'a.becker' });
    await popup.waitForSelector(`${row} .connection__feedback:not([data-kind="working"]):not(:empty)`, { timeout: 20_000 });
    expect(await popup.$eval(`${row} .connection__feedback`, (el) => el.getAttribute('data-kind'))).toBe('success');
    expect(await popup.$eval(`${row} .connection__status`, (el) => el.textContent)).toMatch(/^Authenticated \(expires in 73[01] days\)$/);
    // The DATEV user, read from the userinfo endpoint on the API host.
    expect(await popup.$eval(`${row} .connection__who`, (el) => el.textContent)).toBe('Mandant 2 Müller Bau GmbH · a.becker@example.com');

    const authorization = datev.authorizationRequests.at(-1)!;
    expect(authorization.get('scope')!.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access', CLIENT_SCOPE, 'accounting:documents']));
    expect(authorization.get('enableWindowsSso')).toBe('true');
    expect(authorization.get('code_challenge_method')).toBe('S256');
    expect(datev.apiRequests).toEqual(
      expect.arrayContaining([
        { path: '/token', basic: true, grantType: 'authorization_code', status: 200 },
        { path: '/userinfo', basic: false, status: 200 },
      ]),
    );
  });
});
