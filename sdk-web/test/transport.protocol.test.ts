// The transport against a scripted server that speaks raw bytes: the refusals, timeouts and malformed
// input a real broker will not produce on demand. Real brokers are in transport.aedes/mosquitto tests.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { waitFor } from '@kefu/tools/testing';
import { TransportError, type ConnectOptions } from '@kefu/sdk-core';
import { createWebSocketTransport } from '../src/transport/index.js';

const CONNACK_OK = [0x20, 2, 0, 0];
const connack = (code: number) => [0x20, 2, 0, code];
/** PUBLISH to `t` with one payload byte; QoS 1 carries packet id 7. */
const publish = (payload: number, qos: 0 | 1 = 0) =>
  qos ? [0x32, 6, 0, 1, 0x74, 0, 7, payload] : [0x30, 4, 0, 1, 0x74, payload];

interface FakeBroker {
  url: string;
  /** Every binary message each client sent, per connection. */
  received: Uint8Array[][];
  sockets: WebSocket[];
  stop(): Promise<void>;
}

const brokers: FakeBroker[] = [];
afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.stop()));
  vi.restoreAllMocks();
});

/** A WebSocket server; `onPacket` sees each client packet (one per WebSocket message, as we send them). */
async function fakeBroker(
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
const answeringConnect = (answer: number[]) =>
  fakeBroker((ws, type) => {
    if (type === 1) ws.send(Uint8Array.from(answer));
  });

const transport = createWebSocketTransport({ WebSocket });
const options = (url: string, extra: Partial<ConnectOptions> = {}): ConnectOptions => ({
  url,
  clientId: 'fake-test',
  username: 'u',
  password: 'p',
  keepaliveS: 30,
  connectTimeoutMs: 2_000,
  ...extra,
});

function start(url: string, extra: Partial<ConnectOptions> = {}) {
  const reasons: string[] = [];
  const messages: { topic: string; payload: number[] }[] = [];
  const connecting = transport(options(url, extra), {
    message: (topic, payload) => messages.push({ topic, payload: [...payload] }),
    close: (reason) => reasons.push(reason),
  });
  return { connecting, reasons, messages };
}

const transportError = (kind: 'auth' | 'network', message: RegExp) => (e: unknown) =>
  e instanceof TransportError && e.kind === kind && message.test(e.message);

describe('createWebSocketTransport: connecting', () => {
  it.each([
    [4, 'auth', /bad user name or password/],
    [5, 'auth', /not authorized/],
    [1, 'network', /unacceptable protocol version/],
    [2, 'network', /client identifier rejected/],
    [3, 'network', /server unavailable/],
    [42, 'network', /unknown return code 42/],
  ] as const)('maps CONNACK return code %i to a %s error', async (code, kind, message) => {
    const broker = await answeringConnect(connack(code));
    await expect(start(broker.url).connecting).rejects.toSatisfy(transportError(kind, message));
  });

  it('sends a 3.1.1 CONNECT with clean session, credentials, keepalive and the will', async () => {
    const broker = await answeringConnect(CONNACK_OK);
    const will = { topic: 'w/t', payload: Uint8Array.of(9, 8), qos: 1 as const };
    const conn = await start(broker.url, { keepaliveS: 300, will }).connecting;
    const connect = broker.received[0]?.[0];
    expect([...(connect ?? [])]).toEqual([
      0x10,
      36,
      ...[0, 4, 0x4d, 0x51, 0x54, 0x54, 4],
      // flags: user name, password, will QoS 1, will, clean session; keepalive 300
      0b11001110,
      1,
      44,
      ...[0, 9, ...new TextEncoder().encode('fake-test')],
      ...[0, 3, 0x77, 0x2f, 0x74, 0, 2, 9, 8],
      ...[0, 1, 0x75, 0, 1, 0x70],
    ]);
    await conn.close();
  });

  it('fails with a network error when no CONNACK arrives within connectTimeoutMs', async () => {
    const broker = await fakeBroker(() => undefined);
    const started = Date.now();
    await expect(start(broker.url, { connectTimeoutMs: 300 }).connecting).rejects.toSatisfy(
      transportError('network', /no CONNACK within 300 ms/),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    await waitFor('socket closed by the client', () => broker.sockets[0]?.readyState === WebSocket.CLOSED);
  });

  it('fails with a network error when the server answers CONNECT with garbage', async () => {
    const broker = await answeringConnect([0x00, 0x00]);
    await expect(start(broker.url).connecting).rejects.toSatisfy(
      transportError('network', /protocol error: bad flags|protocol error: unexpected packet type 0/),
    );
  });

  it('fails with a network error when the server sends something else before CONNACK', async () => {
    const broker = await answeringConnect(publish(1));
    await expect(start(broker.url).connecting).rejects.toSatisfy(
      transportError('network', /PUBLISH before CONNACK/),
    );
  });

  it('fails with a network error when the server closes the WebSocket during the handshake', async () => {
    const broker = await fakeBroker((ws) => {
      ws.close(4000, 'go away');
    });
    await expect(start(broker.url).connecting).rejects.toSatisfy(
      transportError('network', /WebSocket close 4000: go away/),
    );
  });

  it.each([
    [{ url: 'http://127.0.0.1:1/mqtt' }, TypeError, /must start with ws:\/\/ or wss:\/\//],
    [{ url: 'not a url' }, TypeError, /is not a URL/],
    [{ clientId: '' }, RangeError, /clientId must not be empty/],
    [{ clientId: 'a\u0000b' }, RangeError, /clientId must not contain U\+0000/],
    [{ username: 42 as unknown as string }, TypeError, /username must be a string/],
    [{ password: 'x'.repeat(70_000) }, RangeError, /password is longer than 65,535 bytes/],
    [{ keepaliveS: -1 }, RangeError, /keepaliveS/],
    [{ keepaliveS: 1.5 }, RangeError, /keepaliveS/],
    [{ connectTimeoutMs: 0 }, RangeError, /connectTimeoutMs/],
    [{ connectTimeoutMs: Number.NaN }, RangeError, /connectTimeoutMs/],
    [{ will: { topic: 'a/+', payload: Uint8Array.of(1), qos: 1 } }, RangeError, /must not contain wildcards/],
    [{ will: { topic: 'a', payload: 'x' as unknown as Uint8Array, qos: 1 } }, TypeError, /payload must be/],
    [{ will: { topic: 'a', payload: Uint8Array.of(1), qos: 2 as 1 } }, RangeError, /QoS must be 0 or 1/],
  ] as const)('refuses bad options %o before opening a socket', async (extra, type, message) => {
    const broker = await answeringConnect(CONNACK_OK);
    const attempt = start(broker.url, extra).connecting;
    await expect(attempt).rejects.toThrow(type);
    await expect(attempt).rejects.toThrow(message);
    await new Promise((r) => setTimeout(r, 50));
    expect(broker.sockets).toHaveLength(0);
  });

  it('explains how to fix a missing WebSocket (Node 20 has no global one)', async () => {
    expect(typeof (globalThis as { WebSocket?: unknown }).WebSocket).toBe('undefined');
    await expect(
      createWebSocketTransport()(options('ws://127.0.0.1:9/mqtt'), { message: vi.fn(), close: vi.fn() }),
    ).rejects.toThrow(/no WebSocket in this environment: pass one to createWebSocketTransport/);
  });
});

describe('createWebSocketTransport: connected', () => {
  it('reassembles packets split across WebSocket messages and splits several in one message', async () => {
    const broker = await fakeBroker((ws, type) => {
      if (type !== 1) return;
      // CONNACK one byte per message, then three PUBLISHes in one message, the last one cut in two.
      for (const byte of CONNACK_OK) ws.send(Uint8Array.of(byte));
      const burst = [...publish(1), ...publish(2), ...publish(3)];
      ws.send(Uint8Array.from(burst.slice(0, 15)));
      ws.send(Uint8Array.from(burst.slice(15)));
    });
    const { connecting, messages } = start(broker.url);
    const conn = await connecting;
    await waitFor('three messages', () => messages.length === 3);
    expect(messages).toEqual([1, 2, 3].map((p) => ({ topic: 't', payload: [p] })));
    await conn.close();
  });

  it('acknowledges an inbound QoS 1 PUBLISH with a PUBACK for its packet id', async () => {
    const broker = await fakeBroker((ws, type) => {
      if (type === 1) ws.send(Uint8Array.from([...CONNACK_OK, ...publish(5, 1)]));
    });
    const { connecting, messages } = start(broker.url);
    const conn = await connecting;
    await waitFor('PUBACK', () => broker.received[0]?.find((p) => p[0] === 0x40));
    expect([...(broker.received[0]?.find((p) => p[0] === 0x40) ?? [])]).toEqual([0x40, 2, 0, 7]);
    expect(messages).toEqual([{ topic: 't', payload: [5] }]);
    await conn.close();
  });

  it.each([
    ['a reserved packet type', [0x00, 0x00], /unexpected packet type 0/],
    ['a malformed remaining length', [0x30, 0xff, 0xff, 0xff, 0xff, 0x01], /malformed remaining length/],
    ['a packet over the size limit', [0x30, 0xff, 0xff, 0xff, 0x7f], /exceeds 1048576/],
    ['a topic that is not UTF-8', [0x30, 4, 0, 1, 0xff, 1], /not UTF-8/],
    ['a PUBLISH shorter than its topic', [0x30, 3, 0, 9, 0x74], /truncated PUBLISH/],
    ['a QoS 2 PUBLISH', [0x34, 6, 0, 1, 0x74, 0, 7, 1], /unexpected PUBLISH QoS 2/],
    ['packet identifier 0', [0x40, 2, 0, 0], /packet identifier 0/],
    ['a second CONNACK', CONNACK_OK, /second CONNACK/],
    ['a text frame', 'hello', /text WebSocket frame/],
  ] as const)('closes with a reason on %s, without throwing', async (_what, garbage, message) => {
    const broker = await fakeBroker((ws, type) => {
      if (type === 1) ws.send(Uint8Array.from(CONNACK_OK));
      // The garbage answers our (never acknowledged) QoS 1 publish.
      if (type === 3) ws.send(typeof garbage === 'string' ? garbage : Uint8Array.from(garbage));
    });
    const { connecting, reasons } = start(broker.url);
    const conn = await connecting;
    const pending = conn.publish('t', Uint8Array.of(1), 1);
    await expect(pending).rejects.toThrow(message);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^protocol error: /);
    expect(reasons[0]).toMatch(message);
    await waitFor('socket closed by the client', () => broker.sockets[0]?.readyState === WebSocket.CLOSED);
    await expect(conn.publish('t', Uint8Array.of(1), 0)).rejects.toThrow('connection closed');
  });

  it('closes with "keepalive timeout" when PINGREQs go unanswered', async () => {
    const broker = await answeringConnect(CONNACK_OK);
    const { connecting, reasons } = start(broker.url, { keepaliveS: 1 });
    await connecting;
    await waitFor('keepalive timeout', () => reasons.length > 0, { timeoutMs: 3_500 });
    expect(reasons).toEqual(['keepalive timeout: no answer from the broker']);
    expect(broker.received[0]?.filter((p) => p[0] === 0xc0)).toHaveLength(1);
  });

  it('refuses bad publish and subscribe arguments without sending anything', async () => {
    const broker = await answeringConnect(CONNACK_OK);
    const { connecting, reasons } = start(broker.url);
    const conn = await connecting;
    const bytes = Uint8Array.of(1);
    await expect(conn.publish('', bytes, 1)).rejects.toThrow(/topic must not be empty/);
    await expect(conn.publish('a/#', bytes, 1)).rejects.toThrow(/must not contain wildcards/);
    await expect(conn.publish(7 as unknown as string, bytes, 1)).rejects.toThrow(TypeError);
    await expect(conn.publish('a', 'text' as unknown as Uint8Array, 1)).rejects.toThrow(
      /payload must be a Uint8Array/,
    );
    await expect(conn.publish('a', bytes, 2 as 1)).rejects.toThrow(/QoS must be 0 or 1/);
    await expect(conn.subscribe('a/#/b', 1)).rejects.toThrow(/misuses a wildcard/);
    await expect(conn.subscribe('a/b+', 1)).rejects.toThrow(/misuses a wildcard/);
    await expect(conn.subscribe('', 1)).rejects.toThrow(/must not be empty/);
    await expect(conn.subscribe('a', 2 as 1)).rejects.toThrow(/QoS must be 0 or 1/);
    await new Promise((r) => setTimeout(r, 50));
    expect(broker.received[0]).toHaveLength(1); // CONNECT only
    expect(reasons).toEqual([]);
    await conn.close();
  });

  it('keeps the connection when a listener throws, and logs instead of throwing into the page', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broker = await fakeBroker((ws, type) => {
      if (type === 1) ws.send(Uint8Array.from([...CONNACK_OK, ...publish(1), ...publish(2)]));
    });
    const seen: number[] = [];
    const conn = await transport(options(broker.url), {
      message: (_t, p) => {
        seen.push(p[0] ?? -1);
        if (p[0] === 1) throw new Error('listener bug');
      },
      close: () => undefined,
    });
    await waitFor('both messages', () => seen.length === 2);
    expect(errors).toHaveBeenCalledWith('[kefu] transport listener failed', expect.any(Error));
    await conn.publish('t', Uint8Array.of(3), 0);
    await conn.close();
  });

  it('close() sends DISCONNECT, reports the close once, and resolves', async () => {
    const broker = await answeringConnect(CONNACK_OK);
    const { connecting, reasons } = start(broker.url);
    const conn = await connecting;
    await conn.close();
    await conn.close();
    await waitFor('DISCONNECT', () => broker.received[0]?.find((p) => p[0] === 0xe0));
    expect(reasons).toEqual(['closed by the client']);
  });
});
