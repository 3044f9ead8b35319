// The DoS class of finding 1 on the MQTT side: the embedded broker (Aedes) has no packet size limit of its
// own, so any signed-in visitor could make it buffer a publish of any declared size.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import mqtt, { type MqttClient } from 'mqtt';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { MAX_MQTT_PACKET_BYTES, PacketLengthWatch } from '../../src/infra/mqtt-packet-limit.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { visitorSession } from '../mall/sessions.js';

/** An MQTT 3.1.1 fixed header: type byte, then the remaining length as a varint. */
function header(type: number, length: number): Buffer {
  const bytes = [type];
  let n = length;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    bytes.push(b);
  } while (n > 0);
  return Buffer.from(bytes);
}

describe('PacketLengthWatch', () => {
  it('follows packets of any size split at any byte, and stops at the first one too large', () => {
    const limit = 1_000;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_500 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (lengths, cuts) => {
          const stream = Buffer.concat(
            lengths.map((n) => Buffer.concat([header(0x30, n), Buffer.alloc(n, 7)])),
          );
          const watch = new PacketLengthWatch(limit);
          let ok = true;
          for (let at = 0, i = 0; at < stream.length && ok; i++) {
            const size = cuts[i % cuts.length] ?? 1;
            ok = watch.feed(stream.subarray(at, at + size));
            at += size;
          }
          expect(ok).toBe(lengths.every((n) => n <= limit));
        },
      ),
      { seed: 4_211, numRuns: 300 },
    );
  });

  it('refuses a length of more than four bytes', () => {
    expect(
      new PacketLengthWatch(Number.MAX_SAFE_INTEGER).feed(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01])),
    ).toBe(false);
  });
});

describe('embedded broker packet size limit', () => {
  let server: KefuServer;
  const clients: MqttClient[] = [];

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('mqtt_limits') }), silentLogger);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await server.stop();
  });

  const signedIn = async (url: string): Promise<{ client: MqttClient; up: string }> => {
    const grant = await visitorSession(server);
    const client = await mqtt.connectAsync(url, {
      username: grant.user.uid,
      password: grant.token,
      reconnectPeriod: 0,
    });
    clients.push(client);
    return { client, up: `kefu/up/c/${grant.user.uid}` };
  };

  it.each([
    ['WebSocket', () => server.mqttWsUrl],
    ['TCP', () => server.mqttUrl],
  ])('closes a %s connection that sends an oversized publish, and keeps serving', async (_name, url) => {
    const big = await signedIn(url());
    big.client.publish(big.up, Buffer.alloc(MAX_MQTT_PACKET_BYTES + 1024, 1), { qos: 0 });
    await waitFor('oversized connection closed', () => !big.client.connected);
    // Others are unaffected; a publish within the limit still reaches the server (it answers an Error).
    const fine = await signedIn(url());
    const answered = new Promise<void>((resolve) =>
      fine.client.once('message', () => {
        resolve();
      }),
    );
    await fine.client.subscribeAsync(fine.up.replace('/up/', '/down/'), { qos: 1 });
    await fine.client.publishAsync(fine.up, Buffer.from([0xff, 0x00]), { qos: 1 });
    await answered;
    expect(fine.client.connected).toBe(true);
  });
});
