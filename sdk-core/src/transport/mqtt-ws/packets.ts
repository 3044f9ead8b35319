// MQTT 3.1.1 packet codec, only what a clean-session QoS 0/1 client needs.
// Spec: https://docs.oasis-open.org/mqtt/mqtt/v3.1.1/os/mqtt-v3.1.1-os.html (section numbers below).
import { decodeUtf8, encodeUtf8 } from './utf8.js';

/** §2.2.3: the remaining length is at most four bytes, 268,435,455. */
export const MAX_REMAINING_LENGTH = 268_435_455;

/** Bytes prefixed with their 16-bit big-endian length (§1.5.3 strings, §3.1.3 will message and password). */
function prefixed(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 2);
  out[0] = bytes.length >> 8;
  out[1] = bytes.length & 0xff;
  out.set(bytes, 2);
  return out;
}

const text = (s: string): Uint8Array => prefixed(encodeUtf8(s));
const u16 = (n: number): Uint8Array => Uint8Array.of(n >> 8, n & 0xff);

/** Fixed header (type and flags, remaining length as a variable-length integer, §2.2) plus the parts. */
function frame(first: number, parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  if (length > MAX_REMAINING_LENGTH) throw new RangeError(`MQTT packet too large (${String(length)} bytes)`);
  const header = [first];
  let rest = length;
  do {
    const digit = rest % 128;
    rest = Math.floor(rest / 128);
    header.push(rest > 0 ? digit | 0x80 : digit);
  } while (rest > 0);
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let at = header.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export interface ConnectPacket {
  clientId: string;
  username: string;
  password: string;
  keepaliveS: number;
  will?: { topic: string; payload: Uint8Array; qos: 0 | 1 } | undefined;
}

/** §3.1: protocol "MQTT" level 4, clean session, user name and password always present. */
export function encodeConnect(p: ConnectPacket): Uint8Array {
  let flags = 0x80 | 0x40 | 0x02;
  const payload = [text(p.clientId)];
  if (p.will) {
    flags |= 0x04 | (p.will.qos << 3);
    payload.push(text(p.will.topic), prefixed(p.will.payload));
  }
  payload.push(text(p.username), text(p.password));
  const variableHeader = Uint8Array.of(
    0,
    4,
    0x4d,
    0x51,
    0x54,
    0x54,
    4,
    flags,
    p.keepaliveS >> 8,
    p.keepaliveS & 0xff,
  );
  return frame(0x10, [variableHeader, ...payload]);
}

/** §3.3: QoS 0 carries no packet identifier. Never DUP or RETAIN (clean sessions, no resend here). */
export function encodePublish(topic: string, payload: Uint8Array, qos: 0 | 1, id: number): Uint8Array {
  return frame(0x30 | (qos << 1), qos ? [text(topic), u16(id), payload] : [text(topic), payload]);
}

export const encodePuback = (id: number): Uint8Array => frame(0x40, [u16(id)]);

/** §3.8: the fixed-header flags of SUBSCRIBE are 0b0010. */
export const encodeSubscribe = (id: number, filter: string, qos: 0 | 1): Uint8Array =>
  frame(0x82, [u16(id), text(filter), Uint8Array.of(qos)]);

export const PINGREQ = Uint8Array.of(0xc0, 0);
export const DISCONNECT = Uint8Array.of(0xe0, 0);

export type InboundPacket =
  | { type: 'connack'; returnCode: number }
  | { type: 'publish'; topic: string; payload: Uint8Array; qos: 0 | 1; id: number }
  | { type: 'puback'; id: number }
  | { type: 'suback'; id: number; returnCodes: number[] }
  | { type: 'pingresp' };

/** The server sent bytes that are not a packet a 3.1.1 server may send to this client. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
}

function readId(body: Uint8Array, at: number): number {
  const id = ((body[at] ?? 0) << 8) | (body[at + 1] ?? 0);
  if (id === 0) throw new ProtocolError('packet identifier 0');
  return id;
}

function decode(first: number, body: Uint8Array): InboundPacket {
  const type = first >> 4;
  const flags = first & 0x0f;
  // §2.2.2: every packet type but PUBLISH has fixed flags (0 for the ones a server sends to us).
  if (type !== 3 && flags !== 0) throw new ProtocolError(`bad flags on packet type ${String(type)}`);
  switch (type) {
    case 2:
      if (body.length !== 2) throw new ProtocolError('bad CONNACK length');
      return { type: 'connack', returnCode: body[1] ?? 0 };
    case 3: {
      const qos = (flags >> 1) & 3;
      // We subscribe at QoS 0 or 1, so the broker never sends QoS 2 (§3.8.4: it downgrades to the granted QoS).
      if (qos > 1) throw new ProtocolError(`unexpected PUBLISH QoS ${String(qos)}`);
      const topicLength = ((body[0] ?? 0) << 8) | (body[1] ?? 0);
      const payloadStart = 2 + topicLength + (qos ? 2 : 0);
      if (body.length < payloadStart) throw new ProtocolError('truncated PUBLISH');
      const topic = decodeUtf8(body.subarray(2, 2 + topicLength));
      if (topic === undefined) throw new ProtocolError('PUBLISH topic is not UTF-8');
      return {
        type: 'publish',
        topic,
        qos: qos as 0 | 1,
        id: qos ? readId(body, 2 + topicLength) : 0,
        // A copy: the caller may keep it, and must not pin the whole WebSocket frame.
        payload: body.slice(payloadStart),
      };
    }
    case 4:
      if (body.length !== 2) throw new ProtocolError('bad PUBACK length');
      return { type: 'puback', id: readId(body, 0) };
    case 9:
      if (body.length < 3) throw new ProtocolError('bad SUBACK length');
      return { type: 'suback', id: readId(body, 0), returnCodes: [...body.subarray(2)] };
    case 13:
      if (body.length !== 0) throw new ProtocolError('bad PINGRESP length');
      return { type: 'pingresp' };
    default:
      throw new ProtocolError(`unexpected packet type ${String(type)}`);
  }
}

/**
 * Splits the inbound byte stream into packets. A WebSocket message may hold part of a packet or several
 * packets (MQTT 3.1.1 §6), so bytes are buffered until a packet is complete. Throws ProtocolError on
 * malformed input or a packet over `maxPacketBytes`.
 */
export function createPacketReader(maxPacketBytes: number): (chunk: Uint8Array) => InboundPacket[] {
  let buffered: Uint8Array = new Uint8Array(0);
  return (chunk) => {
    if (buffered.length === 0) {
      buffered = chunk;
    } else {
      const joined = new Uint8Array(buffered.length + chunk.length);
      joined.set(buffered);
      joined.set(chunk, buffered.length);
      buffered = joined;
    }
    const packets: InboundPacket[] = [];
    for (;;) {
      let length = 0;
      let at = 1;
      let complete = false;
      for (let multiplier = 1; at < buffered.length && at <= 4; multiplier *= 128) {
        const digit = buffered[at++] ?? 0;
        length += (digit & 0x7f) * multiplier;
        if (!(digit & 0x80)) {
          complete = true;
          break;
        }
      }
      if (!complete) {
        if (at > 4) throw new ProtocolError('malformed remaining length');
        return packets;
      }
      if (length > maxPacketBytes) {
        throw new ProtocolError(`packet of ${String(length)} bytes exceeds ${String(maxPacketBytes)}`);
      }
      if (buffered.length < at + length) return packets;
      packets.push(decode(buffered[0] ?? 0, buffered.subarray(at, at + length)));
      buffered = buffered.subarray(at + length);
    }
  };
}
