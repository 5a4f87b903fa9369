import { IDBFactory } from 'fake-indexeddb';
import { beforeEach } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

beforeEach(() => {
  fakeBrowser.reset();
  // A fresh, empty IndexedDB for every test.
  globalThis.indexedDB = new IDBFactory();
});
