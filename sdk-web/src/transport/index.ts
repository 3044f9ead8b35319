export {
  createWebSocketTransport,
  type WebSocketConstructorLike,
  type WebSocketLike,
  type WebSocketTransportOptions,
} from './websocket.js';
