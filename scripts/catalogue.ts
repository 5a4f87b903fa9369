/**
 * Writes the catalogue's words into the message catalogues, its presets into public/catalogue.json
 * (the background reads them from there) and its table into docs/platforms.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { catalogueJson, withCatalogue, withPlatformTable, type Language, type Messages } from './lib/catalogue-output';

const root = resolve(import.meta.dirname, '..');
for (const language of ['en', 'de'] satisfies Language[]) {
  const path = resolve(root, `public/_locales/${language}/messages.json`);
  const messages: Messages = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, `${JSON.stringify(withCatalogue(messages, language), null, 2)}\n`);
  console.log(`public/_locales/${language}/messages.json`);
}
writeFileSync(resolve(root, 'public/catalogue.json'), catalogueJson());
console.log('public/catalogue.json');
const docs = resolve(root, 'docs/platforms.md');
writeFileSync(docs, withPlatformTable(readFileSync(docs, 'utf8')));
console.log('docs/platforms.md');
