// Envelope codec: the one place bytes from MQTT become messages. Platform-free (no DOM, Node or
// TextDecoder): it runs in browsers, WeChat mini-programs and Node alike.
import { kefu } from './generated/kefu.js';

/** Largest envelope a reader accepts by default: 64 KiB (binaries travel over HTTP, never in here). */
export const MAX_ENVELOPE_BYTES = 64 * 1024;

/** Same codes as the `Error.code` a server sends back: payload_too_large, bad_request. */
export type ProtocolErrorCode = 'payload_too_large' | 'bad_request';

/** A received envelope that cannot be used: too large, undecodable, or without an id or a body. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;

  constructor(code: ProtocolErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

/** Names of the `Envelope.body` oneof members (camelCase, as on the generated classes). */
export type EnvelopeBodyKind = NonNullable<kefu.v1.Envelope['body']>;
/** Names of the `Content.kind` oneof members. */
export type ContentKind = NonNullable<kefu.v1.Content['kind']>;

// Records, so the compiler rejects a missing or extra name whenever the schema changes.
const envelopeBodyKinds: Record<EnvelopeBodyKind, true> = {
  send: true,
  syncRequest: true,
  typing: true,
  read: true,
  recall: true,
  open: true,
  close: true,
  presence: true,
  ack: true,
  message: true,
  syncResponse: true,
  recalled: true,
  conversationEvent: true,
  conversation: true,
  error: true,
  accessChanged: true,
};
const contentKinds: Record<ContentKind, true> = {
  text: true,
  sticker: true,
  image: true,
  voice: true,
  file: true,
  product: true,
  order: true,
  ratingInvite: true,
  ratingResult: true,
  system: true,
  botReply: true,
  call: true,
};

/** Every `Envelope.body` member, in field-number order. */
export const ENVELOPE_BODY_KINDS: readonly EnvelopeBodyKind[] = Object.freeze(
  Object.keys(envelopeBodyKinds) as EnvelopeBodyKind[],
);
/** Every `Content.kind` member, in field-number order. */
export const CONTENT_KINDS: readonly ContentKind[] = Object.freeze(
  Object.keys(contentKinds) as ContentKind[],
);

/** Serializes an envelope (a plain object or a generated instance). int64 fields are plain numbers. */
export function encodeEnvelope(message: kefu.v1.IEnvelope): Uint8Array {
  return kefu.v1.Envelope.encode(message).finish();
}

/**
 * Parses one MQTT payload. Unknown fields are skipped (newer senders stay readable); an envelope
 * whose body is missing, or is a kind this version does not know, is rejected.
 * @throws ProtocolError `payload_too_large` above maxBytes, `bad_request` for bytes that are not an
 *   Envelope, or an envelope without an id or a body.
 */
export function decodeEnvelope(bytes: Uint8Array, maxBytes: number = MAX_ENVELOPE_BYTES): kefu.v1.Envelope {
  if (bytes.byteLength > maxBytes) {
    throw new ProtocolError(
      'payload_too_large',
      `envelope of ${bytes.byteLength} bytes exceeds the limit of ${maxBytes} bytes`,
    );
  }
  let envelope: kefu.v1.Envelope;
  try {
    envelope = kefu.v1.Envelope.decode(sameRealm(bytes));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ProtocolError('bad_request', `undecodable envelope (${bytes.byteLength} bytes): ${reason}`);
  }
  if (bodyKind(envelope) === undefined) {
    throw new ProtocolError(
      'bad_request',
      'envelope has no body (missing, or a body kind this version does not know)',
    );
  }
  if (!envelope.id) throw new ProtocolError('bad_request', 'envelope has an empty id');
  return envelope;
}

/**
 * Which `body` member is set, or undefined. For a decoded envelope that is the generated `body`
 * getter (the last member on the wire wins, as protobuf specifies); for a plain object, the set
 * member with the highest field number (the one a receiver would keep).
 */
export function bodyKind(envelope: kefu.v1.IEnvelope): EnvelopeBodyKind | undefined {
  if (envelope instanceof kefu.v1.Envelope) return envelope.body;
  return lastSet(envelope, ENVELOPE_BODY_KINDS);
}

/** Which `kind` member of a content is set, or undefined (also for a missing content). */
export function contentKind(content: kefu.v1.IContent | null | undefined): ContentKind | undefined {
  if (content == null) return undefined;
  if (content instanceof kefu.v1.Content) return content.kind;
  return lastSet(content, CONTENT_KINDS);
}

/** protobufjs checks `instanceof Uint8Array`, which a Uint8Array from another realm (iframe, vm) fails. */
function sameRealm(bytes: Uint8Array): Uint8Array {
  const view: ArrayBufferView = bytes;
  return view instanceof Uint8Array ? view : new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

function lastSet<K extends string>(message: Partial<Record<K, unknown>>, kinds: readonly K[]): K | undefined {
  for (let i = kinds.length - 1; i >= 0; i--) {
    const kind = kinds[i];
    if (kind !== undefined && message[kind] != null) return kind;
  }
  return undefined;
}
