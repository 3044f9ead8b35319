// <kefu-chat> as it ships (miniprogram_dist, built by `npm run build`), rendered by miniprogram-simulate
// (WeChat's exparser and its official WXML compiler) with the global `wx` a stand-in whose network is
// real (fake-platform.ts, fake-component-platform.ts), against the real server and an agent client. Each
// component test file starts one environment (its own server and database).
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
//   modules. The harness copies miniprogram_dist where WeChat DevTools' "build npm" puts it
//   (miniprogram_npm/@kefu/sdk-miniprogram) in a temporary directory with no package.json above it, so
//   the files load as the CommonJS they are, with their relative requires.
// - jsdom has TouchEvent but no Touch constructor, which j-component uses to dispatch touches: a minimal
//   one is installed.
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import { waitFor as waitForQuickly } from '@kefu/tools/testing';
import type { KefuServer } from '../../server/src/server.js';
import { createComponentPlatform, type ComponentPlatform } from './fake-component-platform.js';
import { mediaFiles, startKefu } from './fixtures.js';

/** Server round trips (image processing, voice conversion) get 30 s: the suite shares two cores. */
export const waitFor = <T>(
  what: string,
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
) => waitForQuickly(what, check, { timeoutMs: 30_000, ...options });

/** The parts of jsdom, miniprogram-simulate and j-component the tests use (all CommonJS, no types here). */
interface DomElement {
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

export interface Mounted {
  comp: SimRoot;
  wx: ComponentPlatform;
  events: { name: string; detail: unknown }[];
  patches: Record<string, unknown>[];
  text(selector?: string): string;
  all(selector: string): string[];
  tap(selector: string, index?: number): void;
  /** A long press (WeChat's `longpress`, after 350 ms of touch) on the selector's node. */
  press(selector: string, index?: number): void;
  input(selector: string, value: string): void;
  event<T = unknown>(name: string): T[];
}

const EVENTS = ['navigate', 'message', 'queue', 'assigned', 'unread', 'error'];

/** An attribute as written in WXML (built-in components keep theirs in the virtual tree, not the DOM). */
export function attr(node: SimNode | undefined, name: string): string {
  const v = node?.toJSON().attrs.find((a) => a.name === name)?.value;
  return typeof v === 'string' ? v : '';
}

export interface ComponentEnv {
  server: KefuServer;
  /** The seeded admin, online as an agent; a test may replace it (restart the agent). */
  admin: AgentClient;
  atAgent: kefu.v1.IMessage[];
  /** A temporary folder for files the tests make; media as WeChat's pickers and recorder produce them. */
  work: string;
  png: string;
  aac: string;
  /** Conversations opened (closed at the end). */
  conversations: string[];
  mount(props: Record<string, unknown>, wx?: ComponentPlatform): Mounted;
  agentGot(what: string, pick: (m: kefu.v1.IMessage) => boolean): Promise<kefu.v1.IMessage>;
  /** The conversation a message of this customer reached the agent in. */
  conversationOf(userUid: string): Promise<string>;
  /** The composer is there. */
  ready(m: Mounted): Promise<unknown>;
  shows(m: Mounted, text: string, selector?: string): Promise<unknown>;
  /** Types and sends a text from the composer. */
  say(m: Mounted, text: string): Promise<void>;
  /** Detaches every component mounted so far (after each test). */
  unmountAll(): void;
  stop(): Promise<void>;
}

/** Loads the built component, starts the real server (database `label`) and the agent. */
export async function startComponentEnv(
  label: string,
  serverEnv: Record<string, string> = {},
): Promise<ComponentEnv> {
  if (!existsSync(join(dist, 'kefu-chat/index.js'))) throw new Error('run `npm run build` first');
  const work = mkdtempSync(join(tmpdir(), 'kefu-component-'));
  const root = join(work, 'miniprogram_npm/@kefu/sdk-miniprogram');
  cpSync(dist, root, { recursive: true });
  const dom = installDom();
  const sim = require('miniprogram-simulate') as Simulate;
  const componentId = sim.load(join(root, 'kefu-chat/index'), 'kefu-chat', {
    compiler: 'official',
    rootPath: root,
  });
  const kefu = await startKefu(label, serverEnv);
  const media = await mediaFiles(work);
  const mounted: Mounted[] = [];

  const env: ComponentEnv = {
    server: kefu.server,
    admin: kefu.admin,
    atAgent: kefu.atAgent,
    work,
    ...media,
    conversations: [],
    mount(props, wx = createComponentPlatform()) {
      (globalThis as { wx?: unknown }).wx = wx;
      const comp = sim.render(componentId, props);
      const events: Mounted['events'] = [];
      for (const name of EVENTS)
        comp.addEventListener(name, (e) => {
          events.push({ name, detail: e.detail });
        });
      // Every setData the component makes (payload sizes are part of the contract).
      const patches: Record<string, unknown>[] = [];
      const instance = comp.instance;
      const setData = instance.setData.bind(instance);
      instance.setData = (patch) => {
        patches.push(patch);
        setData(patch);
      };
      comp.attach(dom.document.createElement('parent-wrapper'));
      const node = (selector: string, index = 0): SimNode => {
        const found = comp.querySelectorAll(selector)[index];
        if (!found) throw new Error(`no ${selector}[${String(index)}] in ${comp.dom.textContent}`);
        return found;
      };
      const m: Mounted = {
        comp,
        wx,
        events,
        patches,
        text: (selector) =>
          selector
            ? comp
                .querySelectorAll(selector)
                .map((n) => n.dom.textContent)
                .join('\n')
            : (comp.dom.textContent ?? ''),
        all: (selector) => comp.querySelectorAll(selector).map((n) => n.dom.textContent ?? ''),
        tap: (selector, index = 0) => {
          node(selector, index).dispatchEvent('tap');
        },
        press: (selector, index = 0) => {
          node(selector, index).dispatchEvent('longpress');
        },
        input: (selector, value) => {
          node(selector).dispatchEvent('input', { detail: { value } });
        },
        event: <T>(name: string) => events.filter((e) => e.name === name).map((e) => e.detail as T),
      };
      mounted.push(m);
      return m;
    },
    agentGot: (what, pick) =>
      waitFor(`agent receives ${what}`, () => env.atAgent.find(pick), { timeoutMs: 20_000 }),
    async conversationOf(userUid) {
      const first = await env.agentGot(`a message of ${userUid}`, (x) => x.sender?.uid === userUid);
      const id = first.conversationId ?? '';
      env.conversations.push(id);
      return id;
    },
    ready: (m) => waitFor('the composer', () => (m.all('.kc-bar').length ? true : undefined)),
    shows: (m, text, selector) =>
      waitFor(`"${text}" on screen`, () => (m.text(selector).includes(text) ? true : undefined), {
        timeoutMs: 20_000,
      }),
    async say(m, text) {
      m.input('.kc-input', text);
      await waitFor('the send button', () => (m.all('.kc-send').length ? true : undefined));
      m.tap('.kc-send');
      await waitFor('the input cleared', () => (m.comp.data['text'] === '' ? true : undefined));
    },
    unmountAll() {
      for (const m of mounted.splice(0)) m.comp.detach();
    },
    async stop() {
      env.unmountAll();
      if (env.admin.status === 'online')
        for (const id of env.conversations) await env.admin.close(id, 'test over').catch(() => undefined);
      await env.admin.stop();
      await env.server.stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
  return env;
}

/**
 * The environment for one test file: started before its tests, components detached after each test
 * (unless `keepMounted`: one customer throughout), stopped after the file. Read it inside tests only.
 */
export function useComponentEnv(
  label: string,
  serverEnv: Record<string, string> = {},
  options: { keepMounted?: boolean } = {},
): ComponentEnv {
  let current: ComponentEnv | undefined;
  beforeAll(async () => {
    current = await startComponentEnv(label, serverEnv);
  }, 120_000);
  if (!options.keepMounted)
    afterEach(() => {
      current?.unmountAll();
    });
  afterAll(async () => {
    await current?.stop();
  });
  const started = (): ComponentEnv => {
    if (!current) throw new Error('the component environment starts in beforeAll');
    return current;
  };
  return new Proxy({} as ComponentEnv, {
    get: (_target, key) => Reflect.get(started(), key) as unknown,
    set: (_target, key, value) => Reflect.set(started(), key, value),
  });
}
