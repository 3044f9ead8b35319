import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import WebSocket from 'ws';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../src/infra/embedded-broker.js';
import { silentLogger } from '../helpers.js';

function nextMessage(client: MqttClient, topic: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const onMessage = (t: string, payload: Buffer): void => {
      if (t !== topic) return;
      client.off('message', onMessage);
      resolve(payload);
    };
    client.on('message', onMessage);
  });
}

describe('embedded Aedes broker', () => {
  let http: Server;
  let broker: EmbeddedBroker;
  let tcpUrl: string;
  let wsUrl: string;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    http = createServer((_req, res) => res.end('not mqtt'));
    broker = await startEmbeddedBroker({
      host: '127.0.0.1',
      tcpPort: 0,
      httpServer: http,
      wsPath: '/mqtt',
      logger: silentLogger,
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    tcpUrl = `mqtt://127.0.0.1:${String(broker.tcpPort)}`;
    wsUrl = `ws://127.0.0.1:${String((http.address() as AddressInfo).port)}/mqtt`;
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker.close();
    http.close();
  });

  const connect = async (url: string): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
    clients.push(client);
    return client;
  };

  it('delivers from a TCP publisher to a WebSocket subscriber (QoS 1)', async () => {
    const sub = await connect(wsUrl);
    const pub = await connect(tcpUrl);
    await sub.subscribeAsync('test/tcp-to-ws', { qos: 1 });
    const received = nextMessage(sub, 'test/tcp-to-ws');
    await pub.publishAsync('test/tcp-to-ws', '你好 over TCP', { qos: 1 });
    expect((await received).toString()).toBe('你好 over TCP');
  });

  it('delivers from a WebSocket publisher to a TCP subscriber (QoS 1)', async () => {
    const sub = await connect(tcpUrl);
    const pub = await connect(wsUrl);
    await sub.subscribeAsync('test/ws-to-tcp', { qos: 1 });
    const received = nextMessage(sub, 'test/ws-to-tcp');
    const payload = Buffer.from([0, 1, 2, 250, 255]);
    await pub.publishAsync('test/ws-to-tcp', payload, { qos: 1 });
    expect(Buffer.compare(await received, payload)).toBe(0);
  });

  it('refuses WebSocket upgrades on any other path', async () => {
    const port = (http.address() as AddressInfo).port;
    const outcome = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${String(port)}/not-mqtt`, 'mqtt');
      ws.on('open', () => {
        ws.close();
        resolve('open');
      });
      ws.on('error', () => {
        resolve('refused');
      });
    });
    expect(outcome).toBe('refused');
  });
});
