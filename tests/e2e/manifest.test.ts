import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const builds = { chrome: '.output/chrome-mv3', firefox: '.output/firefox-mv3' } as const;
const manifest = (build: string) => JSON.parse(readFileSync(join(root, build, 'manifest.json'), 'utf8'));

function files(dir: string, ending: RegExp): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, ending) : ending.test(name) ? [path] : [];
  });
}

/** Each extension API the code calls, and the permission it needs (none for the others). */
const PERMISSION_OF: Record<string, string | null> = {
  alarms: 'alarms',
  identity: 'identity',
  notifications: 'notifications',
  storage: 'storage',
  action: null,
  i18n: null,
  permissions: null,
  runtime: null,
  tabs: null,
};

const byText = (a: string, b: string) => a.localeCompare(b);

describe.each(Object.entries(builds))('the %s manifest', (_, build) => {
  const built = manifest(build);

  it('asks for exactly the permissions the code uses', () => {
    const sources = files(join(root, 'utils'), /\.tsx?$/).concat(files(join(root, 'entrypoints'), /\.tsx?$/));
    const apis = new Set(sources.flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/\bbrowser\.(\w+)\b/g)].map((m) => m[1]!)));
    for (const api of apis) expect(Object.keys(PERMISSION_OF), `browser.${api} has no permission rule`).toContain(api);
    const needed = [...apis].map((api) => PERMISSION_OF[api]).filter((permission): permission is string => Boolean(permission));
    expect([...built.permissions].sort(byText)).toEqual([...new Set(needed)].sort(byText));
  });

  it('has no website access at install, only optional HTTPS hosts asked for at run time', () => {
    expect(built.host_permissions).toBeUndefined();
    expect(built.optional_host_permissions).toEqual(['https://*/*']);
    expect(built.content_scripts).toBeUndefined();
    expect(built.web_accessible_resources).toBeUndefined();
    expect(built.externally_connectable).toBeUndefined();
  });

  it('keeps the default content security policy and loads no remote code', () => {
    expect(built.content_security_policy).toBeUndefined();
    for (const file of files(join(root, build), /\.(js|html)$/)) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).not.toMatch(/<script[^>]+src=["']https?:/);
      expect(text, file).not.toMatch(/\bimport\(\s*["']https?:/);
      expect(text, file).not.toMatch(/\bnew Function\(|\beval\(/);
    }
  });

  it('contains no client secret and no development exception for plain HTTP', () => {
    const bundle = files(join(root, build), /\.js$/).map((file) => readFileSync(file, 'utf8')).join('\n');
    expect(bundle).not.toMatch(/client_secret\s*[:=]\s*["'][^"']+["']/);
    expect(built.optional_host_permissions).not.toContain('http://127.0.0.1/*');
  });

  it('turns plain HTTP to a server on this machine off in its background: no allowInsecureRequests (catalogue F7)', () => {
    const background = readFileSync(join(root, build, 'background.js'), 'utf8');
    expect(background).not.toContain('allowInsecureRequests');
    // import.meta.env.DEV, built in: false wherever the background wires it (a development build has !0 here).
    expect(background).toMatch(/allowLoopbackHttp:!1/);
    expect(background).not.toMatch(/allowLoopbackHttp:(!0|true)\b/);
  });
});
