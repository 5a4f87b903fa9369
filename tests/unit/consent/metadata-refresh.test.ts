import { describe, expect, it } from 'vitest';
import type { CustomPlatform } from '../../../utils/catalogue/types';
import type { Connection } from '../../../utils/connection';
import { connectionViews } from '../../../utils/catalogue/views';
import { createMetadataRefresh, METADATA_REFRESH_MS } from '../../../utils/consent/metadata-refresh';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import { lazyRepository } from '../../../utils/storage/db';
import { aConnection } from '../fixtures';
import { textsFor } from '../texts';

const NOW = Date.parse('2026-11-24T00:00:00+01:00');
const ISSUER = 'https://sso.erp.example';

const metadata = (overrides: object = {}) => ({
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
  code_challenge_methods_supported: ['S256'],
  ...overrides,
});

/** The platform as the settings page stored it when it was added, two days ago. */
const platform = (overrides: Partial<CustomPlatform> = {}): CustomPlatform => ({
  id: 'custom-erp',
  kind: 'oauth',
  name: 'ERP',
  oauth: {
    issuer: ISSUER,
    endpoints: { authorization: `${ISSUER}/auth`, token: `${ISSUER}/token` },
    scopes: ['openid', 'offline_access'],
    exchanges: ['public'],
  },
  grantRule: { kind: 'unknown' },
  ruleSource: 'sso.erp.example',
  createdAt: NOW - 2 * MS_PER_DAY,
  ...overrides,
});

/** A platform whose answers are counted; `body` null is one that cannot be reached. */
function platformAnswering(body: object | null, delayMs = 0) {
  const asked: string[] = [];
  const fetch: typeof globalThis.fetch = async (input) => {
    asked.push(input instanceof Request ? input.url : input.toString());
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (body === null) throw new TypeError('Failed to fetch');
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  };
  return { fetch, asked };
}

async function stored(...platforms: CustomPlatform[]) {
  const repository = lazyRepository();
  const store = await repository();
  for (const added of platforms) await store.savePlatform(added);
  await store.save({
    connection: aConnection({ platformId: 'custom-erp', client: { clientId: 'app', exchange: 'public' } }),
    event: { connectionId: 'c', type: 'added', at: NOW, actor: 'Anna Becker' },
  });
  return { repository, platform: async (id = 'custom-erp') => (await store.platforms()).find((found) => found.id === id) };
}

describe('reading a platform’s metadata again', () => {
  it('stores the new endpoints and hosts of a platform that is due', async () => {
    const { repository, platform: read } = await stored(platform());
    const { fetch } = platformAnswering(metadata({ token_endpoint: 'https://api.erp.example/token', revocation_endpoint: 'https://api.erp.example/revoke' }));
    await createMetadataRefresh({ repository, fetch, now: () => NOW }).refreshDue();
    expect(await read()).toEqual(
      platform({
        oauth: {
          ...platform().oauth,
          endpoints: { authorization: `${ISSUER}/auth`, token: 'https://api.erp.example/token', revocation: 'https://api.erp.example/revoke' },
          hosts: ['api.erp.example'],
        },
        metadataCheckedAt: NOW,
      }),
    );
  });

  it('asks no platform whose metadata was read less than a day ago', async () => {
    const { repository, platform: read } = await stored(platform({ metadataCheckedAt: NOW - METADATA_REFRESH_MS + 60_000 }));
    const { fetch, asked } = platformAnswering(metadata({ token_endpoint: 'https://api.erp.example/token' }));
    await createMetadataRefresh({ repository, fetch, now: () => NOW }).refreshDue();
    expect(asked).toEqual([]);
    expect((await read())!.oauth.endpoints!.token).toBe(`${ISSUER}/token`);
  });

  it('asks no platform that no connection uses, nor one added by its endpoints', async () => {
    const unused = platform({ id: 'custom-unused' });
    const byEndpoints = platform({ oauth: { ...platform().oauth, issuer: undefined } });
    delete byEndpoints.oauth.issuer;
    const { repository } = await stored(unused, byEndpoints);
    const { fetch, asked } = platformAnswering(metadata());
    await createMetadataRefresh({ repository, fetch, now: () => NOW }).refreshDue();
    expect(asked).toEqual([]);
  });

  it('keeps the last good copy of a platform it cannot reach, and asks again a day later, not at every wake-up', async () => {
    const { repository, platform: read } = await stored(platform({ oauth: { ...platform().oauth, hosts: ['api.erp.example'] } }));
    const { fetch, asked } = platformAnswering(null);
    const { refreshDue: refresh } = createMetadataRefresh({ repository, fetch, now: () => NOW });
    await refresh();
    expect(await read()).toEqual(platform({ oauth: { ...platform().oauth, hosts: ['api.erp.example'] }, metadataCheckedAt: NOW }));
    const times = asked.length;
    await refresh();
    expect(asked.length).toBe(times);
  });

  it.each([
    ['a token endpoint over plain HTTP', metadata({ token_endpoint: 'http://api.erp.example/token' })],
    ['an authorization endpoint over plain HTTP', metadata({ authorization_endpoint: 'http://sso.erp.example/auth' })],
    ['another issuer', metadata({ issuer: 'https://evil.example', token_endpoint: 'https://evil.example/token' })],
    ['no PKCE with S256 any more', metadata({ code_challenge_methods_supported: ['plain'], token_endpoint: 'https://api.erp.example/token' })],
  ])('refuses metadata with %s and keeps the last good copy', async (_, refused) => {
    const { repository, platform: read } = await stored(platform());
    await createMetadataRefresh({ repository, fetch: platformAnswering(refused).fetch, now: () => NOW }).refreshDue();
    expect((await read())!.oauth).toEqual(platform().oauth);
  });

  it('stores an answer that comes after a while: nothing waits on the network inside a database transaction', async () => {
    const { repository, platform: read } = await stored(platform());
    const { fetch } = platformAnswering(metadata({ token_endpoint: 'https://api.erp.example/token' }), 20);
    await createMetadataRefresh({ repository, fetch, now: () => NOW }).refreshDue();
    expect((await read())!.oauth.hosts).toEqual(['api.erp.example']);
  });

  it('has the next sign-in click ask for the new hosts together with the others', async () => {
    const { repository } = await stored(platform());
    const store = await repository();
    const hostsAtClick = async () => connectionViews(await store.list(), textsFor('en'), await store.platforms())[0]!.hostOrigins;
    expect(await hostsAtClick()).toEqual(['https://sso.erp.example/*']);
    await createMetadataRefresh({ repository, fetch: platformAnswering(metadata({ token_endpoint: 'https://api.erp.example/token' })).fetch, now: () => NOW }).refreshDue();
    expect(await hostsAtClick()).toEqual(['https://sso.erp.example/*', 'https://api.erp.example/*']);
  });
});

/** DATEV's metadata as its login host serves it, its token, userinfo and revocation endpoints on `apiHost`. */
const datevMetadata = (apiHost = 'api.datev.de', overrides: object = {}) => ({
  issuer: 'https://login.datev.de/openid',
  authorization_endpoint: 'https://login.datev.de/openid/authorize',
  token_endpoint: `https://${apiHost}/token`,
  userinfo_endpoint: `https://${apiHost}/userinfo`,
  revocation_endpoint: `https://${apiHost}/revoke`,
  ...overrides,
});

const datevClient = { clientId: 'app', exchange: 'secret' as const, endpointValues: { consultant: '455148', client: '2' }, scopes: ['accounting:documents'] };

/** A connection on a built-in platform found by discovery, stored as it was left. */
async function storedConnection(overrides: Partial<Connection> = {}) {
  const repository = lazyRepository();
  const store = await repository();
  const connection = aConnection({ platformId: 'datev', client: datevClient, ...overrides });
  await store.save({ connection, event: { connectionId: connection.id, type: 'added', at: NOW, actor: 'Anna Becker' } });
  return {
    repository,
    connection,
    read: async () => (await store.get(connection.id))!,
    hostsAtClick: async () => connectionViews([await store.get(connection.id)], textsFor('en'), [])[0]!.hostOrigins,
  };
}

describe('the metadata of a connection on a built-in platform found by discovery (DATEV, Microsoft, Xero)', () => {
  it('is read when the connection is added, and the hosts it names are kept for the click', async () => {
    const { repository, connection, read, hostsAtClick } = await storedConnection();
    const { fetch, asked } = platformAnswering(datevMetadata('api2.datev.de'));
    await createMetadataRefresh({ repository, fetch, now: () => NOW }).connectionAdded(connection);
    expect(asked).toEqual(['https://login.datev.de/openid/.well-known/openid-configuration']);
    expect((await read()).discovered).toEqual({ hosts: ['api2.datev.de'], checkedAt: NOW });
    // The hosts the metadata names replace the catalogue's (api.datev.de).
    expect(await hostsAtClick()).toEqual(['https://login.datev.de/*', 'https://api2.datev.de/*']);
  });

  it('asks the catalogue’s hosts at the click until the metadata was read', async () => {
    const { hostsAtClick } = await storedConnection();
    expect(await hostsAtClick()).toEqual(['https://login.datev.de/*', 'https://api.datev.de/*']);
  });

  it('is read again a day later at a wake-up, new hosts stored; not sooner', async () => {
    const { repository, read, hostsAtClick } = await storedConnection({ discovered: { hosts: ['api.datev.de'], checkedAt: NOW - METADATA_REFRESH_MS } });
    const { fetch, asked } = platformAnswering(datevMetadata('api2.datev.de'));
    const { refreshDue } = createMetadataRefresh({ repository, fetch, now: () => NOW });
    await refreshDue();
    expect((await read()).discovered).toEqual({ hosts: ['api2.datev.de'], checkedAt: NOW });
    expect(await hostsAtClick()).toEqual(['https://login.datev.de/*', 'https://api2.datev.de/*']);
    await refreshDue();
    expect(asked).toHaveLength(1);
  });

  it('is read at the first wake-up for a connection that was never read (added by an earlier version, imported)', async () => {
    const { repository, read } = await storedConnection();
    await createMetadataRefresh({ repository, fetch: platformAnswering(datevMetadata()).fetch, now: () => NOW }).refreshDue();
    expect((await read()).discovered).toEqual({ hosts: ['api.datev.de'], checkedAt: NOW });
  });

  it('reads an issuer once for all its connections at a wake-up (every DATEV client of the office)', async () => {
    const { repository, read } = await storedConnection();
    const store = await repository();
    for (const id of ['client-3', 'client-4']) {
      await store.save({ connection: aConnection({ id, platformId: 'datev', client: datevClient }), event: { connectionId: id, type: 'added', at: NOW, actor: 'Anna Becker' } });
    }
    const { fetch, asked } = platformAnswering(datevMetadata('api2.datev.de'));
    await createMetadataRefresh({ repository, fetch, now: () => NOW }).refreshDue();
    expect(asked).toEqual(['https://login.datev.de/openid/.well-known/openid-configuration']);
    expect((await read()).discovered).toEqual({ hosts: ['api2.datev.de'], checkedAt: NOW });
    expect((await store.get('client-4'))!.discovered).toEqual({ hosts: ['api2.datev.de'], checkedAt: NOW });
  });

  it('asks nothing within a day of the last read', async () => {
    const { repository } = await storedConnection({ discovered: { hosts: ['api.datev.de'], checkedAt: NOW - METADATA_REFRESH_MS + 60_000 } });
    const { fetch, asked } = platformAnswering(datevMetadata('api2.datev.de'));
    await createMetadataRefresh({ repository, fetch, now: () => NOW }).refreshDue();
    expect(asked).toEqual([]);
  });

  it('keeps the last good hosts when the platform cannot be reached, and asks again a day later, not at every wake-up', async () => {
    const { repository, read } = await storedConnection({ discovered: { hosts: ['api2.datev.de'], checkedAt: NOW - 2 * MS_PER_DAY } });
    const { fetch, asked } = platformAnswering(null);
    const { refreshDue } = createMetadataRefresh({ repository, fetch, now: () => NOW });
    await refreshDue();
    expect((await read()).discovered).toEqual({ hosts: ['api2.datev.de'], checkedAt: NOW });
    const times = asked.length;
    await refreshDue();
    expect(asked.length).toBe(times);
  });

  it('keeps the catalogue’s hosts when the first read fails', async () => {
    const { repository, connection, read, hostsAtClick } = await storedConnection();
    await createMetadataRefresh({ repository, fetch: platformAnswering(null).fetch, now: () => NOW }).connectionAdded(connection);
    expect((await read()).discovered).toEqual({ checkedAt: NOW });
    expect(await hostsAtClick()).toEqual(['https://login.datev.de/*', 'https://api.datev.de/*']);
  });

  it.each([
    ['a token endpoint over plain HTTP', datevMetadata('api2.datev.de', { token_endpoint: 'http://api2.datev.de/token' })],
    ['another issuer', datevMetadata('evil.example', { issuer: 'https://evil.example' })],
    ['no token endpoint', datevMetadata('api2.datev.de', { token_endpoint: undefined })],
  ])('refuses metadata with %s and keeps the last good copy', async (_, refused) => {
    const { repository, read } = await storedConnection({ discovered: { hosts: ['api.datev.de'], checkedAt: NOW - 2 * MS_PER_DAY } });
    await createMetadataRefresh({ repository, fetch: platformAnswering(refused).fetch, now: () => NOW }).refreshDue();
    expect((await read()).discovered).toEqual({ hosts: ['api.datev.de'], checkedAt: NOW });
  });

  it('reads Microsoft’s metadata for the connection’s tenant, whose issuer names {tenantid}', async () => {
    const microsoft = 'https://login.microsoftonline.com';
    const { repository, connection, read } = await storedConnection({ platformId: 'microsoft', client: { clientId: 'app', exchange: 'public', endpointValues: { tenant: 'organizations' } } });
    const { fetch, asked } = platformAnswering({
      issuer: `${microsoft}/{tenantid}/v2.0`,
      authorization_endpoint: `${microsoft}/organizations/oauth2/v2.0/authorize`,
      token_endpoint: `${microsoft}/organizations/oauth2/v2.0/token`,
      userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    });
    await createMetadataRefresh({ repository, fetch, now: () => NOW }).connectionAdded(connection);
    expect(asked).toEqual([`${microsoft}/organizations/v2.0/.well-known/openid-configuration`]);
    expect((await read()).discovered).toEqual({ hosts: ['graph.microsoft.com'], checkedAt: NOW });
  });

  it('asks nothing for a connection on a platform whose catalogue entry names its endpoints', async () => {
    const { repository, connection } = await storedConnection({ platformId: 'ebay', client: { clientId: 'app', exchange: 'secret' } });
    const { fetch, asked } = platformAnswering(datevMetadata());
    const refresh = createMetadataRefresh({ repository, fetch, now: () => NOW });
    await refresh.connectionAdded(connection);
    await refresh.refreshDue();
    expect(asked).toEqual([]);
  });
});
