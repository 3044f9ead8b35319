import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { startMosquitto, type MosquittoInstance } from '../src/mosquitto.js';
import { waitFor } from '../src/testing.js';

describe('Mosquitto (Debian) helper', () => {
  let broker: MosquittoInstance;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    broker = await startMosquitto();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker.stop();
  });

  const connectV5 = async (clientId: string): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(broker.wsUrl, {
      protocolVersion: 5,
      clientId,
      reconnectPeriod: 0,
    });
    clients.push(client);
    return client;
  };

  it('speaks MQTT 5 over WebSocket', async () => {
    const client = await connectV5('v5-check');
    expect(client.options.protocolVersion).toBe(5);
    await client.subscribeAsync('check/v5', { qos: 1 });
    const got = new Promise<{ payload: string; contentType: string | undefined }>((resolve) => {
      client.once('message', (_t, payload, packet) => {
        resolve({ payload: payload.toString(), contentType: packet.properties?.contentType });
      });
    });
    // Content type is an MQTT 5 property: it only survives a broker that speaks version 5.
    await client.publishAsync('check/v5', 'hello', { qos: 1, properties: { contentType: 'text/plain' } });
    expect(await got).toEqual({ payload: 'hello', contentType: 'text/plain' });
  });

  it('splits a $share subscription between two subscribers, each message to exactly one', async () => {
    const a = await connectV5('share-a');
    const b = await connectV5('share-b');
    const got: Record<string, string[]> = { a: [], b: [] };
    a.on('message', (_t, p) => got['a']!.push(p.toString()));
    b.on('message', (_t, p) => got['b']!.push(p.toString()));
    await a.subscribeAsync('$share/servers/up/#', { qos: 1 });
    await b.subscribeAsync('$share/servers/up/#', { qos: 1 });

    const pub = await connectV5('share-pub');
    const sent = Array.from({ length: 40 }, (_, i) => `m${String(i)}`);
    for (const m of sent) await pub.publishAsync(`up/c/u${m}`, m, { qos: 1 });

    await waitFor('all shared messages', () => got['a']!.length + got['b']!.length >= sent.length);
    const all = [...got['a']!, ...got['b']!].sort();
    expect(all).toEqual([...sent].sort());
    expect(got['a']!.length).toBeGreaterThan(0);
    expect(got['b']!.length).toBeGreaterThan(0);
  });

  it('also serves MQTT 3.1.1 over TCP', async () => {
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    clients.push(client);
    expect(client.connected).toBe(true);
  });
});
