// sdk-core's MQTT transport over mqtt.js, configured for mini-programs (DESIGN.md §6): mqtt.js's browser
// stream over our per-instance socket (`forceNativeWebSocket` + `createWebsocket`), native timers (its
// default worker timers build a Worker from a Blob URL, which mini-programs do not have).
//
// mqtt.js's browser build, also under Node (tests): it is what ships, and it is a module instance of its
// own — mqtt.js picks its stream builders once per instance at the first connect, so sharing the Node
// build with a Node client would hand this transport Node's builders.
import './polyfills.js';
import mqtt, { type IClientOptions } from 'mqtt/dist/mqtt.esm';
import { createMqttTransport, type MqttLikeClient, type Transport } from '@kefu/sdk-core';
import type { MiniProgramApi } from './api.js';
import { MiniProgramSocket } from './socket.js';

export function createMiniProgramTransport(api: MiniProgramApi): Transport {
  return createMqttTransport(
    (url, options) =>
      mqtt.connect(url, {
        ...options,
        forceNativeWebSocket: true,
        timerVariant: 'native',
        createWebsocket: (socketUrl: string, protocols: string[]) =>
          new MiniProgramSocket(api, socketUrl, protocols),
        // The will's payload is a Uint8Array; mqtt.js's streams take it as they take a Buffer.
      } as IClientOptions) as unknown as MqttLikeClient,
  );
}
