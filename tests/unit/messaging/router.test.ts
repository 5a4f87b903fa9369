import { aConnection } from '../fixtures';
import { describe, expect, it, vi } from 'vitest';
import { InvalidInputError } from '../../../utils/errors';
import { StorageError } from '../../../utils/storage/db';
import { OAuthFailure } from '../../../utils/consent/oauth-errors';
import { NotFoundError } from '../../../utils/consent/token-service';
import { createMessageRouter } from '../../../utils/messaging/router';
import { MESSAGE_TYPES, readPayload, type Handlers, type MessageType } from '../../../utils/messaging/protocol';

const EXTENSION = { extensionId: 'own-id', extensionOrigin: 'chrome-extension://own-id/' };
const POPUP = { id: 'own-id', url: 'chrome-extension://own-id/popup.html' };

function routerWith(overrides: Partial<Handlers> = {}, log = vi.fn()) {
  const unused = async () => {
    throw new Error('not called in this test');
  };
  const handlers = {
    ...Object.fromEntries(MESSAGE_TYPES.map((type) => [type, unused])),
    'connections/list': vi.fn(async () => ({ views: [], activeConsent: null })),
    ...overrides,
  } as Handlers;
  return { route: createMessageRouter(handlers, { ...EXTENSION, log }), handlers, log };
}

describe('the background message router', () => {
  it('answers the extension’s own pages', async () => {
    const { route } = routerWith();
    await expect(route({ type: 'connections/list' }, POPUP)).resolves.toEqual({ ok: true, value: { views: [], activeConsent: null } });
  });

  it.each([
    ['another extension', { id: 'other-id', url: 'chrome-extension://other-id/page.html' }],
    ['a content script on a web page', { id: 'own-id', url: 'https://evil.example/' }],
    ['a sender without an id', { url: 'chrome-extension://own-id/popup.html' }],
  ])('refuses %s before any handler runs', async (_, sender) => {
    const { route, handlers } = routerWith();
    await expect(route({ type: 'connections/list' }, sender)).resolves.toEqual({ ok: false, error: 'forbidden-sender' });
    expect(handlers['connections/list']).not.toHaveBeenCalled();
  });

  it.each([null, 'connections/list', {}, { type: 'connections/delete-everything' }])('refuses the malformed message %j', async (message) => {
    const { route } = routerWith();
    await expect(route(message, POPUP)).resolves.toEqual({ ok: false, error: 'invalid-request' });
  });

  it.each<[string, { type: MessageType } & Record<string, unknown>, string]>([
    ['a refresh without its connection', { type: 'tokens/refresh' }, 'connectionId'],
    ['preferences with an impossible hour', { type: 'preferences/save', preferences: { morningHour: 25 } }, 'morningHour'],
    ['a tracked credential with a day that does not exist', { type: 'connections/track', connection: { platformId: 'other-software', label: 'x', expiresOn: '2027-02-31' } }, 'expiresOn'],
  ])('reads each payload where it enters: %s is refused before its handler runs', async (_, message, field) => {
    const handler = vi.fn();
    const { route } = routerWith({ [message.type]: handler });
    await expect(route(message, POPUP)).resolves.toEqual({ ok: false, error: 'invalid-input' });
    expect(handler).not.toHaveBeenCalled();
    expect(() => readPayload(message.type, message)).toThrow(expect.objectContaining({ field }));
  });

  it.each([
    ['a token address over plain HTTP', { token: 'http://erp.example/token' }, 'oauth.endpoints.token'],
    ['a javascript: sign-in address', { authorization: 'javascript:alert(1)' }, 'oauth.endpoints.authorization'],
  ])('refuses a custom platform with %s with the message that asks for HTTPS, not a generic one', async (_, change, field) => {
    const { route } = routerWith({ 'platforms/add': vi.fn() });
    const platform = {
      name: 'ERP',
      oauth: { endpoints: { authorization: 'https://erp.example/authorize', token: 'https://erp.example/token', ...change }, scopes: ['offline_access'], exchanges: ['public'] },
      grantRule: { kind: 'unknown' },
      ruleSource: 'ERP',
    };
    await expect(route({ type: 'platforms/add', platform }, POPUP)).resolves.toEqual({ ok: false, error: 'discovery-insecure' });
    expect(() => readPayload('platforms/add', { platform })).toThrow(expect.objectContaining({ field }));
  });

  it('hands the handler the typed payload only, whatever else the message carries', async () => {
    const handler = vi.fn(async () => ({ status: 'reconsent-needed' as const }));
    const { route } = routerWith({ 'tokens/refresh': handler });
    await route({ type: 'tokens/refresh', connectionId: 'c1', actor: 'someone', extra: { big: true } }, POPUP);
    expect(handler).toHaveBeenCalledWith({ type: 'tokens/refresh', connectionId: 'c1' });
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no lists', { document: '{"format":"token-watch"}' }, 'import-not-an-export'],
    ['more connections than are kept', { connections: Array.from({ length: 2_001 }, () => aConnection()), platforms: [] }, 'import-not-an-export'],
    ['a record that is not a whole connection', { connections: [{ id: 'x', label: 'half' }], platforms: [] }, 'invalid-input'],
    ['a label longer than any form takes', { connections: [aConnection({ label: 'x'.repeat(301) })], platforms: [] }, 'invalid-input'],
    ['a platform that is not an added one', { connections: [], platforms: [{ id: 'datev', name: 'Fake DATEV' }] }, 'invalid-input'],
    [
      'a platform whose sign-in is not HTTPS',
      {
        connections: [],
        platforms: [{ id: 'custom-1', name: 'Shop', kind: 'oauth', oauth: { endpoints: { authorization: 'http://login.example/auth', token: 'https://login.example/token' }, scopes: [], exchanges: ['public'] }, grantRule: { kind: 'unknown' } }],
      },
      'discovery-insecure',
    ],
  ])('refuses an import that brings %s, before any handler runs', async (_, payload, error) => {
    const handler = vi.fn();
    const { route } = routerWith({ 'connections/import': handler });
    await expect(route({ type: 'connections/import', ...payload }, POPUP)).resolves.toEqual({ ok: false, error });
    expect(handler).not.toHaveBeenCalled();
  });

  it('knows every message type of the protocol from one table', () => {
    expect(MESSAGE_TYPES).toHaveLength(28);
    expect(new Set(MESSAGE_TYPES).size).toBe(MESSAGE_TYPES.length);
  });

  it('turns a storage failure into its code and logs no stored data', async () => {
    const { route, log } = routerWith({
      'connections/list': async () => {
        throw new StorageError('storage-full', { cause: new Error('refresh_token=rt-123') });
      },
    });
    await expect(route({ type: 'connections/list' }, POPUP)).resolves.toEqual({ ok: false, error: 'storage-full' });
    expect(log).toHaveBeenCalledOnce();
    expect(String(log.mock.calls[0])).not.toContain('rt-123');
  });

  it.each([
    ['an OAuth failure', new OAuthFailure('grant-rejected'), 'grant-rejected'],
    ['a missing connection', new NotFoundError(), 'not-found'],
    ['a bad field', new InvalidInputError('label'), 'invalid-input'],
  ])('answers %s with its code', async (_, error, code) => {
    const { route } = routerWith({
      'tokens/refresh': async () => {
        throw error;
      },
    });
    await expect(route({ type: 'tokens/refresh', connectionId: 'c' }, POPUP)).resolves.toEqual({ ok: false, error: code });
  });

  it('reports an unexpected failure as such', async () => {
    const { route, log } = routerWith({
      'connections/list': async () => {
        throw new Error('secret details');
      },
    });
    await expect(route({ type: 'connections/list' }, POPUP)).resolves.toEqual({ ok: false, error: 'unexpected' });
    expect(String(log.mock.calls[0])).not.toContain('secret details');
  });
});

describe('error names', () => {
  it.each([
    [new InvalidInputError('label'), 'InvalidInputError'],
    [new StorageError('storage-full'), 'StorageError'],
    [new OAuthFailure('network'), 'OAuthFailure'],
    [new NotFoundError(), 'NotFoundError'],
  ])('stay readable in the logs of a bundled build: %s', (error, name) => {
    expect(error.name).toBe(name);
    expect(error).toBeInstanceOf(Error);
  });
});
