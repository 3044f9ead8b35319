// <kefu-chat> as it ships (miniprogram_dist, built by `npm run build`), rendered by miniprogram-simulate
// (WeChat's exparser and its official WXML compiler) with the global `wx` a stand-in whose network is
// real (fake-platform.ts, fake-component-platform.ts), against the real server and an agent client. Each
// component test file starts one environment (its own server and database).
//
// How the build is loaded and rendered under Vitest, and why: simulate.ts.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import { waitFor as waitForQuickly } from '@kefu/tools/testing';
import type { KefuServer } from '../../server/src/server.js';
import { createComponentPlatform, type ComponentPlatform } from './fake-component-platform.js';
import { mediaFiles, startKefu } from './fixtures.js';
import { dist, loadComponent, type SimNode, type SimRoot } from './simulate.js';

export { attr, dist, type SimNode, type SimRoot } from './simulate.js';

/** Server round trips (image processing, voice conversion) get 30 s: the suite shares two cores. */
export const waitFor = <T>(
  what: string,
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
) => waitForQuickly(what, check, { timeoutMs: 30_000, ...options });

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
  const component = loadComponent(work);
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
      const comp = component.render(props);
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
      comp.attach(component.parent());
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
