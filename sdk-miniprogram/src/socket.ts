// A WebSocket-shaped object over the platform's SocketTask, for mqtt.js's `createWebsocket` option. All
// state lives in the instance (mqtt.js's own `wx` builder keeps its socket at module level, so two clients
// in one mini-program — or a reconnect racing the old socket's close — would share one socket).
import { settle, taskOf, type MiniProgramApi, type SocketTaskLike } from './api.js';

type Handler = (event: unknown) => void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSING = 2;
const CLOSED = 3;

/** UTF-8 bytes of a string (mini-programs may lack TextEncoder). */
function utf8(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 1) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i += 1;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

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

/** Incoming data as an ArrayBuffer of this realm (mqtt.js checks `instanceof ArrayBuffer`, then Blob). */
function toArrayBuffer(data: unknown): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data;
  if (typeof data === 'string') return utf8(data).buffer as ArrayBuffer;
  if (ArrayBuffer.isView(data)) return exactBuffer(data) as ArrayBuffer;
  // Another realm's ArrayBuffer (e.g. a test's WebSocket): copy its bytes.
  const view = new Uint8Array(data as ArrayBufferLike);
  const copy = new Uint8Array(view.length);
  copy.set(view);
  return copy.buffer;
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
  binaryType = 'arraybuffer';
  /** SocketTask does not say; mqtt.js only uses it to pace writes. */
  readonly bufferedAmount = 0;
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
