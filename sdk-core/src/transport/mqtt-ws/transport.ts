import { TransportError, type Transport, type TransportConnection } from '../types.js';
import {
  DISCONNECT,
  PINGREQ,
  createPacketReader,
  encodeConnect,
  encodePuback,
  encodePublish,
  encodeSubscribe,
  type InboundPacket,
} from './packets.js';
import {
  checkConnectOptions,
  checkPayload,
  checkQos,
  checkTopicFilter,
  checkTopicName,
  isBytes,
} from './validate.js';
import type { OpenWebSocket, WebSocketLike } from './socket.js';

export interface MqttWsTransportOptions {
  /** Largest inbound packet accepted; a bigger one closes the connection. Default 1 MiB. */
  maxPacketBytes?: number;
}

// CONNACK return codes, MQTT 3.1.1 §3.2.2.3. 4 and 5 mean the token was refused: sdk-core renews it.
const REFUSALS = [
  '',
  'unacceptable protocol version',
  'client identifier rejected',
  'server unavailable',
  'bad user name or password',
  'not authorized',
];

/** How long close() waits for the socket's closing handshake before resolving anyway. */
const CLOSE_WAIT_MS = 1_000;

interface Pending {
  kind: 'puback' | 'suback';
  resolve(): void;
  reject(error: Error): void;
  topic: string;
}

/**
 * MQTT 3.1.1 over a WebSocket-like socket, small enough for the web widget and the mini-program
 * (mqtt.js's browser build is ~100 KB gzip). Same contract as the mqtt.js transport (`createMqttTransport`):
 * clean session, QoS 0/1, never reconnects. Platform-free: the platform passes `openSocket`.
 */
export function createMqttWsTransport(
  openSocket: OpenWebSocket,
  options: MqttWsTransportOptions = {},
): Transport {
  const maxPacketBytes = options.maxPacketBytes ?? 1024 * 1024;
  return (connect, events) =>
    new Promise<TransportConnection>((resolve, reject) => {
      checkConnectOptions(connect);

      let state: 'connecting' | 'open' | 'closed' = 'connecting';
      // A call, not a comparison: TypeScript would keep `state` narrowed across calls that change it.
      const is = (s: typeof state): boolean => state === s;
      const pending = new Map<number, Pending>();
      let lastId = 0;
      let awaitingPong = false;
      let pingTimer: ReturnType<typeof setTimeout> | undefined;
      let socketClosed = (): void => undefined;
      const socketClosedPromise = new Promise<void>((res) => (socketClosed = res));
      const readPackets = createPacketReader(maxPacketBytes);

      let socket: WebSocketLike;
      try {
        // "mqtt" is the subprotocol MQTT over WebSockets requires (§6).
        socket = openSocket(connect.url, ['mqtt']);
      } catch (err) {
        if (err instanceof TypeError) throw err;
        throw new TransportError(`cannot open WebSocket: ${errorMessage(err)}`, 'network');
      }

      const connectTimer = setTimeout(() => {
        end(`no CONNACK within ${String(connect.connectTimeoutMs)} ms`);
      }, connect.connectTimeoutMs);

      /** The single exit: settles the connect promise or reports `close`, exactly once. */
      const end = (reason: string, kind: 'auth' | 'network' = 'network'): void => {
        if (state === 'closed') return;
        const wasOpen = state === 'open';
        state = 'closed';
        clearTimeout(connectTimer);
        clearTimeout(pingTimer);
        for (const p of pending.values()) {
          p.reject(
            new Error(`connection closed before the ${p.kind.toUpperCase()} for ${p.topic}: ${reason}`),
          );
        }
        pending.clear();
        try {
          socket.close();
        } catch {
          // Already closing; nothing else to release.
        }
        if (wasOpen) {
          isolate(() => {
            events.close(reason);
          });
        } else reject(new TransportError(reason, kind));
      };

      const send = (bytes: Uint8Array): void => {
        try {
          socket.send(bytes);
        } catch (err) {
          end(`send failed: ${errorMessage(err)}`);
        }
      };

      const nextId = (): number => {
        // §2.3.1: 1..65535, unique among unacknowledged packets.
        do lastId = (lastId % 0xffff) + 1;
        while (pending.has(lastId));
        return lastId;
      };

      const request = (kind: Pending['kind'], topic: string, bytes: (id: number) => Uint8Array) =>
        new Promise<void>((res, rej) => {
          if (pending.size >= 0xffff) throw new Error('too many unacknowledged packets');
          const id = nextId();
          pending.set(id, { kind, topic, resolve: res, reject: rej });
          send(bytes(id));
        });

      const connection: TransportConnection = {
        publish: (topic, payload, qos) =>
          new Promise<void>((res, rej) => {
            checkTopicName(topic);
            checkPayload(payload);
            checkQos(qos);
            if (state !== 'open') throw new Error('connection closed');
            if (qos === 0) {
              send(encodePublish(topic, payload, 0, 0));
              if (!is('open')) throw new Error('connection closed');
              res();
            } else {
              request('puback', topic, (id) => encodePublish(topic, payload, 1, id)).then(res, rej);
            }
          }),
        subscribe: (filter, qos) =>
          new Promise<void>((res) => {
            checkTopicFilter(filter);
            checkQos(qos);
            if (state !== 'open') throw new Error('connection closed');
            res(request('suback', filter, (id) => encodeSubscribe(id, filter, qos)));
          }),
        close: async () => {
          if (state === 'open') {
            // DISCONNECT first, so the broker discards the Last Will (§3.14.4).
            send(DISCONNECT);
            end('closed by the client');
          }
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            socketClosedPromise,
            new Promise<void>((res) => (timer = setTimeout(res, CLOSE_WAIT_MS))),
          ]);
          clearTimeout(timer);
        },
      };

      // §3.1.2.10: the broker drops us after 1.5 × keepalive of silence; a PINGREQ each period keeps us
      // inside it, and a PINGRESP missing for a whole period means the connection is dead. A chain of
      // timeouts, not an interval: sdk-core declares only the timers every platform shares.
      const ping = (): void => {
        pingTimer = setTimeout(() => {
          if (awaitingPong) {
            end('keepalive timeout: no answer from the broker');
            return;
          }
          awaitingPong = true;
          send(PINGREQ);
          if (is('open')) ping();
        }, connect.keepaliveS * 1000);
      };

      const onPacket = (packet: InboundPacket): void => {
        awaitingPong = false;
        if (state === 'connecting') {
          if (packet.type !== 'connack') throw new Error(`${packet.type.toUpperCase()} before CONNACK`);
          const code = packet.returnCode;
          if (code !== 0) {
            const refusal = REFUSALS[code] ?? `unknown return code ${String(code)}`;
            end(`broker refused the connection: ${refusal}`, code === 4 || code === 5 ? 'auth' : 'network');
            return;
          }
          state = 'open';
          clearTimeout(connectTimer);
          if (connect.keepaliveS > 0) ping();
          resolve(connection);
          return;
        }
        switch (packet.type) {
          case 'connack':
            throw new Error('second CONNACK');
          case 'publish':
            isolate(() => {
              events.message(packet.topic, packet.payload);
            });
            if (packet.qos === 1) send(encodePuback(packet.id));
            return;
          case 'puback':
          case 'suback': {
            const waiting = pending.get(packet.id);
            if (waiting?.kind !== packet.type) return; // a late or duplicate acknowledgement
            pending.delete(packet.id);
            if (packet.type === 'suback' && packet.returnCodes.includes(0x80)) {
              waiting.reject(new Error(`broker refused the subscription to ${waiting.topic}`));
            } else {
              waiting.resolve();
            }
            return;
          }
          case 'pingresp':
            return;
        }
      };

      socket.onopen = () => {
        if (state === 'connecting') send(encodeConnect(connect));
      };
      socket.onmessage = (event) => {
        if (state === 'closed') return;
        const data = event.data;
        // By tag, not instanceof: the socket may hand over another realm's buffer.
        const bytes = isArrayBuffer(data) ? new Uint8Array(data) : isBytes(data) ? data : undefined;
        if (!bytes) {
          end('protocol error: the server sent a text WebSocket frame');
          return;
        }
        try {
          for (const packet of readPackets(bytes)) {
            if (is('closed')) return;
            onPacket(packet);
          }
        } catch (err) {
          end(`protocol error: ${errorMessage(err)}`);
        }
      };
      socket.onerror = (event) => {
        end(event.message ? `WebSocket error: ${event.message}` : 'WebSocket error');
      };
      socket.onclose = (event) => {
        socketClosed();
        end(
          `connection lost (WebSocket close ${String(event.code)}${event.reason ? `: ${event.reason}` : ''})`,
        );
      };
    });
}

const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

const isArrayBuffer = (value: unknown): value is ArrayBuffer =>
  Object.prototype.toString.call(value) === '[object ArrayBuffer]';

// sdk-core's lib has no console (no DOM or Node types), but every runtime it targets has one.
const logger = globalThis as { console?: { error(...data: unknown[]): void } };

/**
 * Runs an sdk-core callback so that its exception can neither break packet parsing nor reach the host
 * page: logged and dropped.
 */
function isolate(callback: () => void): void {
  try {
    callback();
  } catch (err) {
    logger.console?.error('[kefu] transport listener failed', err);
  }
}
