import { describe, expect, it } from 'vitest';
import { authorizationUrl } from '../../../utils/consent/authorization-url';
import { findPreset, settingsFor } from '../../../utils/catalogue/presets';
import type { OAuthClient } from '../../../utils/connection';

const ATTEMPT = { redirectUri: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/', state: 'the-state', codeChallenge: 'the-challenge' };
const paramsOf = (url: URL) => Object.fromEntries(url.searchParams);

describe('the address the sign-in window opens', () => {
  it('asks Amazon with application_id, state and version=beta for a draft app, and no scope at all', () => {
    const settings = findPreset('amazon-sp-api-eu')!.oauth!;
    const client: OAuthClient = { clientId: 'amzn1.application-oa2-client.x', exchange: 'secret', authorizationParams: { application_id: 'amzn1.sp.solution.y', version: 'beta' } };
    const url = authorizationUrl(settings.endpoints!.authorization, settings, client, ATTEMPT);
    expect(url.origin + url.pathname).toBe('https://sellercentral.amazon.de/apps/authorize/consent');
    expect(paramsOf(url)).toMatchObject({ application_id: 'amzn1.sp.solution.y', version: 'beta', state: 'the-state', redirect_uri: ATTEMPT.redirectUri });
    expect(url.searchParams.has('scope')).toBe(false);
  });

  it('asks DATEV for the long-term token of one client: offline_access, the chosen APIs, the client scope and Windows sign-in', () => {
    const client: OAuthClient = { clientId: 'app', exchange: 'secret', endpointValues: { consultant: '455148', client: '2' }, scopes: ['accounting:documents', 'datev:accounting:clients'] };
    const settings = settingsFor(findPreset('datev')!.oauth!, client);
    const url = authorizationUrl('https://login.datev.de/openid/authorize', settings, client, ATTEMPT);
    expect(url.searchParams.get('scope')!.split(' ')).toEqual([
      'openid',
      'profile',
      'email',
      'offline_access',
      'datev:iam:client:455148-2',
      'accounting:documents',
      'datev:accounting:clients',
    ]);
    expect(paramsOf(url)).toMatchObject({ enableWindowsSso: 'true', prompt: 'consent', code_challenge: 'the-challenge', code_challenge_method: 'S256' });
  });

  it('lets neither the platform nor the app change the flow’s own parameters', () => {
    const settings = { scopes: ['orders'], exchanges: ['public' as const], authorizationParams: { state: 'platform', response_type: 'token' } };
    const client: OAuthClient = { clientId: 'app', exchange: 'public', authorizationParams: { code_challenge_method: 'plain', redirect_uri: 'https://evil.example/' } };
    expect(paramsOf(authorizationUrl('https://platform.example/authorize', settings, client, ATTEMPT))).toMatchObject({
      state: 'the-state',
      response_type: 'code',
      code_challenge_method: 'S256',
      redirect_uri: ATTEMPT.redirectUri,
      client_id: 'app',
    });
  });
});
