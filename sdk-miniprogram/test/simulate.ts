// miniprogram-simulate under Vitest: <kefu-chat> as it ships (miniprogram_dist), loaded by WeChat's
// exparser and its official WXML compiler into a DOM.
//
// Workarounds, each needed under Vitest:
// - miniprogram-simulate renders into a DOM, but the server under test runs in the same process and needs
//   Node's own URL, fetch, Blob and FormData, which Vitest's jsdom environment replaces (the server's
//   fileURLToPath then throws). So the files run in the Node environment and only the DOM globals
//   miniprogram-simulate and its exparser use are taken from a jsdom window (installDom below).
// - miniprogram-simulate is CommonJS and loads the component with Node's require: it is loaded through
//   createRequire (its types would also pull in miniprogram-api-typings, whose global `wx`/`Component`
//   clash with the component's own declarations).
// - sdk-miniprogram's package.json says "type": "module", so Node would read miniprogram_dist/*.js as ES
//   modules. loadComponent copies miniprogram_dist where WeChat DevTools' "build npm" puts it
//   (miniprogram_npm/@kefu/sdk-miniprogram) in a temporary directory with no package.json above it, so
//   the files load as the CommonJS they are, with their relative requires.
// - jsdom has TouchEvent but no Touch constructor, which j-component uses to dispatch touches: a minimal
//   one is installed.
import { cpSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of jsdom, miniprogram-simulate and j-component the tests use (all CommonJS, no types here). */
export interface DomElement {
  readonly textContent: string | null;
}
interface DomWindow {
  readonly document: { createElement(tag: string): DomElement };
}
export interface SimNode {
  readonly dom: DomElement;
  readonly data: Record<string, unknown>;
  /** Attributes as written in WXML (built-in components keep theirs here, not on the DOM). */
  toJSON(): { attrs: { name: string; value: unknown }[] };
  readonly instance: { setData(patch: Record<string, unknown>): void };
  querySelector(selector: string): SimNode | undefined;
  querySelectorAll(selector: string): SimNode[];
  dispatchEvent(
    name: string,
    options?: { detail?: unknown; touches?: unknown[]; changedTouches?: unknown[] },
  ): void;
}
export interface SimRoot extends SimNode {
  attach(parent: DomElement): void;
  detach(): void;
  setData(patch: Record<string, unknown>): void;
  addEventListener(name: string, fn: (e: { detail: unknown }) => void): void;
  triggerPageLifeTime(name: 'show' | 'hide'): void;
}
interface Simulate {
  load(
    path: string,
    tagName: string,
    options: { compiler: 'official' | 'simulate'; rootPath: string },
  ): string;
  render(id: string, props?: Record<string, unknown>): SimRoot;
}

const require = createRequire(import.meta.url);
/** The build under test: miniprogram_dist, or another build's folder (KEFU_MINIPROGRAM_DIST). */
export const dist = process.env['KEFU_MINIPROGRAM_DIST']
  ? resolve(process.env['KEFU_MINIPROGRAM_DIST'])
  : fileURLToPath(new URL('../miniprogram_dist', import.meta.url));

/** The DOM globals miniprogram-simulate (j-component, exparser) reads; Node's own web APIs stay. */
function installDom(): DomWindow {
  const { JSDOM } = require('jsdom') as {
    JSDOM: new (html: string, options: object) => { window: DomWindow };
  };
  const { window } = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    pretendToBeVisual: true,
  });
  const w = window as unknown as Record<string, unknown>;
  w['Touch'] = class Touch {
    readonly identifier: unknown;
    constructor(init: { identifier?: unknown }) {
      this.identifier = init.identifier;
      Object.assign(this, init);
    }
  };
  const g = globalThis as unknown as Record<string, unknown>;
  g['window'] = window;
  for (const name of [
    'document',
    'Node',
    'Element',
    'HTMLElement',
    'Image',
    'Event',
    'CustomEvent',
    'TouchEvent',
    'Touch',
    'getComputedStyle',
    'requestAnimationFrame',
    'cancelAnimationFrame',
  ]) {
    const v = w[name];
    // Functions called unqualified (getComputedStyle…) need the window as `this`; classes do not.
    g[name] = typeof v === 'function' && !/^[A-Z]/.test(name) ? (v as () => unknown).bind(window) : v;
  }
  return window;
}

/** An attribute as written in WXML (built-in components keep theirs in the virtual tree, not the DOM). */
export function attr(node: SimNode | undefined, name: string): string {
  const v = node?.toJSON().attrs.find((a) => a.name === name)?.value;
  return typeof v === 'string' ? v : '';
}

/** A DOM parent and the component's renderer, with the build copied into `work` (see above). */
export function loadComponent(work: string): {
  parent(): DomElement;
  render(props: Record<string, unknown>): SimRoot;
} {
  const root = join(work, 'miniprogram_npm/@kefu/sdk-miniprogram');
  cpSync(dist, root, { recursive: true });
  const dom = installDom();
  const sim = require('miniprogram-simulate') as Simulate;
  const componentId = sim.load(join(root, 'kefu-chat/index'), 'kefu-chat', {
    compiler: 'official',
    rootPath: root,
  });
  return {
    parent: () => dom.document.createElement('parent-wrapper'),
    render: (props) => sim.render(componentId, props),
  };
}
