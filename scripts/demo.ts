/**
 * npm run demo [-- --screenshot DIR] [-- --lang de|en]
 *
 * Builds the extension, starts three local OAuth platforms (and the token broker)
 * on 127.0.0.1, loads the extension into Chromium and fills it, through the
 * extension's own messages, with an example office plus one connection at each
 * local platform. With a display it opens a browser to try it in; without one,
 * or with --screenshot, it signs in once by itself, saves the popup in German
 * and English, prints the badge and exits.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importThroughPopup, launchWithExtension, signInAtPlatform, type ExtensionSession } from './lib/chromium';
import { exampleConnections } from './lib/example-connections';
import { connectLocalOffice, startLocalPlatforms, type LocalPlatforms } from './lib/local-platforms';

const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const DEMO_LOGIN = { login: 'anna', password: 'demo' };
const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({ options: { screenshot: { type: 'string' }, lang: { type: 'string', default: 'de' } } });

function build() {
  console.log('Building the extension …');
  execFileSync(join(root, 'node_modules/.bin/wxt'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The example office and the three local connections, as a user would have them. */
async function fill(session: ExtensionSession, platforms: LocalPlatforms) {
  await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
  const page = await session.openPopup();
  const office = await connectLocalOffice(page, platforms, 'Anna Becker');
  await page.close();
  return office;
}

async function screenshots(dir: string, platforms: LocalPlatforms) {
  mkdirSync(dir, { recursive: true });
  for (const lang of ['de', 'en']) {
    const session = await launchWithExtension({ lang, timeZone: TIME_ZONE });
    const office = await fill(session, platforms);
    try {
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

async function interactive(lang: string, platforms: LocalPlatforms) {
  const session = await launchWithExtension({ lang, timeZone: TIME_ZONE, headless: false });
  const office = await fill(session, platforms);
  await session.openPopup();
  const badge = await session.badge();
  console.log(`\nChromium is open with Token Watch and the example office (badge "${badge.text}").`);
  console.log('Three local platforms are running on 127.0.0.1. Press "Anmelden" / "Sign in" at one of the');
  console.log(`"Local …" connections and sign in with user "${DEMO_LOGIN.login}" and password "${DEMO_LOGIN.password}" (any name works).`);
  console.log('Pin the extension from the puzzle-piece menu to see its badge; close the browser to end the demo.');
  await new Promise((done) => session.browser.once('disconnected', done));
  await office.close();
  await session.close();
}

build();
const platforms = await startLocalPlatforms();
try {
  if (values.screenshot !== undefined || !process.env.DISPLAY) {
    await screenshots(resolve(values.screenshot ?? 'demo-screenshots'), platforms);
  } else {
    await interactive(values.lang ?? 'de', platforms);
  }
} finally {
  await Promise.all(Object.values(platforms).map((platform) => platform.close()));
}
