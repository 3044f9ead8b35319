// The shipped mini-program bundle (miniprogram_dist, built by `npm run build`) in a JavaScript context
// shaped like WeChat's (DESIGN.md §2, §6): code generation from strings is off (eval and new Function
// throw, as WeChat forbids them), and there is no TextDecoder/TextEncoder, no navigator, self,
// AbortController, Buffer, process, URL or fetch — only the language's built-ins and timers. Once with
// no `window`, once under a framework's `window` stand-in (an object without the built-ins). The Protobuf
// code and the whole client (sdk-core with its MQTT client) must load and work there without adding any
// global: the client talks to the real server through the platform stand-in's real WebSocket.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import { waitFor as waitForQuickly } from '@kefu/tools/testing';
import type { KefuServer } from '../../server/src/server.js';
import { createFakePlatform } from './fake-platform.js';
import { signed, startKefu } from './fixtures.js';

/** Server round trips (image processing, voice conversion) get 30 s: the suite shares two cores. */
const waitFor = <T>(
  what: string,
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number } = {},
) => waitForQuickly(what, check, { timeoutMs: 30_000, ...options });

// Another build's folder with KEFU_MINIPROGRAM_DIST (as simulate.ts).
const DIST = process.env['KEFU_MINIPROGRAM_DIST']
  ? resolve(process.env['KEFU_MINIPROGRAM_DIST'])
  : resolve(dirname(fileURLToPath(import.meta.url)), '../miniprogram_dist');

/** Loads a CommonJS file of the bundle into the context, with relative requires only (as WeChat does). */
function loadBundle(context: vm.Context, file = join(DIST, 'index.js')): Record<string, unknown> {
  const cache = new Map<string, { exports: Record<string, unknown> }>();
  const load = (path: string): Record<string, unknown> => {
    const cached = cache.get(path);
    if (cached) return cached.exports;
    const module = { exports: {} as Record<string, unknown> };
    cache.set(path, module);
    const code = readFileSync(path, 'utf8');
    const wrapper = new vm.Script(`(function (exports, require, module) {${code}\n})`, { filename: path });
    const fn = wrapper.runInContext(context) as (
      e: unknown,
      r: (id: string) => unknown,
      m: { exports: unknown },
    ) => void;
    fn(
      module.exports,
      (id) => {
        if (!id.startsWith('.'))
          throw new Error(`the bundle requires "${id}": mini-programs resolve relative paths only`);
        return load(resolve(dirname(path), id.endsWith('.js') ? id : `${id}.js`));
      },
      module,
    );
    return module.exports;
  };
  return load(file);
}

function wechatLikeContext(extra: Record<string, unknown> = {}): vm.Context {
  return vm.createContext(
    { console, setTimeout, clearTimeout, setInterval, clearInterval, ...extra },
    { codeGeneration: { strings: false, wasm: false } },
  );
}

const run = (context: vm.Context, code: string): unknown => vm.runInContext(code, context);

interface KefuBundle {
  kefu: typeof kefu;
  orderTotalText(order: { totalFen?: unknown; totalPoints?: unknown }, locale?: string): string;
  KEFU_STICKER_PACK: { id: string; stickers: { id: string }[] };
  createClient(options: unknown): {
    start(): Promise<unknown>;
    open(request: unknown): Promise<{ id?: string | null }>;
    sendToCurrent(content: unknown): Promise<string>;
    on(event: string, fn: (m: kefu.v1.IMessage) => void): unknown;
    stop(): Promise<void>;
  };
}

describe.each([
  ['no window', {}],
  ['a framework window stand-in', { window: { location: {}, addEventListener: () => undefined } }],
])('the mini-program bundle in a WeChat-like context (%s)', (_name, extra) => {
  let server: KefuServer;
  let admin: AgentClient;
  let atAgent: kefu.v1.IMessage[];
  let context: vm.Context;
  let bundle: KefuBundle;

  beforeAll(async () => {
    ({ server, admin, atAgent } = await startKefu(`miniprogram-vm-${String(_name.length)}`));
    context = wechatLikeContext(extra);
  }, 120_000);

  afterAll(async () => {
    await admin.stop();
    await server.stop();
  });

  it('is a context without dynamic code, TextDecoder, URL or browser globals', () => {
    expect(run(context, '(() => { try { eval("1"); return "ran"; } catch (e) { return e.name; } })()')).toBe(
      'EvalError',
    );
    expect(
      run(
        context,
        '(() => { try { new Function("return 1"); return "ran"; } catch (e) { return e.name; } })()',
      ),
    ).toBe('EvalError');
    for (const name of [
      'TextDecoder',
      'TextEncoder',
      'navigator',
      'self',
      'AbortController',
      'Buffer',
      'process',
      'URL',
      'fetch',
      'Blob',
    ])
      expect(run(context, `typeof ${name}`), name).toBe('undefined');
  });

  it('loads without installing any global', () => {
    const before = run(context, 'Object.getOwnPropertyNames(globalThis).sort().join()');
    bundle = loadBundle(context) as unknown as KefuBundle;
    expect(typeof bundle.createClient).toBe('function');
    expect(run(context, 'Object.getOwnPropertyNames(globalThis).sort().join()')).toBe(before);
    // sdk-core's drawing helpers for hosts with their own UI.
    expect(bundle.orderTotalText({ totalFen: 0, totalPoints: 7200 })).toBe('合计 7200 积分');
    expect(bundle.KEFU_STICKER_PACK.stickers).toHaveLength(16);
  });

  it('encodes and decodes Protobuf byte-for-byte like Node, UTF-8 included', () => {
    const envelope = {
      id: '01JD0000000000000000000000',
      sentAtMs: 1_732_000_000_000,
      send: {
        conversationId: 'c_1',
        clientMsgId: '01JD0000000000000000000001',
        content: { text: { text: '积分商城 🎁 emoji 👋🏻 and 𝒳' } },
      },
    };
    const inVm = bundle.kefu.v1.Envelope.encode(envelope).finish();
    const inNode = kefu.v1.Envelope.encode(envelope).finish();
    expect(Buffer.from(inVm)).toEqual(Buffer.from(inNode));
    // Bytes as the context's own Uint8Array (a socket's data is created in WeChat's realm).
    const VmUint8Array = run(context, 'Uint8Array') as typeof Uint8Array;
    const decoded = bundle.kefu.v1.Envelope.decode(VmUint8Array.from(inNode));
    expect(decoded.send?.content?.text?.text).toBe('积分商城 🎁 emoji 👋🏻 and 𝒳');
    expect(decoded.sentAtMs).toBe(1_732_000_000_000);
    // Malformed bytes are an error, not a crash of the context.
    expect(() => bundle.kefu.v1.Envelope.decode(VmUint8Array.from([0x0a, 0xff, 0xff]))).toThrow();
  });

  it('runs the whole client there: connects, sends, receives', async () => {
    const wx = createFakePlatform('wx');
    const userId = `vm_${String(Date.now())}`;
    const client = bundle.createClient({
      platform: wx,
      server: server.url,
      identify: () => {
        return Promise.resolve(signed(userId));
      },
    });
    const got: kefu.v1.IMessage[] = [];
    client.on('message', (m) => got.push(m));
    await client.start();
    const state = await client.open({ channel: 'miniprogram' });
    await client.sendToCurrent({ text: { text: '在 vm 里 👍' } });
    await waitFor('the agent receives it', () =>
      atAgent.find((m) => m.conversationId === state.id && m.content?.text?.text === '在 vm 里 👍'),
    );
    await admin.sendText(state.id ?? '', '收到 ✅');
    await waitFor('the customer receives the reply', () =>
      got.find((m) => m.content?.text?.text === '收到 ✅'),
    );
    await client.stop();
  });
});
