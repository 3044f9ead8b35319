// A WebSocket-shaped object over the platform's SocketTask, the socket sdk-core's MQTT client runs over.
// All state lives in the instance (mqtt.js's own `wx` builder keeps its socket at module level, so two
// clients in one mini-program — or a reconnect racing the old socket's close — would share one socket).
import { settle, taskOf, type MiniProgramApi, type SocketTaskLike } from './api.js';

type Handler = (event: unknown) => void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** An ArrayBuffer holding exactly these bytes (SocketTask.send takes ArrayBuffer or string, not views). */
function exactBuffer(data: unknown): ArrayBuffer | string {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return data;
  if (ArrayBuffer.isView(data)) {
    const copy = new Uint8Array(data.byteLength);
    copy.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return copy.buffer;
  }
  throw new TypeError('socket data must be bytes or a string');
}

/** Incoming binary data as an ArrayBuffer of this realm, as a browser WebSocket delivers it. */
function toArrayBuffer(data: ArrayBuffer): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  // Another realm's ArrayBuffer (e.g. a test's WebSocket): copy its bytes.
  return new Uint8Array(data).slice().buffer;
}

export class MiniProgramSocket {
  static readonly CONNECTING = CONNECTING;
  static readonly OPEN = OPEN;
  static readonly CLOSING = CLOSING;
  static readonly CLOSED = CLOSED;
  readonly CONNECTING = CONNECTING;
  readonly OPEN = OPEN;
  readonly CLOSING = CLOSING;
  readonly CLOSED = CLOSED;

  readyState = CONNECTING;
  /** SocketTask delivers binary frames as ArrayBuffer; there is nothing else to choose. */
  binaryType = 'arraybuffer';
  onopen: Handler | null = null;
  onmessage: Handler | null = null;
  onclose: Handler | null = null;
  onerror: Handler | null = null;
  private task: SocketTaskLike | undefined;
  /** A close() before the task arrived (Taro resolves it asynchronously). */
  private closeWanted = false;

  constructor(
    api: MiniProgramApi,
    readonly url: string,
    readonly protocols: string[] = [],
  ) {
    let failed = false;
    const result = api.connectSocket({
      url,
      protocols,
      fail: (e) => {
        failed = true;
        this.fail(e.errMsg ?? 'connectSocket failed');
      },
    });
    taskOf(result).then(
      (task) => {
        if (!task) {
          if (!failed) this.fail('connectSocket returned no SocketTask');
          return;
        }
        this.attach(task);
      },
      (e: unknown) => {
        this.fail(e instanceof Error ? e.message : String((e as { errMsg?: string } | null)?.errMsg ?? e));
      },
    );
  }

  private attach(task: SocketTaskLike): void {
    this.task = task;
    task.onOpen(() => {
      if (this.readyState !== CONNECTING) return;
      if (this.closeWanted) {
        this.close();
        return;
      }
      this.readyState = OPEN;
      this.onopen?.({ type: 'open' });
    });
    task.onMessage((res) => {
      if (this.readyState !== OPEN) return;
      // MQTT over WebSocket is binary frames only; a text frame closes the connection [MQTT-6.0.0-1].
      if (typeof res.data === 'string') {
        this.fail('text frame on an MQTT connection');
        settle(task.close({ code: 1003, reason: 'binary frames only' }));
        return;
      }
      this.onmessage?.({ type: 'message', data: toArrayBuffer(res.data) });
    });
    task.onError((res) => {
      if (this.readyState === CLOSED) return;
      this.onerror?.({ type: 'error', message: res.errMsg ?? 'socket error' });
    });
    task.onClose((res) => {
      this.finish(res.code ?? 1006, res.reason ?? '');
    });
    if (this.closeWanted && this.readyState === CONNECTING) this.close();
  }

  private fail(message: string): void {
    if (this.readyState === CLOSED) return;
    this.onerror?.({ type: 'error', message });
    this.finish(1006, message);
  }

  private finish(code: number, reason: string): void {
    if (this.readyState === CLOSED) return;
    this.readyState = CLOSED;
    this.onclose?.({ type: 'close', code, reason, wasClean: code === 1000 });
  }

  send(data: unknown): void {
    if (this.readyState !== OPEN || !this.task) throw new Error('socket is not open');
    this.task.send({
      data: exactBuffer(data),
      fail: (e) => {
        this.fail(e && typeof e === 'object' && 'errMsg' in e ? String(e.errMsg) : 'send failed');
      },
    });
  }

  close(code = 1000, reason = ''): void {
    if (this.readyState === CLOSED || this.readyState === CLOSING) return;
    if (!this.task) {
      this.closeWanted = true;
      return;
    }
    this.readyState = CLOSING;
    const task = this.task;
    settle(
      task.close({
        code,
        reason,
        fail: () => {
          this.finish(1006, 'close failed');
        },
      }),
    );
    // Some runtimes never call onClose for a socket closed before it opened: do not wait for it.
    setTimeout(() => {
      this.finish(code, reason);
    }, 3_000);
  }
}
