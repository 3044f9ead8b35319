// The transport's handshake against a scripted server (fake-broker.ts): CONNACK codes, the CONNECT it
// sends, timeouts, garbage and refused options. Real brokers are in transport.aedes/mosquitto tests.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '@kefu/tools/testing';
import { createWebSocketTransport } from '../src/transport/index.js';
import {
  CONNACK_OK,
  answeringConnect,
  connack,
  fakeBroker,
  options,
  publish,
  start,
  stopFakeBrokers,
  transportError,
} from './fake-broker.js';

afterEach(stopFakeBrokers);

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
