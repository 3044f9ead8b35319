import { describe, it, expect } from 'vitest';
import {
  bodyKind,
  CONTENT_KINDS,
  contentKind,
  decodeEnvelope,
  encodeEnvelope,
  ENVELOPE_BODY_KINDS,
  kefu,
  MAX_ENVELOPE_BYTES,
  ProtocolError,
  type ProtocolErrorCode,
} from '../src/index.js';
import { contents, conversationEvents, envelopes, storedMessage, T0 } from './fixtures.js';

/** What a decoded message carries: its own fields, as JSON would show them. */
const plain = (message: unknown): unknown => JSON.parse(JSON.stringify(message));

const roundTrip = (input: kefu.v1.IEnvelope): kefu.v1.Envelope => decodeEnvelope(encodeEnvelope(input));

function protocolError(run: () => unknown): ProtocolError {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

function expectRejected(
  bytes: Uint8Array,
  code: ProtocolErrorCode,
  message: RegExp,
  maxBytes?: number,
): void {
  const err = protocolError(() => decodeEnvelope(bytes, maxBytes));
  expect(err.code).toBe(code);
  expect(err.name).toBe('ProtocolError');
  expect(err.message).toMatch(message);
}

describe('round trip', () => {
  it('fixtures cover every Envelope body and every Content kind', () => {
    expect(Object.keys(envelopes).sort()).toEqual([...ENVELOPE_BODY_KINDS].sort());
    expect(Object.keys(contents).sort()).toEqual([...CONTENT_KINDS].sort());
    expect(ENVELOPE_BODY_KINDS).toHaveLength(16);
    expect(CONTENT_KINDS).toHaveLength(12);
  });

  it.each(ENVELOPE_BODY_KINDS)('Envelope body %s', (kind) => {
    const input = envelopes[kind];
    const decoded = roundTrip(input);
    expect(decoded).toBeInstanceOf(kefu.v1.Envelope);
    expect(decoded.body).toBe(kind);
    expect(bodyKind(decoded)).toBe(kind);
    expect(bodyKind(input)).toBe(kind);
    expect(plain(decoded)).toEqual(input);
  });

  it.each(CONTENT_KINDS)('Content %s, as a stored message and as a send', (kind) => {
    const content = contents[kind];
    const message = roundTrip({ id: '01JDC6A', sentAtMs: T0, message: storedMessage(content) });
    expect(contentKind(message.message?.content)).toBe(kind);
    expect(message.message?.content).toBeInstanceOf(kefu.v1.Content);
    expect((message.message?.content as kefu.v1.Content).kind).toBe(kind);
    expect(plain(message.message)).toEqual(storedMessage(content));

    const send = roundTrip({ id: '01JDC6B', send: { conversationId: 'c1', content } });
    expect(contentKind(send.send?.content)).toBe(kind);
    expect(plain(send.send?.content)).toEqual(content);
  });

  it.each(Object.keys(conversationEvents))('ConversationEvent %s', (kind) => {
    const event = conversationEvents[kind] ?? {};
    const decoded = roundTrip({ id: '01JDC6C', conversationEvent: event }).conversationEvent;
    expect(decoded).toBeInstanceOf(kefu.v1.ConversationEvent);
    expect((decoded as kefu.v1.ConversationEvent).kind).toBe(kind);
    expect(plain(decoded)).toEqual(event);
  });

  it('keeps Chinese text, emoji (surrogate pairs, ZWJ sequences) and map params byte-exact', () => {
    const text = '你好👋🏽 👨‍👩‍👧‍👦 🇨🇳 𠮷野家 \u0000 end';
    const decoded = roundTrip({
      id: 'e1',
      message: { content: { system: { code: 'x', text, params: { '表情🙂': text, empty: '' } } } },
    });
    expect(decoded.message?.content?.system?.text).toBe(text);
    expect(decoded.message?.content?.system?.params).toEqual({ '表情🙂': text, empty: '' });
  });

  it('reads int64 fields as plain numbers, above 2^32, negative and up to MAX_SAFE_INTEGER', () => {
    for (const value of [0, 1, 2 ** 32 + 5, T0, Number.MAX_SAFE_INTEGER, -42, -(2 ** 40)]) {
      const decoded = roundTrip({ id: 'n', sentAtMs: value, syncRequest: { afterSeq: value } });
      expect(decoded.sentAtMs).toBe(value);
      expect(decoded.syncRequest?.afterSeq).toBe(value);
    }
    const size = roundTrip({ id: 'u', message: { content: contents.file } }).message?.content?.file
      ?.sizeBytes;
    expect(typeof size).toBe('number');
    expect(size).toBe(5_368_709_120);
  });

  it('gives proto3 defaults for absent fields', () => {
    const decoded = roundTrip({ id: 'd', typing: {} });
    expect(decoded.sentAtMs).toBe(0);
    expect(decoded.typing?.conversationId).toBe('');
    expect(decoded.typing?.typing).toBe(false);
    expect(decoded.typing?.from).toBeNull();
    expect(decoded.send).toBeNull();
  });

  it('encodes generated instances exactly like plain objects', () => {
    const input = envelopes.message;
    const instance = kefu.v1.Envelope.create({
      ...input,
      message: kefu.v1.Message.create({
        ...input.message,
        content: kefu.v1.Content.create(contents.product),
      }),
    });
    expect(Array.from(encodeEnvelope(instance))).toEqual(Array.from(encodeEnvelope(input)));
  });

  it('decodes from a subarray at an offset (MQTT payloads are often views into a larger buffer)', () => {
    const bytes = encodeEnvelope(envelopes.send);
    const big = new Uint8Array(bytes.length + 20);
    big.set(bytes, 7);
    expect(plain(decodeEnvelope(big.subarray(7, 7 + bytes.length)))).toEqual(envelopes.send);
  });
});

describe('bodyKind and contentKind', () => {
  it('name the set member of plain objects, or undefined', () => {
    expect(bodyKind({ id: 'x', ack: { seq: 1 } })).toBe('ack');
    expect(bodyKind({ id: 'x' })).toBeUndefined();
    expect(bodyKind({ id: 'x', send: null, typing: undefined })).toBeUndefined();
    expect(contentKind({ image: { url: 'u' } })).toBe('image');
    expect(contentKind({})).toBeUndefined();
    expect(contentKind(null)).toBeUndefined();
    expect(contentKind(undefined)).toBeUndefined();
  });

  it('agree with the receiver when several members are set: the last on the wire wins', () => {
    const both: kefu.v1.IEnvelope = { id: 'x', send: { conversationId: 'c' }, error: { code: 'internal' } };
    const decoded = decodeEnvelope(encodeEnvelope(both));
    expect(decoded.body).toBe('error');
    expect(bodyKind(decoded)).toBe('error');
    expect(bodyKind(both)).toBe('error');
  });

  it('name a body set on a created instance', () => {
    expect(bodyKind(kefu.v1.Envelope.create({ id: 'x', presence: { online: true } }))).toBe('presence');
    expect(contentKind(kefu.v1.Content.create({ call: { callId: 'c' } }))).toBe('call');
  });
});

describe('decodeEnvelope rejects', () => {
  const valid = encodeEnvelope(envelopes.syncResponse);

  it('garbage bytes as bad_request', () => {
    // Field 99 with wire type 7, which does not exist. (protobufjs reads known fields without
    // checking their wire type, so an unknown field number is what makes this fail.)
    expectRejected(
      Uint8Array.of(0x9f, 0x06, 0x01),
      'bad_request',
      /^undecodable envelope \(3 bytes\): invalid wire type 7/,
    );
    // A varint longer than 10 bytes.
    expectRejected(new Uint8Array(12).fill(0xff), 'bad_request', /^undecodable envelope/);
    // Plain text.
    expectRejected(new TextEncoder().encode('hello world'), 'bad_request', /^undecodable/);
  });

  it('truncated bytes as bad_request', () => {
    expect(valid.length).toBeGreaterThan(100);
    for (const cut of [1, 2, 10, valid.length - 1]) {
      expectRejected(
        valid.subarray(0, valid.length - cut),
        'bad_request',
        /^undecodable envelope .*index out of range/,
      );
    }
  });

  it('oversized input as payload_too_large, before decoding it', () => {
    const huge = new Uint8Array(MAX_ENVELOPE_BYTES + 1);
    huge.set(valid);
    expectRejected(huge, 'payload_too_large', /^envelope of 65537 bytes exceeds the limit of 65536 bytes$/);
    expectRejected(
      valid,
      'payload_too_large',
      new RegExp(`^envelope of ${valid.length} bytes exceeds the limit of 100 bytes$`),
      100,
    );
    expect(decodeEnvelope(valid, valid.length).body).toBe('syncResponse');
  });

  it('accepts an envelope of exactly MAX_ENVELOPE_BYTES', () => {
    let size = MAX_ENVELOPE_BYTES - 20;
    let bytes = encodeEnvelope({ id: 'big', send: { content: { text: { text: 'x'.repeat(size) } } } });
    while (bytes.length !== MAX_ENVELOPE_BYTES) {
      size += MAX_ENVELOPE_BYTES - bytes.length;
      bytes = encodeEnvelope({ id: 'big', send: { content: { text: { text: 'x'.repeat(size) } } } });
    }
    expect(decodeEnvelope(bytes).send?.content?.text?.text).toHaveLength(size);
    expectRejected(Uint8Array.of(...bytes, 0), 'payload_too_large', /65537 bytes/);
  });

  it('an envelope without a body as bad_request', () => {
    expectRejected(encodeEnvelope({ id: '01JDC7N', sentAtMs: T0 }), 'bad_request', /^envelope has no body/);
    expectRejected(new Uint8Array(0), 'bad_request', /^envelope has no body/);
    expectRejected(encodeEnvelope({ id: '01JDC7N', send: null }), 'bad_request', /no body/);
  });

  it('an envelope with an empty id as bad_request', () => {
    expectRejected(encodeEnvelope({ typing: { typing: true } }), 'bad_request', /^envelope has an empty id$/);
    expectRejected(encodeEnvelope({ id: '', typing: { typing: true } }), 'bad_request', /empty id/);
  });

  it('deeply nested groups as bad_request (protobufjs caps the depth) instead of overflowing the stack', () => {
    const bytes = new Uint8Array(60_000);
    for (let i = 0; i < bytes.length; i += 2) bytes.set([0x9b, 0x06], i); // field 99, wire type 3: start group
    expectRejected(
      bytes,
      'bad_request',
      /^undecodable envelope \(60000 bytes\): maximum nesting depth exceeded/,
    );
  });
});

describe('ProtocolError', () => {
  it('is an Error with a code', () => {
    const err = new ProtocolError('bad_request', 'nope');
    expect(err).toBeInstanceOf(Error);
    expect(err.code).toBe('bad_request');
    expect(err.message).toBe('nope');
    expect(String(err)).toBe('ProtocolError: nope');
  });
});
