import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { waitFor } from '@kefu/tools/testing';
import type { ConnectOptions, TransportEvents } from '@kefu/sdk-core';
import { createWebSocketTransport } from '../src/transport/index.js';
import { encodeConnect } from '../../sdk-core/src/transport/mqtt-ws/packets.js';
import { serveAedesOverWebSocket } from '../../sdk-core/test/contract-brokers.js';
import { transportContract } from '../../sdk-core/test/transport-contract.js';

const USER = 'contract-user';
const PASS = 'contract-pass';

/**
 * Aedes over WebSocket with username/password authentication, as in sdk-core's contract test, plus the
 * hooks the tests below need: subscriptions to `forbidden/#` are refused (SUBACK 0x80), publishes to
 * `held/#` are never authorized (so never acknowledged), and PINGREQs are counted.
 */
async function startAedes() {
  const held: (() => void)[] = [];
  const aedes = await Aedes.createBroker({
    authenticate: (_client, username, password, done) => {
      const ok = username === USER && password?.toString() === PASS;
      done(ok ? null : Object.assign(new Error('bad credentials'), { returnCode: 4 }), ok);
    },
    authorizeSubscribe: (_client, sub, done) => {
      done(null, sub.topic.startsWith('forbidden/') ? null : sub);
    },
    authorizePublish: (_client, packet, done) => {
      if (packet.topic.startsWith('held/')) {
        held.push(() => {
          done(null);
        });
      } else {
        done(null);
      }
    },
  });
  const pings: string[] = [];
  aedes.on('ping', (_packet, client) => pings.push(client.id));
  const served = await serveAedesOverWebSocket(aedes);
  return { url: served.url, username: USER, password: PASS, pings, wss: served.wss, stop: served.stop };
}

transportContract('own MQTT client on Aedes', createWebSocketTransport({ WebSocket }), startAedes);

describe('createWebSocketTransport on Aedes', () => {
  let broker: Awaited<ReturnType<typeof startAedes>>;
  // Every WebSocket the transport opens, so a test can drop one without an MQTT DISCONNECT.
  const sockets: WebSocket[] = [];
  class RecordingWebSocket extends WebSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  }
  const transport = createWebSocketTransport({ WebSocket: RecordingWebSocket });
  const closers: (() => Promise<void>)[] = [];
  let n = 0;

  beforeAll(async () => {
    broker = await startAedes();
  });
  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await broker.stop();
  });

  const connect = async (extra: Partial<ConnectOptions> = {}, events: Partial<TransportEvents> = {}) => {
    n += 1;
    const conn = await transport(
      {
        url: broker.url,
        clientId: `web-${String(n)}-${String(Date.now())}`,
        username: USER,
        password: PASS,
        keepaliveS: 30,
        connectTimeoutMs: 5_000,
        ...extra,
      },
      { message: events.message ?? (() => undefined), close: events.close ?? (() => undefined) },
    );
    closers.push(() => conn.close());
    return conn;
  };

  it('rejects a subscription the broker refuses (SUBACK 0x80) and stays usable', async () => {
    const conn = await connect();
    await expect(conn.subscribe('forbidden/x', 1)).rejects.toThrow(
      'broker refused the subscription to forbidden/x',
    );
    await conn.subscribe('allowed/x', 1);
  });

  it('rejects a QoS 1 publish still waiting for its PUBACK when the connection closes', async () => {
    const reasons: string[] = [];
    const conn = await connect({}, { close: (r) => reasons.push(r) });
    const publish = conn.publish('held/1', Uint8Array.from([1]), 1);
    let settled = false;
    publish.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(settled).toBe(false);
    sockets.at(-1)?.terminate();
    await expect(publish).rejects.toThrow(/connection closed before the PUBACK for held\/1/);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/connection lost/);
  });

  it('sends DISCONNECT on close(), so the Last Will is not published; a dropped socket publishes it', async () => {
    const wills: string[] = [];
    const watcher = await connect({}, { message: (_t, p) => wills.push(new TextDecoder().decode(p)) });
    await watcher.subscribe('will/+', 1);
    const will = (name: string) => ({
      topic: `will/${name}`,
      payload: new TextEncoder().encode(name),
      qos: 1 as const,
    });

    const polite = await connect({ will: will('polite') });
    await polite.close();
    await connect({ will: will('dropped') });
    sockets.at(-1)?.terminate();

    await waitFor("the dropped client's will", () => wills.includes('dropped'));
    await new Promise((r) => setTimeout(r, 200));
    expect(wills).toEqual(['dropped']);
  });

  it('pings to keep an idle connection alive past 1.5 × keepalive', async () => {
    const reasons: string[] = [];
    const got: number[] = [];
    const conn = await connect(
      { keepaliveS: 1, clientId: 'idle-pinger' },
      { close: (r) => reasons.push(r), message: (_t, p) => got.push(p[0] ?? -1) },
    );
    await new Promise((r) => setTimeout(r, 3_500));
    expect(reasons).toEqual([]);
    expect(broker.pings.filter((id) => id === 'idle-pinger').length).toBeGreaterThanOrEqual(3);
    await conn.subscribe('idle/echo', 1);
    await conn.publish('idle/echo', Uint8Array.from([7]), 1);
    await waitFor('echo after idling', () => got.includes(7));
  });

  it('(control) Aedes does drop a client that stays silent past 1.5 × keepalive', async () => {
    const raw = new WebSocket(broker.url, ['mqtt']);
    await new Promise((resolve) => raw.once('open', resolve));
    raw.send(encodeConnect({ clientId: 'silent', username: USER, password: PASS, keepaliveS: 1 }));
    const started = Date.now();
    await new Promise((resolve) => raw.once('close', resolve));
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('delivers several messages published back to back, in order, once each', async () => {
    const got: number[] = [];
    const sub = await connect({}, { message: (_t, p) => got.push(p[0] ?? -1) });
    await sub.subscribe('burst/#', 1);
    const pub = await connect();
    await Promise.all(
      Array.from({ length: 50 }, (_, i) => pub.publish(`burst/${String(i)}`, Uint8Array.of(i), 1)),
    );
    await waitFor('50 messages', () => got.length >= 50);
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
