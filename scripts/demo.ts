/**
 * npm run demo [-- --screenshot DIR] [-- --lang de|en]
 *
 * Builds the extension, loads it into Chromium and puts the example office's
 * connections in through the extension's own import message. With a display it
 * opens a browser window to try the extension in; without one, or with
 * --screenshot, it saves the popup in German and English and prints the badge.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { importThroughPopup, launchWithExtension } from './lib/chromium';
import { exampleConnections } from './lib/example-connections';

const TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    screenshot: { type: 'string' },
    lang: { type: 'string', default: 'de' },
  },
});

function build() {
  console.log('Building the extension …');
  execFileSync(join(root, 'node_modules/.bin/wxt'), ['build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function screenshots(dir: string) {
  mkdirSync(dir, { recursive: true });
  for (const lang of ['de', 'en']) {
    const session = await launchWithExtension({ lang, timeZone: TIME_ZONE });
    try {
      await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
      const popup = await session.openPopup();
      const file = join(dir, `popup-${lang}.png`);
      await popup.screenshot({ path: file, fullPage: true });
      const badge = await session.badge();
      console.log(`\n[${lang}] badge "${badge.text}"  popup: ${relative(process.cwd(), file)}`);
      console.log(badge.title.replace(/^/gm, '  '));
    } finally {
      await session.close();
    }
  }
}

async function interactive(lang: string) {
  const session = await launchWithExtension({ lang, timeZone: TIME_ZONE, headless: false });
  await importThroughPopup(session, exampleConnections(Date.now(), TIME_ZONE));
  await session.openPopup();
  const badge = await session.badge();
  console.log(`\nChromium is open with Token Watch and the example connections (badge "${badge.text}").`);
  console.log('Pin the extension from the puzzle-piece menu to see its badge; close the browser to end the demo.');
  await new Promise((done) => session.browser.once('disconnected', done));
  await session.close();
}

build();
if (values.screenshot !== undefined || !process.env.DISPLAY) {
  await screenshots(resolve(values.screenshot ?? 'demo-screenshots'));
} else {
  await interactive(values.lang ?? 'de');
}
