// Argument checks: a caller's mistake becomes a clear TypeError/RangeError before any byte is sent.
import type { ConnectOptions } from '../types.js';
import { encodeUtf8 } from './utf8.js';

/** Uint8Array from any realm (an iframe's, a vm context's, Node's Buffer), not only this one's. */
export const isBytes = (value: unknown): value is Uint8Array =>
  Object.prototype.toString.call(value) === '[object Uint8Array]';

/** §1.5.3: an MQTT string is UTF-8 of at most 65,535 bytes and must not contain U+0000. */
function checkString(value: unknown, what: string, allowEmpty: boolean): asserts value is string {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string`);
  if (!allowEmpty && value === '') throw new RangeError(`${what} must not be empty`);
  if (value.includes('\u0000')) throw new RangeError(`${what} must not contain U+0000`);
  if (encodeUtf8(value).length > 0xffff) throw new RangeError(`${what} is longer than 65,535 bytes`);
}

export function checkQos(qos: unknown): asserts qos is 0 | 1 {
  if (qos !== 0 && qos !== 1) throw new RangeError(`QoS must be 0 or 1, got ${String(qos)}`);
}

/** §4.7.3: a topic name (publish, will) has no wildcards. */
export function checkTopicName(topic: unknown): asserts topic is string {
  checkString(topic, 'topic', false);
  if (/[+#]/.test(topic)) throw new RangeError(`topic "${topic}" must not contain wildcards`);
}

/** §4.7.1: "#" only as the whole last level, "+" only as a whole level. */
export function checkTopicFilter(filter: unknown): asserts filter is string {
  checkString(filter, 'topic filter', false);
  const levels = filter.split('/');
  levels.forEach((level, i) => {
    const bad =
      (level.includes('#') && (level !== '#' || i !== levels.length - 1)) ||
      (level.includes('+') && level !== '+');
    if (bad) throw new RangeError(`topic filter "${filter}" misuses a wildcard`);
  });
}

export function checkPayload(payload: unknown): asserts payload is Uint8Array {
  if (!isBytes(payload)) throw new TypeError('payload must be a Uint8Array');
}

/** A pattern, not `new URL()`, which WeChat's JS engines lack: a scheme, "//", a host, then anything. */
const URL_PATTERN = /^([a-z][a-z\d+.-]*):\/\/[^\s/?#]+(?:[/?#]\S*)?$/i;

function checkUrl(url: unknown): void {
  const scheme = typeof url === 'string' ? URL_PATTERN.exec(url)?.[1] : undefined;
  if (scheme === undefined) throw new TypeError(`MQTT URL "${String(url)}" is not a URL`);
  if (!/^wss?$/i.test(scheme))
    throw new TypeError(`MQTT URL "${String(url)}" must start with ws:// or wss://`);
}

export function checkConnectOptions(o: ConnectOptions): void {
  checkUrl(o.url);
  checkString(o.clientId, 'clientId', false);
  checkString(o.username, 'username', true);
  checkString(o.password, 'password', true);
  if (!Number.isInteger(o.keepaliveS) || o.keepaliveS < 0 || o.keepaliveS > 0xffff) {
    throw new RangeError('keepaliveS must be an integer from 0 to 65535');
  }
  if (
    typeof o.connectTimeoutMs !== 'number' ||
    !(o.connectTimeoutMs > 0) ||
    o.connectTimeoutMs > 2 ** 31 - 1
  ) {
    throw new RangeError('connectTimeoutMs must be a positive number of milliseconds');
  }
  if (o.will !== undefined) {
    checkTopicName(o.will.topic);
    checkPayload(o.will.payload);
    checkQos(o.will.qos);
    if (o.will.payload.length > 0xffff) throw new RangeError('will payload is longer than 65,535 bytes');
  }
}
