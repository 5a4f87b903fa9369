import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'wxt';

/**
 * The public half of the key that fixes the Chrome extension id
 * (nbcciljdmbmgpmklgkcafonbdgigmaoj), so the OAuth redirect URL
 * https://<id>.chromiumapp.org/ stays the same on every machine.
 */
export const CHROME_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA1dDGkWCquYIjclv3Okxt2NUlj5fQ900vrPaE3Pdl4lC2adZ3WxPIn2aEfRXP7KUkhe1Al+oaHax2DxG+SMS0+9f6RH1NbPgoK+fyIj/AJJ0QaHD5LTnq9ajpJf9Iutq72NCylJdiJNWEdU/F4CZh9JjFXomV9WuHI88nqyFUrkq1yilZuYTrr0CAkRHmt/tKSplFtURKwqJRQcrpZdxWNxdsuXtxyrnHRENLiX3za75E/r5IBr9xKOdBhlBliMrwUMjhvFAxZVxnVf1EVaPRK/OM6+xZpKe5Kg6q+qS7EFhH51fos5sHjUrQ1wHRkiX7e6ZACYnNQQZPdOsoWZoIuQIDAQAB';

/** Fixes the Firefox add-on id, and with it the redirect URL of identity.launchWebAuthFlow. */
export const GECKO_ID = 'token-watch@tokenwatch.app';

/**
 * For the background and the pages, the platform catalogue read from catalogue.json when the
 * worker or page starts (utils/catalogue/platforms.background.ts), so that its data is no part of
 * the worker's or the popup's script (both have size budgets; the popup builds its rows' platform
 * summaries itself since it reads the stored list directly). Only utils/catalogue/presets.ts
 * imports './platforms'; unit tests and the holder import the data directly.
 */
const CATALOGUE_FROM_FILE = { find: /^\.\/platforms$/, replacement: resolve(import.meta.dirname, 'utils/catalogue/platforms.background.ts') };

/**
 * Puts each page's stylesheet into its HTML as a <style> element. An extension page's every file
 * is a request to the browser process, each taking milliseconds, and the page's module script
 * waits for a pending stylesheet before it runs: the popup starts sooner with its styles inline.
 * (A <style> element is allowed by the extension pages' content security policy; only scripts must be files.)
 */
function inlinePageStyles(): Plugin {
  return {
    name: 'token-watch:inline-page-styles',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const page of Object.values(bundle)) {
        if (page.type !== 'asset' || !page.fileName.endsWith('.html')) continue;
        page.source = String(page.source).replace(/<link rel="stylesheet"[^>]*href="\/([^"]+\.css)"[^>]*>/g, (link, fileName: string) => {
          const sheet = bundle[fileName];
          if (sheet?.type !== 'asset') return link;
          delete bundle[fileName];
          return `<style>${String(sheet.source)}</style>`;
        });
      }
    },
  };
}

export default defineConfig({
  imports: false,
  // Manifest V3 in Chrome and Firefox alike: one background model (a worker that sleeps), one `action`.
  manifestVersion: 3,
  zip: {
    // The sources package is what Mozilla's reviewers rebuild from: the project, not local output.
    excludeSources: ['out/**', 'demo-screenshots/**', 'coverage/**', '.ci/**'],
  },
  // `wxt/browser` is the browser's own promise-based API everywhere, without webextension-polyfill:
  // every call the extension makes returns a promise in Chrome's Manifest V3 and in Firefox, and the
  // popup's and the worker's scripts have size budgets (scripts/lib/sizes.ts).
  hooks: {
    'vite:build:extendConfig': (entrypoints, viteConfig) => {
      if (entrypoints.length === 0) return;
      viteConfig.resolve ??= {};
      viteConfig.resolve.alias = [
        ...(Array.isArray(viteConfig.resolve.alias) ? viteConfig.resolve.alias : Object.entries(viteConfig.resolve.alias ?? {}).map(([find, replacement]) => ({ find, replacement }))),
        CATALOGUE_FROM_FILE,
      ];
    },
  },
  // The browsers this extension runs in all know <link rel="modulepreload">: no polyfill for it in the pages' scripts.
  vite: () => ({ plugins: [preact(), inlinePageStyles()], build: { modulePreload: { polyfill: false } } }),
  manifest: ({ browser, mode }) => ({
    name: '__MSG_extName__',
    short_name: '__MSG_extShortName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['alarms', 'identity', 'notifications', 'storage'],
    // An administrator's connections, from the browser's enterprise policy (Chrome reads the schema from here).
    ...(browser === 'chrome' ? { storage: { managed_schema: 'managed_schema.json' } } : {}),
    // Each platform's hosts are asked for when the user signs in, from the click (never at install).
    optional_host_permissions: [
      'https://*/*',
      // Development builds may also reach an authorization server on this machine over plain HTTP.
      ...(mode === 'development' ? ['http://127.0.0.1/*', 'http://localhost/*'] : []),
    ],
    action: { default_title: '__MSG_extName__' },
    // The key fixes the id for development and tests; store packages leave it out (the store assigns the id).
    ...(browser === 'chrome' && !process.env.TOKEN_WATCH_STORE_PACKAGE ? { key: CHROME_PUBLIC_KEY } : {}),
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: GECKO_ID,
              // data_collection_permissions needs Firefox 140 (desktop) and 142 (Android).
              strict_min_version: '142.0',
              data_collection_permissions: { required: ['none'] },
            },
          },
        }
      : {}),
  }),
});
