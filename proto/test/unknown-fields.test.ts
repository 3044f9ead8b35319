// Forward compatibility: what a newer sender adds (fields, body kinds) must not break this version.
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, it, expect } from 'vitest';
import { decodeEnvelope, encodeEnvelope, kefu } from '../src/index.js';
import { contents, envelopes, storedMessage } from './fixtures.js';

const plain = (message: unknown): unknown => JSON.parse(JSON.stringify(message));

/** kefu.proto as a future version might extend it, via reflection (full protobufjs, tests only). */
function futureSchema(): protobuf.Root {
  const root = protobuf.loadSync(fileURLToPath(new URL('../kefu.proto', import.meta.url)));
  const envelope = root.lookupType('kefu.v1.Envelope');
  envelope.add(new protobuf.Field('traceId', 90, 'string'));
  envelope.add(new protobuf.Field('hops', 91, 'uint32', 'repeated'));
  envelope.add(new protobuf.Field('priority', 92, 'fixed32'));
  envelope.add(new protobuf.Field('deadlineMs', 93, 'sfixed64'));
  envelope.add(new protobuf.Field('origin', 94, 'kefu.v1.Participant'));
  // A body kind this version does not know.
  const ping = new protobuf.Type('Ping').add(new protobuf.Field('nonce', 1, 'string'));
  root.define('kefu.v1').add(ping);
  const pingField = new protobuf.Field('ping', 40, 'kefu.v1.Ping');
  envelope.add(pingField);
  envelope.oneofs.body?.add(pingField);
  const text = root.lookupType('kefu.v1.Text');
  text.add(new protobuf.Field('lang', 2, 'string'));
  text.add(new protobuf.Field('mentions', 3, 'kefu.v1.Participant', 'repeated'));
  text.add(new protobuf.Field('bold', 4, 'bool'));
  root.resolveAll();
  return root;
}

describe('unknown fields', () => {
  const root = futureSchema();
  const FutureEnvelope = root.lookupType('kefu.v1.Envelope');

  it('a newer schema: added fields are skipped, known fields intact', () => {
    const known = envelopes.send;
    const message = FutureEnvelope.fromObject({
      ...known,
      traceId: 'trace-7f3a 🔍',
      hops: [1, 2, 300],
      priority: 7,
      deadlineMs: 1_900_000_000_000,
      origin: { role: 2, uid: 'a_x', name: '未来 🚀' },
      send: {
        ...known.send,
        content: {
          text: { text: contents.text.text?.text, lang: 'zh-CN', mentions: [{ uid: 'a_1' }], bold: true },
        },
      },
    });
    const bytes = FutureEnvelope.encode(message).finish();
    expect(bytes.length).toBeGreaterThan(encodeEnvelope(known).length + 40);

    const decoded = decodeEnvelope(bytes);
    expect(decoded.body).toBe('send');
    expect(plain(decoded)).toEqual(known);
    expect(decoded).not.toHaveProperty('traceId');
    expect(decoded.send?.content?.text).not.toHaveProperty('lang');
  });

  it('a newer schema: a stored message with unknown fields nested in its content', () => {
    const known: kefu.v1.IEnvelope = { id: 'm1', sentAtMs: 5, message: storedMessage(contents.text) };
    const bytes = FutureEnvelope.encode(
      FutureEnvelope.fromObject({
        ...known,
        hops: [9],
        message: {
          ...known.message,
          content: { text: { text: contents.text.text?.text, lang: 'en', bold: false } },
        },
      }),
    ).finish();
    expect(plain(decodeEnvelope(bytes))).toEqual(known);
  });

  it('a body kind this version does not know reads as no body, so it is rejected as bad_request', () => {
    const bytes = FutureEnvelope.encode(
      FutureEnvelope.fromObject({ id: 'p1', traceId: 't', ping: { nonce: 'n' } }),
    ).finish();
    expect(kefu.v1.Envelope.decode(bytes).body).toBeUndefined();
    expect(() => decodeEnvelope(bytes)).toThrow(expect.objectContaining({ code: 'bad_request' }));
  });

  it('hand-appended fields of every wire type are skipped', () => {
    const known = envelopes.ack;
    const extra = protobuf.Writer.create()
      .uint32((200 << 3) | 0) // varint
      .uint64(2 ** 53 - 1)
      .uint32((201 << 3) | 1) // fixed64
      .fixed64(123_456_789)
      .uint32((202 << 3) | 2) // length-delimited
      .string('未知字段 🧩')
      .uint32((203 << 3) | 5) // fixed32
      .fixed32(42)
      .uint32((204 << 3) | 3) // group start … end, with a field inside
      .uint32((1 << 3) | 0)
      .uint32(7)
      .uint32((204 << 3) | 4)
      .finish();
    const before = encodeEnvelope(known);
    const decodedBefore = decodeEnvelope(Uint8Array.of(...extra, ...before));
    const decodedAfter = decodeEnvelope(Uint8Array.of(...before, ...extra));
    expect(plain(decodedBefore)).toEqual(known);
    expect(plain(decodedAfter)).toEqual(known);
  });

  it('are dropped when a decoded envelope is encoded again (a relay must know the fields it forwards)', () => {
    const bytes = FutureEnvelope.encode(
      FutureEnvelope.fromObject({ ...envelopes.typing, traceId: 'x' }),
    ).finish();
    const reencoded = encodeEnvelope(decodeEnvelope(bytes));
    expect(Array.from(reencoded)).toEqual(Array.from(encodeEnvelope(envelopes.typing)));
    expect(FutureEnvelope.toObject(FutureEnvelope.decode(reencoded))).not.toHaveProperty('traceId');
  });
});
