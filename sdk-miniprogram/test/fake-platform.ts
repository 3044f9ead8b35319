// A stand-in for the mini-program API (`wx`, `uni`, `Taro`), built from their documented contracts, because
// WeChat's runtime cannot run here. Its network is real: connectSocket opens a real WebSocket (the `ws`
// package) to the real broker, request and uploadFile are real HTTP (fetch) to the real server. Only the
// call shapes are emulated: wx returns tasks, uni returns tasks when given callbacks, Taro returns
// Promises (connectSocket: a Promise of the task; uploadFile: a Promise with the task's methods mixed in).
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { WebSocket } from 'ws';
import type { MiniProgramApi, RequestResult, SocketTaskLike, UploadResultRaw } from '../src/api.js';

export type Flavour = 'wx' | 'uni' | 'taro';

interface Callbacks<R> {
  success?: (r: R) => void;
  fail?: (e: { errMsg: string }) => void;
  complete?: () => void;
}

export interface FakePlatform extends MiniProgramApi {
  flavour: Flavour;
  storage: Map<string, string>;
  /** Every socket opened, newest last (tests cut them to simulate network loss). */
  sockets: WebSocket[];
  /** Makes the next N setStorageSync calls throw (quota exceeded). */
  failStorageWrites: number;
  getStorageInfoSync(): { keys: string[] };
  /**
   * Fires WeChat's network status event. While disconnected new sockets cannot connect (open ones stay
   * up, as a dead connection does until something notices).
   */
  setNetwork(connected: boolean): void;
}

function socketTask(url: string, protocols: string[] | undefined, sockets: WebSocket[]): SocketTaskLike {
  const ws = new WebSocket(url, protocols);
  ws.binaryType = 'arraybuffer';
  sockets.push(ws);
  return {
    send: ({ data, success, fail }) => {
      if (ws.readyState !== WebSocket.OPEN) {
        fail?.({ errMsg: 'sendSocketMessage:fail socket is not connected' });
        return;
      }
      // The documented contract: data is a string or an ArrayBuffer (not a view).
      if (
        typeof data !== 'string' &&
        !(data instanceof ArrayBuffer) &&
        Object.prototype.toString.call(data) !== '[object ArrayBuffer]'
      )
        throw new TypeError('SocketTask.send: data must be a string or an ArrayBuffer');
      // Bytes from another realm (the vm tests) are copied into a Buffer of this one.
      const bytes = typeof data === 'string' ? data : Buffer.from(new Uint8Array(data));
      ws.send(bytes, (err) => {
        if (err) fail?.({ errMsg: `sendSocketMessage:fail ${err.message}` });
        else success?.();
      });
    },
    close: ({ code, reason, success }) => {
      ws.close(code ?? 1000, reason);
      success?.();
    },
    onOpen: (fn) => {
      ws.on('open', () => {
        fn({ header: {} });
      });
    },
    onClose: (fn) => {
      ws.on('close', (code, reason) => {
        fn({ code, reason: reason.toString() });
      });
    },
    onError: (fn) => {
      ws.on('error', (err) => {
        fn({ errMsg: err.message });
      });
    },
    onMessage: (fn) => {
      ws.on('message', (data, isBinary) => {
        if (!isBinary) {
          fn({ data: (Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer)).toString('utf8') });
          return;
        }
        const buf = data as ArrayBuffer | Buffer;
        // The contract: binary frames arrive as ArrayBuffer.
        fn({ data: buf instanceof ArrayBuffer ? buf : new Uint8Array(buf).slice().buffer });
      });
    },
  };
}

export function createFakePlatform(flavour: Flavour = 'wx'): FakePlatform {
  const storage = new Map<string, string>();
  const sockets: WebSocket[] = [];
  const networkListeners = new Set<(r: { isConnected: boolean }) => void>();
  let connected = true;
  const api: FakePlatform = {
    flavour,
    storage,
    sockets,
    failStorageWrites: 0,
    connectSocket(options) {
      // Nothing listens on the discard port: the connection is refused, as without a network.
      const url = connected ? options.url : 'ws://127.0.0.1:9/';
      const task = socketTask(url, options.protocols, sockets);
      if (flavour === 'taro') return Promise.resolve(task);
      if (flavour === 'uni' && !options.success && !options.fail && !options.complete) return undefined;
      return task;
    },
    request(options: Parameters<MiniProgramApi['request']>[0]) {
      const run = (async (): Promise<RequestResult> => {
        const res = await fetch(options.url, {
          method: options.method,
          headers: options.header,
          ...(options.data === undefined ? {} : { body: options.data }),
        });
        const text = await res.text();
        let data: unknown = text;
        if (options.dataType === undefined || options.dataType === 'json') {
          try {
            data = JSON.parse(text);
          } catch {
            data = text;
          }
        }
        return { statusCode: res.status, data };
      })();
      return finish(run, options, flavour);
    },
    uploadFile(options: Parameters<MiniProgramApi['uploadFile']>[0]) {
      const listeners: ((r: {
        progress: number;
        totalBytesSent: number;
        totalBytesExpectedToSend: number;
      }) => void)[] = [];
      const run = (async (): Promise<UploadResultRaw> => {
        const bytes = readFileSync(options.filePath);
        const form = new FormData();
        form.append(options.name, new Blob([bytes]), basename(options.filePath));
        for (const [k, v] of Object.entries(options.formData ?? {})) form.append(k, v);
        const total = bytes.length;
        for (const fn of listeners) fn({ progress: 0, totalBytesSent: 0, totalBytesExpectedToSend: total });
        const res = await fetch(options.url, { method: 'POST', headers: options.header, body: form });
        for (const fn of listeners)
          fn({ progress: 100, totalBytesSent: total, totalBytesExpectedToSend: total });
        return { statusCode: res.status, data: await res.text() };
      })();
      const task = {
        onProgressUpdate: (fn: (typeof listeners)[number]) => {
          listeners.push(fn);
        },
        abort: () => undefined,
      };
      const settled = finish(run, options, flavour);
      if (flavour === 'taro')
        return Object.assign(settled as Promise<UploadResultRaw>, {
          progress: task.onProgressUpdate,
          abort: task.abort,
        });
      return task;
    },
    getStorageSync(key) {
      return storage.get(key) ?? '';
    },
    setStorageSync(key, value) {
      if (api.failStorageWrites > 0) {
        api.failStorageWrites -= 1;
        throw new Error('setStorageSync:fail exceed storage max size 10Mb');
      }
      storage.set(key, value);
    },
    removeStorageSync(key) {
      storage.delete(key);
    },
    getStorageInfoSync() {
      return { keys: [...storage.keys()] };
    },
    onNetworkStatusChange(listener) {
      networkListeners.add(listener);
    },
    offNetworkStatusChange(listener) {
      networkListeners.delete(listener);
    },
    setNetwork(isConnected) {
      connected = isConnected;
      for (const fn of [...networkListeners]) fn({ isConnected });
    },
  };
  return api;
}

/** Calls the callbacks like the platforms do; Taro also returns a Promise (rejected on failure). */
function finish<R>(run: Promise<R>, cb: Callbacks<R>, flavour: Flavour): Promise<R> | undefined {
  const settled = run.then(
    (r) => {
      cb.success?.(r);
      cb.complete?.();
      return r;
    },
    (e: unknown) => {
      cb.fail?.({ errMsg: `request:fail ${e instanceof Error ? e.message : String(e)}` });
      cb.complete?.();
      throw e;
    },
  );
  if (flavour === 'taro') return settled;
  settled.catch(() => undefined);
  return undefined;
}
