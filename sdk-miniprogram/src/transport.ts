// The mini-program's transport: sdk-core's small MQTT 3.1.1 client, the one the web widget runs, over a
// per-instance socket on the platform's SocketTask. Not mqtt.js: its browser build alone was ~100 KB gzip
// of the SDK's ~130 KB, needed polyfills at load, and cannot be tree-shaken.
import { createMqttWsTransport, type Transport } from '@kefu/sdk-core';
import type { MiniProgramApi } from './api.js';
import { MiniProgramSocket } from './socket.js';

export function createMiniProgramTransport(api: MiniProgramApi): Transport {
  return createMqttWsTransport((url, protocols) => new MiniProgramSocket(api, url, protocols));
}
