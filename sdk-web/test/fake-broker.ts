// A scripted MQTT broker over WebSocket that speaks raw bytes, and the transport under test connected to
// it: the refusals, timeouts and malformed input a real broker will not produce on demand. Each test file
// stops the brokers after each test (stopFakeBrokers).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { TransportError, type ConnectOptions } from '@kefu/sdk-core';
import { createWebSocketTransport } from '../src/transport/index.js';

export const CONNACK_OK = [0x20, 2, 0, 0];
export const connack = (code: number) => [0x20, 2, 0, code];
/** PUBLISH to `t` with one payload byte; QoS 1 carries packet id 7. */
export const publish = (payload: number, qos: 0 | 1 = 0) =>
  qos ? [0x32, 6, 0, 1, 0x74, 0, 7, payload] : [0x30, 4, 0, 1, 0x74, payload];

export interface FakeBroker {
  url: string;
  /** Every binary message each client sent, per connection. */
  received: Uint8Array[][];
  sockets: WebSocket[];
  stop(): Promise<void>;
}

const brokers: FakeBroker[] = [];

/** Stops every fake broker started since the last call, and restores mocks (for afterEach). */
export async function stopFakeBrokers(): Promise<void> {
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
  vi.restoreAllMocks();
}

/** A WebSocket server; `onPacket` sees each client packet (one per WebSocket message, as we send them). */
export async function fakeBroker(
  onPacket: (ws: WebSocket, type: number, bytes: Uint8Array) => void,
): Promise<FakeBroker> {
  const http = createServer();
  const wss = new WebSocketServer({ server: http });
  const broker: FakeBroker = {
    url: '',
    received: [],
    sockets: [],
    async stop() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => {
        wss.close(() => {
          resolve();
        });
      });
      await new Promise<void>((resolve) =>
        http.close(() => {
          resolve();
        }),
      );
    },
  };
  wss.on('connection', (ws) => {
    const packets: Uint8Array[] = [];
    broker.received.push(packets);
    broker.sockets.push(ws);
    ws.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data);
      packets.push(bytes);
      onPacket(ws, (bytes[0] ?? 0) >> 4, bytes);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  broker.url = `ws://127.0.0.1:${String((http.address() as AddressInfo).port)}/mqtt`;
  brokers.push(broker);
  return broker;
}

/** Answers CONNECT with `answer`; ignores everything else. */
export const answeringConnect = (answer: number[]) =>
  fakeBroker((ws, type) => {
    if (type === 1) ws.send(Uint8Array.from(answer));
  });

export const transport = createWebSocketTransport({ WebSocket });
export const options = (url: string, extra: Partial<ConnectOptions> = {}): ConnectOptions => ({
  url,
  clientId: 'fake-test',
  username: 'u',
  password: 'p',
  keepaliveS: 30,
  connectTimeoutMs: 2_000,
  ...extra,
});

export function start(url: string, extra: Partial<ConnectOptions> = {}) {
  const reasons: string[] = [];
  const messages: { topic: string; payload: number[] }[] = [];
  const connecting = transport(options(url, extra), {
    message: (topic, payload) => messages.push({ topic, payload: [...payload] }),
    close: (reason) => reasons.push(reason),
  });
  return { connecting, reasons, messages };
}

export const transportError = (kind: 'auth' | 'network', message: RegExp) => (e: unknown) =>
  e instanceof TransportError && e.kind === kind && message.test(e.message);
