import { describe, expect, it } from 'vitest';
import { CATALOGUES } from '../texts';

const placeholdersIn = (message: string) => [...new Set([...message.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1]!.toLowerCase()))].sort();

describe('the German and English message catalogues', () => {
  it('have the same messages', () => {
    expect(Object.keys(CATALOGUES.de).sort()).toEqual(Object.keys(CATALOGUES.en).sort());
  });

  it.each(Object.keys(CATALOGUES.en))('%s uses the same declared placeholders in both languages', (key) => {
    for (const catalogue of [CATALOGUES.en, CATALOGUES.de]) {
      const entry = catalogue[key]!;
      expect(placeholdersIn(entry.message)).toEqual(Object.keys(entry.placeholders ?? {}).sort());
      expect(entry.message.trim()).not.toBe('');
    }
    expect(Object.keys(CATALOGUES.de[key]!.placeholders ?? {})).toEqual(Object.keys(CATALOGUES.en[key]!.placeholders ?? {}));
  });

  it('use only the characters the browsers allow in message names', () => {
    for (const key of Object.keys(CATALOGUES.en)) expect(key).toMatch(/^[A-Za-z0-9_@]+$/);
  });

  it('give every singular message its plural', () => {
    for (const key of Object.keys(CATALOGUES.en).filter((name) => name.endsWith('_one'))) {
      expect(CATALOGUES.en).toHaveProperty(key.replace(/_one$/, '_other'));
    }
  });
});
