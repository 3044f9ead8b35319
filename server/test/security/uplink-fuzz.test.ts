// The Protobuf uplink under fuzzed bytes: the decoder only ever answers with an envelope or a
// ProtocolError, and the bridge refuses every bad payload with an Error envelope and stores nothing.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError, decodeEnvelope, encodeEnvelope, kefu, ulid } from '@kefu/proto';
import type { CustomerClient } from '@kefu/sdk-core';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { messageModel } from '../../src/model/message.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { customer, online } from '../messaging/harness.js';

const SEED = 20_250_611;
const newId = () => ulid((n) => randomBytes(n));
const sendEnvelope = (conversationId: string, id = newId(), text = '你好，我的订单到哪了？') =>
  encodeEnvelope({ id, sentAtMs: Date.now(), send: { conversationId, content: { text: { text } } } });

/** Flip, insert or delete a few bytes of `base` (positions taken modulo its length). */
const mutated = (base: Uint8Array) =>
  fc
    .array(
      fc.oneof(
        fc.tuple(fc.constant('flip' as const), fc.nat(), fc.integer({ min: 1, max: 255 })),
        fc.tuple(fc.constant('insert' as const), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 8 })),
        fc.tuple(fc.constant('delete' as const), fc.nat(), fc.integer({ min: 1, max: 8 })),
      ),
      { minLength: 1, maxLength: 5 },
    )
    .map((ops) => {
      let bytes = Uint8Array.from(base);
      for (const [op, position, arg] of ops) {
        const at = position % (bytes.length + 1);
        if (op === 'flip' && at < bytes.length) bytes[at] = (bytes[at] ?? 0) ^ arg;
        if (op === 'insert')
          bytes = Uint8Array.from([...bytes.subarray(0, at), ...arg, ...bytes.subarray(at)]);
        if (op === 'delete') bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + arg)]);
      }
      return bytes;
    });

/** An envelope with an id and a body, or a ProtocolError: nothing else, and quickly. */
function decodesOrRefuses(bytes: Uint8Array): void {
  const started = performance.now();
  try {
    const envelope = decodeEnvelope(bytes);
    expect(envelope).toBeInstanceOf(kefu.v1.Envelope);
    expect(envelope.id).toBeTruthy();
    expect(envelope.body).toBeTruthy();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    expect(['bad_request', 'payload_too_large']).toContain((err as ProtocolError).code);
  }
  expect(performance.now() - started).toBeLessThan(1_000);
}

describe('decodeEnvelope on hostile bytes', () => {
  const valid = sendEnvelope('01JCONVERSATIONFUZZ0000000');

  it('decodes or throws a ProtocolError for arbitrary bytes, also inside a larger buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(16), (bytes, offset) => {
        decodesOrRefuses(bytes);
        const pooled = Buffer.alloc(bytes.length + offset + 8, 0xff); // like an MQTT payload slice
        pooled.set(bytes, offset);
        decodesOrRefuses(pooled.subarray(offset, offset + bytes.length));
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });

  it('decodes or throws a ProtocolError for mutated valid envelopes', () => {
    fc.assert(fc.property(mutated(valid), decodesOrRefuses), { seed: SEED, numRuns: 2_000 });
  });

  it('refuses deep nesting, huge declared lengths and oversized payloads with a ProtocolError', () => {
    // 60,000 nested start-group tags of an unknown field: protobufjs skips groups recursively.
    for (const bytes of [
      new Uint8Array(60_000).fill((15 << 3) | 3),
      Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x41]), // id declared 4 GiB long
      Uint8Array.from([0x10, ...new Array<number>(11).fill(0xff)]), // a varint of 11 bytes
      new Uint8Array(64 * 1024 + 1),
    ]) {
      decodesOrRefuses(bytes);
      expect(() => decodeEnvelope(bytes)).toThrow(ProtocolError);
    }
  });
});

describe('MQTT uplink with fuzzed payloads (real server, embedded broker)', () => {
  let server: KefuServer;
  let fuzzer: CustomerClient;
  let raw: MqttClient;
  let up: string;
  let conversationId: string;
  const down: kefu.v1.Envelope[] = [];

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('uplink-fuzz') }), silentLogger);
    fuzzer = customer(server.url, 'fuzzer');
    await fuzzer.start();
    await online(fuzzer);
    conversationId = (await fuzzer.open()).id ?? '';
    // A second connection with the customer's own session sends the raw bytes and watches its inbox.
    const session = await fuzzer.sessions.current();
    raw = await mqtt.connectAsync(session.mqtt.url, {
      username: session.mqtt.username,
      password: session.token,
      reconnectPeriod: 0,
    });
    raw.on('message', (_topic, payload) => down.push(decodeEnvelope(payload)));
    await raw.subscribeAsync(session.mqtt.topics.down, { qos: 1 });
    up = session.mqtt.topics.up;
  });
  afterAll(async () => {
    await raw.endAsync();
    await fuzzer.stop();
    await server.stop();
  });

  const stored = () => messageModel(server.db).countDocuments();
  /** Publishes `payload` and expects an Error envelope for it, and no new message. */
  const expectRefused = async (payload: Uint8Array) => {
    const before = await stored();
    const seen = down.length;
    await raw.publishAsync(up, Buffer.from(payload), { qos: 1 });
    const error = await waitFor('an Error envelope', () => down.slice(seen).find((e) => e.error)?.error);
    expect(['bad_request', 'payload_too_large', 'not_found', 'forbidden']).toContain(error.code);
    expect(error.message).toBeTruthy();
    expect(await stored()).toBe(before);
  };
  const run = <T extends Uint8Array>(arb: fc.Arbitrary<T>, numRuns: number) =>
    fc.assert(fc.asyncProperty(arb, expectRefused), { seed: SEED, numRuns });

  it('refuses random bytes', async () => {
    const undecodable = fc.uint8Array({ maxLength: 512 }).filter((bytes) => {
      try {
        decodeEnvelope(bytes);
        return false;
      } catch {
        return true;
      }
    });
    await run(undecodable, 25);
  });

  it('refuses valid envelopes cut short', async () => {
    const whole = sendEnvelope(conversationId);
    await run(
      fc.integer({ min: 0, max: whole.length - 1 }).map((n) => whole.subarray(0, n)),
      25,
    );
  });

  it('refuses bodies that only the server may send', async () => {
    const bodies: kefu.v1.IEnvelope[] = [
      { ack: { clientMsgId: newId() } },
      { message: { id: 'm', conversationId, content: { text: { text: 'forged' } } } },
      { syncResponse: { conversationId } },
      { recalled: { conversationId, messageId: 'm' } },
      { conversationEvent: { conversationId } },
      { conversation: { id: conversationId } },
      { error: { code: 'internal', message: 'forged' } },
      { presence: { online: true } },
    ];
    const envelopes = fc
      .constantFrom(...bodies)
      .map((body) => encodeEnvelope({ id: newId(), sentAtMs: Date.now(), ...body }));
    await run(envelopes, 16);
  });

  it('refuses oversized fields and payloads', async () => {
    const oversized = fc.oneof(
      fc
        .integer({ min: 5_001, max: 20_000 })
        .map((n) => sendEnvelope(conversationId, newId(), 'x'.repeat(n))),
      fc.integer({ min: 65, max: 2_000 }).map((n) => sendEnvelope(conversationId, 'a'.repeat(n))),
      fc.integer({ min: 81, max: 5_000 }).map((n) => sendEnvelope('c'.repeat(n))),
      // Over the 64 KB envelope limit but within the broker's 128 KB packet limit (beyond it the broker
      // closes the connection: mqtt-limits.test.ts).
      fc
        .integer({ min: 64 * 1024, max: 120_000 })
        .map((n) => sendEnvelope(conversationId, newId(), '长'.repeat(n / 3))),
    );
    await run(oversized, 20);
  });

  it('still stores and acknowledges a valid message afterwards', async () => {
    const before = await stored();
    const id = newId();
    const seen = down.length;
    await raw.publishAsync(up, Buffer.from(sendEnvelope(conversationId, id, '最后一条')), { qos: 1 });
    const ack = await waitFor(
      'MessageAck',
      () => down.slice(seen).find((e) => e.ack?.clientMsgId === id)?.ack,
    );
    expect(Number(ack.seq)).toBeGreaterThan(0);
    expect(await stored()).toBe(before + 1);
  });
});
