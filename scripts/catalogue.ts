/**
 * Writes the catalogue's words into the message catalogues, its presets into public/catalogue.json
 * (the background reads them from there) and its tables into docs/platforms.md and README.md.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { catalogueJson, withCatalogue, withPlatformTable, withReadmeTable, type Language, type Messages } from './lib/catalogue-output';

const root = resolve(import.meta.dirname, '..');
for (const language of ['en', 'de'] satisfies Language[]) {
  const path = resolve(root, `public/_locales/${language}/messages.json`);
  const messages: Messages = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, `${JSON.stringify(withCatalogue(messages, language), null, 2)}\n`);
  console.log(`public/_locales/${language}/messages.json`);
}
writeFileSync(resolve(root, 'public/catalogue.json'), catalogueJson());
console.log('public/catalogue.json');
for (const [file, withTable] of [['docs/platforms.md', withPlatformTable], ['README.md', withReadmeTable]] as const) {
  const path = resolve(root, file);
  writeFileSync(path, withTable(readFileSync(path, 'utf8')));
  console.log(file);
}
