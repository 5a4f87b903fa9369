/**
 * npm run demo [-- --screenshot DIR] [-- --lang de|en]
 *
 * Builds the extension, starts three local OAuth platforms (and the token broker)
 * on 127.0.0.1 and the company's token holder (its embedded database in a temporary
 * folder), loads the extension into Chromium and fills it, through the extension's
 * own messages, with an example office plus one connection at each local platform,
 * and connects it to the holder. With a display it opens a browser to try it in;
 * without one, or with --screenshot, it signs in once by itself and once through the
 * holder, lets a small script standing in for the business software fetch its access
 * token from the holder and call the platform, saves the popup and the holder's
 * settings in German and English, prints the badge and exits.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importThroughPopup, launchWithExtension, sendFromPage, signInAtPlatform, type ExtensionSession } from './lib/chromium';
import { exampleConnections } from './lib/example-connections';
import type { ExportDocument } from '../utils/records/transfer';
import { runBusinessSoftware } from './lib/business-software';
import { startLocalHolder, type LocalHolder } from './lib/local-holder';
import { connectLocalOffice, startLocalPlatforms, type LocalPlatforms } from './lib/local-platforms';
import { fetchTrusting, loopbackTls } from './lib/tls';

const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const DEMO_LOGIN = { login: 'anna', password: 'demo' };
const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { screenshot: { type: 'string' }, lang: { type: 'string', default: 'de' } } });

function build() {
  console.log('Building the extension …');
  execFileSync(join(root, 'node_modules/.bin/wxt'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Two more rows, so that the popup shows every kind of next step: a token held by the ERP that is
 * renewed on the ERP's page (tracked by date, with its renewal page), and an Etsy shop whose
 * authorization the platform refused, to be signed in again.
 */
function moreRows(now: number): ExportDocument {
  const inDays = (days: number) => new Date(now + days * 86_400_000).toISOString();
  return {
    ...exampleConnections(now, TIME_ZONE),
    connections: [
      {
        platformId: 'other-software',
        label: 'eBay-Token im ERP',
        account: '',
        consentedAt: null,
        requestedBy: 'Anna Becker',
        grantExpiry: { at: inDays(12), source: 'user' },
        needsReconsent: false,
        warningDays: [30, 14, 7, 3, 1, 0],
        renewUrl: 'https://erp.example/einstellungen/ebay',
      },
      {
        platformId: 'etsy',
        label: 'Etsy-Shop',
        account: 'shop@beispiel-shop.de',
        consentedAt: inDays(-40),
        requestedBy: 'Jonas Weber',
        grantExpiry: { at: inDays(50), source: 'documented' },
        needsReconsent: true,
        warningDays: [30, 14, 7, 3, 1, 0],
        client: { clientId: 'beispiel-etsy-keystring', exchange: 'public' },
      },
    ],
  };
}

/** The example office and the three local connections, as a user would have them, and the link to the holder. */
async function fill(session: ExtensionSession, platforms: LocalPlatforms, holder: LocalHolder) {
  await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
  await importThroughPopup(session, moreRows(Date.now()));
  const page = await session.openPopup();
  const office = await connectLocalOffice(page, platforms, 'Anna Becker');
  const reply = (await sendFromPage(page, { type: 'holder/connect', url: holder.url, memberKey: await holder.addMember('Anna Becker') })) as { ok: boolean };
  if (!reply.ok) throw new Error(`The extension did not connect to the token holder: ${JSON.stringify(reply)}`);
  await page.close();
  return office;
}

/** A new DATEV-like grant signed in through the holder from the settings page, as a user does it. */
async function signInThroughHolder(session: ExtensionSession, platforms: LocalPlatforms, lang: string) {
  const page = await session.openOptions();
  const form = 'form[aria-labelledby="holder-new"]';
  await page.waitForSelector(form);
  await page.type(`${form} input[name="label"]`, lang === 'de' ? 'Mandant 10002 Schulz Handel KG' : 'Client 10002 Schulz Trading');
  await page.click(`${form} button[type="submit"]`);
  await signInAtPlatform(session, platforms.datev.issuer, DEMO_LOGIN);
  await page.waitForSelector('section[data-holder="connected"] .action-message[data-kind="success"]', { timeout: 20_000 });
  return page;
}

async function screenshots(dir: string, platforms: LocalPlatforms, holder: LocalHolder) {
  mkdirSync(dir, { recursive: true });
  const serverKey = await holder.addServerKey('ERP');
  for (const lang of ['de', 'en']) {
    const session = await launchWithExtension({ lang, timeZone: TIME_ZONE });
    const office = await fill(session, platforms, holder);
    try {
      const settings = await signInThroughHolder(session, platforms, lang);
      await (await settings.$('section[data-holder="connected"]'))?.screenshot({ path: join(dir, `holder-${lang}.png`) });
      await settings.close();
      // The business software takes the new grant's access token from the holder, not from the browser.
      const [grant] = await holder.db.query<{ id: string }>('SELECT id FROM grants ORDER BY created_at DESC LIMIT 1');
      const { cert } = await loopbackTls();
      for (const line of await runBusinessSoftware({ holderUrl: holder.url, serverKey, grantId: grant!.id, userinfoUrl: `${platforms.datev.issuer}/me`, fetch: fetchTrusting(cert) })) console.log(line);
      const popup = await session.openPopup();
      // One real sign-in at the local PKCE platform, pressed in the popup like a user would.
      await popup.click(`li[data-connection-id="${office.connections.public.id}"] button[data-action="consent"]`);
      await signInAtPlatform(session, platforms.public.issuer, DEMO_LOGIN);
      await popup.waitForSelector(`li[data-connection-id="${office.connections.public.id}"] .connection__feedback[data-kind="success"]`);
      const file = join(dir, `popup-${lang}.png`);
      await popup.screenshot({ path: file, fullPage: true });
      const badge = await session.badge();
      console.log(`\n[${lang}] badge "${badge.text}"  popup: ${relative(process.cwd(), file)}`);
      console.log(badge.title.replace(/^/gm, '  '));
    } finally {
      await office.close();
      await session.close();
    }
  }
}

async function interactive(lang: string, platforms: LocalPlatforms, holder: LocalHolder) {
  const session = await launchWithExtension({ lang, timeZone: TIME_ZONE, headless: false });
  const office = await fill(session, platforms, holder);
  await session.openPopup();
  const badge = await session.badge();
  console.log(`\nChromium is open with Token Watch and the example office (badge "${badge.text}").`);
  console.log('Three local platforms are running on 127.0.0.1. Press "Anmelden" / "Sign in" at one of the');
  console.log(`"Local …" connections and sign in with user "${DEMO_LOGIN.login}" and password "${DEMO_LOGIN.password}" (any name works).`);
  console.log(`The company's token holder runs on ${holder.url}; the extension is connected to it as Anna Becker.`);
  console.log('In the settings, "Company token holder" signs in a new connection through it: the holder keeps the tokens.');
  console.log(`The business software's key for the holder: ${await holder.addServerKey('ERP')}`);
  console.log(`  curl -k -H "Authorization: Bearer <key>" ${holder.url}/v1/grants/<grant id>/access-token`);
  console.log('Pin the extension from the puzzle-piece menu to see its badge; close the browser to end the demo.');
  await new Promise((done) => session.browser.once('disconnected', done));
  await office.close();
  await session.close();
}

build();
const platforms = await startLocalPlatforms();
// The holder's embedded database in a folder of its own, as `npm run holder` keeps it in holder-data.
const dataDir = mkdtempSync(join(tmpdir(), 'token-watch-demo-holder-'));
const holder = await startLocalHolder({ kind: 'datev', platform: platforms.datev, dataDir });
try {
  if (values.screenshot !== undefined || !process.env.DISPLAY) {
    await screenshots(resolve(values.screenshot ?? 'demo-screenshots'), platforms, holder);
  } else {
    await interactive(values.lang ?? 'de', platforms, holder);
  }
} finally {
  await holder.close();
  rmSync(dataDir, { recursive: true, force: true });
  await Promise.all(Object.values(platforms).map((platform) => platform.close()));
}
