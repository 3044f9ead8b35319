export { createMqttWsTransport, type MqttWsTransportOptions } from './transport.js';
export type { OpenWebSocket, WebSocketLike } from './socket.js';
