// The package as a mini-program runs it: bundled by rollup into CommonJS (no commonjs plugin, as in
// rollup.config.mjs), then run in a V8 context where eval/new Function throw (WeChat forbids them) and
// there is no TextDecoder/TextEncoder, Buffer or require.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { rollup, type Plugin, type RollupLog } from 'rollup';
import ts from 'typescript';
import { beforeAll, describe, it, expect } from 'vitest';
import * as proto from '../src/index.js';
import { contents, envelopes, storedMessage } from './fixtures.js';

type Api = typeof proto;

const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** Compiles our TypeScript sources for rollup (type-only syntax removed; `./x.js` imports find `x.ts`). */
const typescript: Plugin = {
  name: 'typescript-sources',
  async resolveId(source, importer) {
    if (!importer?.endsWith('.ts') || !source.startsWith('.') || !source.endsWith('.js')) return null;
    const candidate = resolve(dirname(importer), `${source.slice(0, -3)}.ts`);
    return (await this.resolve(candidate, importer, { skipSelf: true })) ?? null;
  },
  transform(code, id) {
    if (!id.endsWith('.ts')) return null;
    const { outputText } = ts.transpileModule(code, {
      fileName: id,
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2020,
        verbatimModuleSyntax: true,
      },
    });
    return { code: outputText, map: null };
  },
};

let bundle = '';
const warnings: RollupLog[] = [];

beforeAll(async () => {
  const build = await rollup({ input: entry, plugins: [typescript], onwarn: (w) => warnings.push(w) });
  const { output } = await build.generate({ format: 'cjs', exports: 'named' });
  await build.close();
  const chunk = output[0];
  expect(chunk.imports).toEqual([]); // self-contained: nothing left to require()
  bundle = chunk.code;
});

interface Sandbox {
  context: vm.Context;
  api: Api;
}

/** Runs the bundle in a fresh context with these extra globals; returns the context and the exports. */
function load(globals: Record<string, unknown>): Sandbox {
  const module = { exports: {} as Record<string, unknown> };
  const context = vm.createContext(
    { ...globals, module, exports: module.exports },
    { codeGeneration: { strings: false, wasm: false } },
  );
  vm.runInContext(bundle, context, { filename: 'kefu-proto.cjs' });
  return { context, api: module.exports as unknown as Api };
}

const environments: [string, Record<string, unknown>][] = [
  ['a bare context', {}],
  [
    'WeChat mini-program globals (wx, an empty global)',
    { wx: { getSystemInfoSync: () => ({ platform: 'ios' }) }, global: {} },
  ],
  [
    'a framework window (uni-app, Taro)',
    {
      window: { navigator: { userAgent: 'Mozilla/5.0 uni-app' }, location: { href: '/pages/chat/index' } },
      document: {},
    },
  ],
];

describe('bundled, in a sandbox without eval and TextDecoder', () => {
  it('builds without warnings into code that never compiles strings', () => {
    expect(warnings.map((w) => w.message)).toEqual([]);
    expect(bundle).not.toMatch(/\beval\s*\(|new Function\s*\(|\bFunction\s*\(\s*["'`]/);
    expect(bundle).not.toMatch(/new Text(?:De|En)coder\b/);
    expect(bundle).not.toMatch(/function Long\s*\(/); // long.js is not bundled
  });

  it('the sandbox really forbids eval and new Function and has no TextDecoder, Buffer or require', () => {
    const { context } = load({});
    expect(() => {
      vm.runInContext('eval("1 + 1")', context);
    }).toThrow(/Code generation from strings disallowed/);
    expect(() => {
      vm.runInContext('new Function("return 1")', context);
    }).toThrow(/Code generation from strings disallowed/);
    expect(
      vm.runInContext(
        '[typeof TextDecoder, typeof TextEncoder, typeof Buffer, typeof require, typeof process]',
        context,
      ),
    ).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  });

  describe.each(environments)('in %s', (_name, globals) => {
    let api: Api;
    let context: vm.Context;
    beforeAll(() => {
      ({ api, context } = load(globals));
    });

    it('encodes every body kind byte-for-byte like Node, and decodes it back', () => {
      for (const kind of proto.ENVELOPE_BODY_KINDS) {
        const input = envelopes[kind];
        const bytes = api.encodeEnvelope(input);
        expect(Array.from(bytes)).toEqual(Array.from(proto.encodeEnvelope(input)));
        const decoded = api.decodeEnvelope(bytes);
        expect(api.bodyKind(decoded)).toBe(kind);
        expect(JSON.parse(JSON.stringify(decoded))).toEqual(input);
      }
    });

    it('decodes every content kind encoded by Node (text through the pure-JS UTF-8 path)', () => {
      for (const kind of proto.CONTENT_KINDS) {
        const input: proto.kefu.v1.IEnvelope = {
          id: `m-${kind}`,
          sentAtMs: 2 ** 41 + 3,
          message: storedMessage(contents[kind]),
        };
        const decoded = api.decodeEnvelope(proto.encodeEnvelope(input));
        expect(api.contentKind(decoded.message?.content)).toBe(kind);
        expect(decoded.sentAtMs).toBe(2 ** 41 + 3);
        expect(JSON.parse(JSON.stringify(decoded))).toEqual(input);
      }
    });

    it('runs entirely inside the context, and rejects bad input with ProtocolError', () => {
      const result = vm.runInContext(
        `(() => {
          const { kefu, encodeEnvelope, decodeEnvelope, ProtocolError } = module.exports;
          const text = '你好 😀 👨‍👩‍👧 ' + 'é'.repeat(300);
          const bytes = encodeEnvelope({ id: 'vm-1', sentAtMs: 1732346242123, send: { content: { text: { text } } } });
          const back = decodeEnvelope(bytes);
          let error;
          try { decodeEnvelope(Uint8Array.of(0x0f)); } catch (err) { error = err; }
          return {
            text: back.send.content.text.text === text,
            sentAtMs: back.sentAtMs,
            isUint8Array: bytes instanceof Uint8Array,
            isEnvelope: back instanceof kefu.v1.Envelope,
            errorCode: error instanceof ProtocolError ? error.code : String(error),
          };
        })()`,
        context,
      ) as unknown;
      expect(result).toEqual({
        text: true,
        sentAtMs: 1_732_346_242_123,
        isUint8Array: true,
        isEnvelope: true,
        errorCode: 'bad_request',
      });
    });
  });
});
