// The connected transport against a scripted server (fake-broker.ts): packets split and coalesced,
// PUBACKs, malformed input, keepalive, argument checks, throwing listeners and close.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '@kefu/tools/testing';
import {
  CONNACK_OK,
  answeringConnect,
  fakeBroker,
  options,
  publish,
  start,
  stopFakeBrokers,
  transport,
} from './fake-broker.js';

afterEach(stopFakeBrokers);

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
