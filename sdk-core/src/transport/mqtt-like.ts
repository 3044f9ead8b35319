import { TransportError, type Transport } from './types.js';

// The part of mqtt.js's client this transport uses, typed structurally so sdk-core needs neither mqtt.js's
// types nor Node's: each platform passes its own `connect` (mqtt.js in Node and mini-programs, another
// client with the same shape in the browser widget).
export interface MqttLikeClient {
  on(event: 'connect' | 'close', listener: () => void): unknown;
  on(event: 'message', listener: (topic: string, payload: Uint8Array) => void): unknown;
  on(event: 'error', listener: (error: Error & { code?: number | string }) => void): unknown;
  publish(
    topic: string,
    payload: Uint8Array,
    options: { qos: 0 | 1 },
    callback: (error?: Error) => void,
  ): unknown;
  subscribe(
    topic: string,
    options: { qos: 0 | 1 },
    callback: (error: Error | null, granted?: { qos: number }[]) => void,
  ): unknown;
  end(force: boolean, options: object, callback: () => void): unknown;
}

export type MqttLikeConnect = (
  url: string,
  options: {
    clientId: string;
    username: string;
    password: string;
    keepalive: number;
    connectTimeout: number;
    reconnectPeriod: 0;
    clean: true;
    protocolVersion: 4;
    will?: { topic: string; payload: Uint8Array; qos: 0 | 1; retain: false };
  },
) => MqttLikeClient;

// MQTT 3.1.1 CONNACK codes 4 (bad username or password) and 5 (not authorized).
const AUTH_CODES = new Set<number | string>([4, 5, 134, 135]);

/**
 * Transport over an mqtt.js-shaped client: MQTT 3.1.1, clean session (the server's sync, not the broker's
 * session, restores what was missed), no automatic reconnect (sdk-core decides when and with which token).
 */
export function createMqttTransport(connect: MqttLikeConnect): Transport {
  return (options, events) =>
    new Promise((resolve, reject) => {
      let settled = false;
      let closed = false;
      const client = connect(options.url, {
        clientId: options.clientId,
        username: options.username,
        password: options.password,
        keepalive: options.keepaliveS,
        connectTimeout: options.connectTimeoutMs,
        reconnectPeriod: 0,
        clean: true,
        protocolVersion: 4,
        ...(options.will ? { will: { ...options.will, retain: false as const } } : {}),
      });
      const finish = (reason: string): void => {
        if (closed) return;
        closed = true;
        if (!settled) {
          settled = true;
          reject(new TransportError(reason, 'network'));
        } else {
          events.close(reason);
        }
      };
      client.on('error', (error) => {
        if (!settled && error.code !== undefined && AUTH_CODES.has(error.code)) {
          settled = true;
          closed = true;
          reject(new TransportError(error.message, 'auth'));
          client.end(true, {}, () => undefined);
          return;
        }
        if (!settled) finish(error.message);
      });
      client.on('close', () => {
        finish('connection closed');
      });
      client.on('message', (topic, payload) => {
        events.message(topic, payload);
      });
      client.on('connect', () => {
        if (settled) return;
        settled = true;
        resolve({
          publish: (topic, payload, qos) =>
            new Promise((res, rej) => {
              client.publish(topic, payload, { qos }, (err) => {
                if (err) rej(err);
                else res();
              });
            }),
          subscribe: (topic, qos) =>
            new Promise((res, rej) => {
              client.subscribe(topic, { qos }, (err, granted) => {
                if (err) rej(err);
                else if (granted?.some((g) => g.qos === 128))
                  rej(new Error(`subscription to ${topic} refused`));
                else res();
              });
            }),
          // A clean DISCONNECT (end without force), so the broker does not publish the Last Will; forced
          // after 2 s should the connection be half dead.
          close: () =>
            new Promise((res) => {
              let done = false;
              const end = (): void => {
                if (done) return;
                done = true;
                clearTimeout(timer);
                finish('closed by the client');
                res();
              };
              const timer = setTimeout(() => {
                client.end(true, {}, end);
              }, 2_000);
              client.end(false, {}, end);
            }),
        });
      });
    });
}
