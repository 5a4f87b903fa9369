import { render } from 'preact';
import { afterEach, beforeEach } from 'vitest';

/** A fresh element in the page for each test of the file, emptied and removed after it. */
export function pageRoot(): { readonly element: HTMLElement } {
  const root = { element: document.createElement('div') };
  beforeEach(() => {
    root.element = document.createElement('div');
    document.body.append(root.element);
  });
  afterEach(() => {
    render(null, root.element);
    root.element.remove();
  });
  return root;
}
