// The transport inside real Chromium, with the browser's own WebSocket (the default path), against
// Mosquitto: the shared contract suite drives it through a Node-side Transport that forwards every call
// into the page and every event back out.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { rollup } from 'rollup';
import ts from 'typescript';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from '@kefu/tools';
import { TransportError, type Transport, type TransportEvents } from '@kefu/sdk-core';
import { passwordMosquitto } from '../../sdk-core/test/contract-brokers.js';
import { transportContract } from '../../sdk-core/test/transport-contract.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The transport as a browser IIFE: TypeScript transpiled per file, `@kefu/sdk-core` narrowed to its client. */
async function bundleTransport(): Promise<string> {
  const bundle = await rollup({
    input: resolve(here, '../src/transport/index.ts'),
    plugins: [
      {
        name: 'typescript-sources',
        resolveId(source, importer) {
          if (source === '@kefu/sdk-core')
            return resolve(here, '../../sdk-core/src/transport/mqtt-ws/index.ts');
          if (importer && source.startsWith('.'))
            return resolve(dirname(importer), source.replace(/\.js$/, '.ts'));
          return null;
        },
        load(id) {
          const code = readFileSync(id, 'utf8');
          return ts.transpileModule(code, {
            compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.ESNext },
          }).outputText;
        },
      },
    ],
  });
  const { output } = await bundle.generate({ format: 'iife', name: 'KefuTransport' });
  await bundle.close();
  return output[0].code;
}

interface Wire {
  error?: { message: string; kind?: 'auth' | 'network' };
}
declare global {
  interface Window {
    KefuTransport: { createWebSocketTransport(): Transport };
    kefuOnMessage(id: number, topic: string, payload: number[]): void;
    kefuOnClose(id: number, reason: string): void;
    kefuConns: Map<number, Awaited<ReturnType<Transport>>>;
  }
}

let browser: Browser;
let page: Page;
const listeners = new Map<number, TransportEvents>();
let lastId = 0;

beforeAll(async () => {
  const code = await bundleTransport();
  browser = await launchChromium();
  page = await browser.newPage();
  await page.exposeFunction('kefuOnMessage', (id: number, topic: string, payload: number[]) => {
    listeners.get(id)?.message(topic, Uint8Array.from(payload));
  });
  await page.exposeFunction('kefuOnClose', (id: number, reason: string) => {
    listeners.get(id)?.close(reason);
  });
  await page.addScriptTag({ content: code });
  await page.evaluate(() => {
    window.kefuConns = new Map();
  });
});
afterAll(async () => {
  await browser.close();
});

/** Errors cross the page boundary as data; `TransportError` is rebuilt on this side. */
const settle = (wire: Wire): void => {
  if (!wire.error) return;
  throw wire.error.kind
    ? new TransportError(wire.error.message, wire.error.kind)
    : new Error(wire.error.message);
};

const inBrowser: Transport = async (options, events) => {
  const id = ++lastId;
  listeners.set(id, events);
  const { will, ...rest } = options;
  const wire = { ...rest, ...(will ? { will: { ...will, payload: [...will.payload] } } : {}) };
  settle(
    await page.evaluate(
      async ([id, { will, ...o }]): Promise<Wire> => {
        try {
          const conn = await window.KefuTransport.createWebSocketTransport()(
            { ...o, ...(will ? { will: { ...will, payload: Uint8Array.from(will.payload) } } : {}) },
            {
              message: (topic, payload) => {
                window.kefuOnMessage(id, topic, [...payload]);
              },
              close: (reason) => {
                window.kefuOnClose(id, reason);
              },
            },
          );
          window.kefuConns.set(id, conn);
          return {};
        } catch (e) {
          const err = e as Error & { kind?: 'auth' | 'network' };
          return { error: { message: err.message, ...(err.kind ? { kind: err.kind } : {}) } };
        }
      },
      [id, wire] as const,
    ),
  );
  const call = async (method: 'publish' | 'subscribe' | 'close', args: unknown[]) => {
    settle(
      await page.evaluate(
        async ([id, method, args]): Promise<Wire> => {
          const conn = window.kefuConns.get(id);
          try {
            if (method === 'publish') {
              const [topic, payload, qos] = args as [string, number[], 0 | 1];
              await conn?.publish(topic, Uint8Array.from(payload), qos);
            } else if (method === 'subscribe') {
              await conn?.subscribe(...(args as [string, 0 | 1]));
            } else {
              await conn?.close();
            }
            return {};
          } catch (e) {
            return { error: { message: (e as Error).message } };
          }
        },
        [id, method, args] as const,
      ),
    );
  };
  return {
    publish: (topic, payload, qos) => call('publish', [topic, [...payload], qos]),
    subscribe: (topic, qos) => call('subscribe', [topic, qos]),
    close: () => call('close', []),
  };
};

const start = passwordMosquitto();

transportContract('own MQTT client in Chromium (browser WebSocket) on Mosquitto', inBrowser, start);
