// The socket the MQTT client runs over, as each platform provides it (sdk-web: the browser's WebSocket;
// sdk-miniprogram: MiniProgramSocket over the SocketTask of wx, uni or Taro; tests: the `ws` package).

// Handlers typed as methods so that the DOM's WebSocket (MessageEvent, CloseEvent), the `ws` package's
// (its own event classes) and the mini-program's socket adapter all fit: method parameters are compared
// bivariantly.
interface Handlers {
  open(event: unknown): void;
  message(event: { data: unknown }): void;
  close(event: { code: number; reason: string }): void;
  error(event: { message?: string }): void;
}

/**
 * The part of the WebSocket API this transport uses. Binary frames must arrive as `ArrayBuffer` (or
 * `Uint8Array`): a browser WebSocket needs `binaryType = 'arraybuffer'` before its first message.
 */
export interface WebSocketLike {
  onopen: Handlers['open'] | null;
  onmessage: Handlers['message'] | null;
  onclose: Handlers['close'] | null;
  onerror: Handlers['error'] | null;
  send(data: Uint8Array): void;
  close(): void;
}

/**
 * Opens the platform's socket (browser WebSocket, `ws`, a mini-program SocketTask adapter). A TypeError it
 * throws is the caller's setup and rejects as is; anything else is a network failure.
 */
export type OpenWebSocket = (url: string, protocols: string[]) => WebSocketLike;
