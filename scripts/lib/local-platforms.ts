/**
 * The three local platforms, the reference broker in front of the eBay-like one,
 * and the connections to them, set up through the extension's own messages.
 * Shared by the end-to-end tests and the demo.
 */
import type { Page } from 'puppeteer-core';
import type { Connection } from '../../utils/connection';
import type { CustomPlatform } from '../../utils/catalogue/presets';
import { createHash } from 'node:crypto';
import { GECKO_ID } from '../../wxt.config';
import { startBroker } from './broker-server';
import { CHROME_EXTENSION_ID, sendFromPage } from './chromium';
import { FIREFOX_ORIGIN } from './firefox';
import { startPlatform, type LocalPlatform, type PlatformKind } from './oauth-platforms';
import { fetchTrusting, loopbackTls } from './tls';

export const CHROME_REDIRECT_URL = `https://${CHROME_EXTENSION_ID}.chromiumapp.org/`;
export const CHROME_ORIGIN = `chrome-extension://${CHROME_EXTENSION_ID}`;
/** Firefox's identity.getRedirectURL(): the SHA-1 of the add-on id as a host. */
export const FIREFOX_REDIRECT_URL = `https://${createHash('sha1').update(GECKO_ID).digest('hex')}.extensions.allizom.org/`;

export type LocalPlatforms = Record<PlatformKind, LocalPlatform>;

export async function startLocalPlatforms(): Promise<LocalPlatforms> {
  const options = { redirectUris: [CHROME_REDIRECT_URL, FIREFOX_REDIRECT_URL], corsOrigins: [CHROME_ORIGIN, FIREFOX_ORIGIN] };
  const [publicPlatform, ebay, datev] = await Promise.all(
    (['public', 'ebay', 'datev'] as const).map((kind) => startPlatform({ kind, ...options })),
  );
  return { public: publicPlatform!, ebay: ebay!, datev: datev! };
}

/** How each local platform is described to the extension, as a user would add it by its issuer. */
export function platformDefinition(kind: PlatformKind, platform: LocalPlatform) {
  const common = { issuer: platform.issuer, authorizationParams: { prompt: 'consent' } };
  switch (kind) {
    case 'public':
      return {
        name: 'Local shop platform (PKCE)',
        oauth: { ...common, scopes: ['openid', 'email', 'offline_access'], exchanges: ['public'] },
        grantRule: { kind: 'sliding', lifetime: { days: 90 } },
        ruleSource: 'The local platform keeps a refresh token 90 days, restarted by each refresh.',
      };
    case 'ebay':
      return {
        name: 'Local eBay (through the broker)',
        oauth: { ...common, scopes: ['openid', 'email', 'offline_access', 'orders'], exchanges: ['broker', 'secret'], tokenTypes: ['User Access Token'] },
        grantRule: { kind: 'response-field', field: 'refresh_token_expires_in', otherwise: { kind: 'fixed', lifetime: { months: 18 } } },
        ruleSource: 'Like eBay: refresh_token_expires_in in the token response, else 18 months.',
      };
    case 'datev':
      return {
        name: 'Local DATEV (client secret)',
        oauth: { ...common, scopes: ['openid', 'profile', 'email', 'offline_access'], exchanges: ['secret'] },
        grantRule: { kind: 'fixed', lifetime: { months: 24 } },
        ruleSource: 'Like DATEV: the long-term token lasts two years.',
      };
  }
}

async function ask<T>(page: Page, message: object): Promise<T> {
  const reply = (await sendFromPage(page, message)) as { ok: boolean; value?: T; error?: string };
  if (!reply.ok) throw new Error(`The extension refused ${JSON.stringify(message).slice(0, 80)}: ${reply.error}`);
  return reply.value as T;
}

export interface LocalOffice {
  platformIds: Record<PlatformKind, string>;
  connections: Record<PlatformKind, Connection>;
  brokerLog: string[];
  close(): Promise<void>;
}

/**
 * Adds the three platforms to the extension, starts the broker for the eBay-like
 * one (it needs the platform's id), and creates one connection at each.
 */
export async function connectLocalOffice(page: Page, platforms: LocalPlatforms, userName?: string): Promise<LocalOffice> {
  if (userName) {
    // The history names who added and signed in: the user's name from the settings.
    const preferences = await ask<{ morningHour: number }>(page, { type: 'preferences/get' });
    await ask(page, { type: 'preferences/save', preferences: { ...preferences, userName } });
  }
  const added = {} as Record<PlatformKind, CustomPlatform>;
  for (const kind of ['public', 'ebay', 'datev'] as const) {
    added[kind] = await ask<CustomPlatform>(page, { type: 'platforms/add', platform: platformDefinition(kind, platforms[kind]) });
  }
  const brokerLog: string[] = [];
  const tls = await loopbackTls();
  const broker = await startBroker({
    platforms: {
      [added.ebay.id]: {
        tokenUrl: `${platforms.ebay.issuer}/token`,
        revocationUrl: `${platforms.ebay.issuer}/token/revocation`,
        clientId: platforms.ebay.clientId,
        clientSecret: platforms.ebay.clientSecret!,
        redirectUris: [CHROME_REDIRECT_URL, FIREFOX_REDIRECT_URL],
      },
    },
    allowedOrigins: [CHROME_ORIGIN, FIREFOX_ORIGIN],
    tls,
    fetch: fetchTrusting(tls.cert),
    log: (line) => brokerLog.push(line),
  });
  const create = (connection: object) => ask<Connection>(page, { type: 'connections/create', connection });
  const connections: Record<PlatformKind, Connection> = {
    public: await create({ platformId: added.public.id, label: 'Webshop', client: { clientId: platforms.public.clientId, exchange: 'public' } }),
    ebay: await create({
      platformId: added.ebay.id,
      label: 'Shop Berlin',
      client: { clientId: platforms.ebay.clientId, exchange: 'broker', brokerUrl: broker.url },
    }),
    datev: await create({
      platformId: added.datev.id,
      label: 'Mandant 10001 Müller Bau GmbH',
      client: { clientId: platforms.datev.clientId, exchange: 'secret' },
      clientSecret: platforms.datev.clientSecret,
    }),
  };
  return {
    platformIds: { public: added.public.id, ebay: added.ebay.id, datev: added.datev.id },
    connections,
    brokerLog,
    close: broker.close,
  };
}
