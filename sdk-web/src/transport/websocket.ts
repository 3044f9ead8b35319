// The widget's transport: sdk-core's small MQTT 3.1.1 client (the mini-program runs the same one) over the
// browser's WebSocket.
import {
  createMqttWsTransport,
  type MqttWsTransportOptions,
  type Transport,
  type WebSocketLike as SocketLike,
} from '@kefu/sdk-core';

/** The browser's WebSocket (or `ws` in Node tests): what sdk-core's client uses, plus `binaryType`. */
export interface WebSocketLike extends SocketLike {
  binaryType: string;
}

export type WebSocketConstructorLike = new (url: string, protocols: string[]) => WebSocketLike;

export interface WebSocketTransportOptions extends MqttWsTransportOptions {
  /** Defaults to `globalThis.WebSocket`; Node tests pass the `ws` package's. */
  WebSocket?: WebSocketConstructorLike;
}

export function createWebSocketTransport(options: WebSocketTransportOptions = {}): Transport {
  return createMqttWsTransport((url, protocols) => {
    const WebSocketImpl =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructorLike }).WebSocket;
    if (!WebSocketImpl) {
      throw new TypeError('no WebSocket in this environment: pass one to createWebSocketTransport()');
    }
    const socket = new WebSocketImpl(url, protocols);
    // The browser's default, Blob, would need an asynchronous read per frame.
    socket.binaryType = 'arraybuffer';
    return socket;
  }, options);
}
