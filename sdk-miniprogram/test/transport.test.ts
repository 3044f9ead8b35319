// The socket the mini-program transport runs over: MiniProgramSocket, a WebSocket-shaped object over the
// platform's SocketTask. The transport's contract, in all three call styles on both brokers, is
// transport.contract.test.ts. The platform is the documented-contract stand-in of fake-platform.ts with
// real WebSockets.
import { describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { passwordAedes } from '../../sdk-core/test/contract-brokers.js';
import { MiniProgramSocket } from '../src/socket.js';
import { createFakePlatform } from './fake-platform.js';

describe('mini-program socket', () => {
  it('keeps its state per instance: two sockets, one closed, the other still carries data', async () => {
    const broker = await passwordAedes();
    try {
      const wx = createFakePlatform('wx');
      const a = new MiniProgramSocket(wx, broker.url, ['mqtt']);
      const b = new MiniProgramSocket(wx, broker.url, ['mqtt']);
      const opened: string[] = [];
      const closed: string[] = [];
      a.onopen = () => opened.push('a');
      b.onopen = () => opened.push('b');
      a.onclose = () => closed.push('a');
      b.onclose = () => closed.push('b');
      await waitFor('both open', () => opened.length === 2);
      a.close();
      await waitFor('a closed', () => closed.includes('a'));
      expect(closed).toEqual(['a']);
      expect(b.readyState).toBe(MiniProgramSocket.OPEN);
      // b still works: an MQTT CONNECT gets a CONNACK (0x20) back.
      const got: ArrayBuffer[] = [];
      b.onmessage = (e) => got.push((e as { data: ArrayBuffer }).data);
      const id = 'per-instance';
      const user = broker.username;
      const pass = broker.password;
      const body = [
        0,
        4,
        ...Buffer.from('MQTT'),
        4,
        0xc2,
        0,
        30,
        0,
        id.length,
        ...Buffer.from(id),
        0,
        user.length,
        ...Buffer.from(user),
        0,
        pass.length,
        ...Buffer.from(pass),
      ];
      b.send(Uint8Array.from([0x10, body.length, ...body]));
      await waitFor('CONNACK', () => got.length > 0);
      expect(got[0]).toBeInstanceOf(ArrayBuffer);
      expect(new Uint8Array(got[0] as ArrayBuffer)[0]).toBe(0x20);
      b.close();
    } finally {
      await broker.stop();
    }
  });

  it('closes the connection on a text frame (MQTT over WebSocket is binary only)', async () => {
    const listeners: Record<string, (r: never) => void> = {};
    const closed: { code?: number }[] = [];
    const task = {
      send: () => undefined,
      close: (o: { code?: number }) => closed.push(o),
      onOpen: (fn: (r: never) => void) => (listeners['open'] = fn),
      onClose: (fn: (r: never) => void) => (listeners['close'] = fn),
      onError: (fn: (r: never) => void) => (listeners['error'] = fn),
      onMessage: (fn: (r: never) => void) => (listeners['message'] = fn),
    };
    const wx = { ...createFakePlatform('wx'), connectSocket: () => task };
    const s = new MiniProgramSocket(wx, 'ws://127.0.0.1:1/mqtt', ['mqtt']);
    const events: string[] = [];
    s.onmessage = () => events.push('message');
    s.onerror = () => events.push('error');
    s.onclose = () => events.push('close');
    await waitFor('task attached', () => listeners['open']);
    listeners['open']?.({} as never);
    listeners['message']?.({ data: 'not mqtt' } as never);
    expect(events).toEqual(['error', 'close']);
    expect(closed[0]?.code).toBe(1003);
    expect(s.readyState).toBe(MiniProgramSocket.CLOSED);
  });

  it('reports a refused connection as error then close, once', async () => {
    const wx = createFakePlatform('taro');
    const s = new MiniProgramSocket(wx, 'ws://127.0.0.1:1/mqtt', ['mqtt']);
    const events: string[] = [];
    s.onerror = () => events.push('error');
    s.onclose = () => events.push('close');
    await waitFor('closed', () => events.includes('close'));
    expect(events.filter((e) => e === 'close')).toHaveLength(1);
    expect(() => {
      s.send(Uint8Array.from([1]));
    }).toThrow(/not open/);
  });

  it('closes a socket closed before the platform handed over its task', async () => {
    const broker = await passwordAedes();
    try {
      const wx = createFakePlatform('taro');
      const s = new MiniProgramSocket(wx, broker.url, ['mqtt']);
      let opened = false;
      let closed = false;
      s.onopen = () => (opened = true);
      s.onclose = () => (closed = true);
      s.close();
      await waitFor('closed', () => closed);
      expect(opened).toBe(false);
      await waitFor('the real socket closed', () => wx.sockets[0]?.readyState === 3);
    } finally {
      await broker.stop();
    }
  });
});
