// The part of the mini-program API (`wx`, `uni`, `Taro`) the SDK uses, typed structurally: the three
// objects differ in whether an API returns its task, a Promise of it, or a Promise with the task's methods
// mixed in (Taro), so every call passes callbacks and reads the result with `taskOf`.

export interface SocketTaskLike {
  send(options: { data: ArrayBuffer | string; success?: () => void; fail?: (e: unknown) => void }): void;
  /** Taro returns a Promise. */
  close(options: {
    code?: number;
    reason?: string;
    success?: () => void;
    fail?: (e: unknown) => void;
  }): unknown;
  onOpen(listener: (result: unknown) => void): void;
  onClose(listener: (result: { code?: number; reason?: string }) => void): void;
  onError(listener: (result: { errMsg?: string }) => void): void;
  onMessage(listener: (result: { data: ArrayBuffer | string }) => void): void;
}

export interface UploadTaskLike {
  onProgressUpdate?(listener: (result: { progress: number }) => void): void;
  /** Taro's name for it on the Promise it returns. */
  progress?(listener: (result: { progress: number }) => void): void;
  abort?(): void;
}

interface Callbacks<R> {
  success?: (result: R) => void;
  fail?: (error: { errMsg?: string }) => void;
  complete?: () => void;
}

export interface RequestResult {
  statusCode: number;
  data: unknown;
}

export interface UploadResultRaw {
  statusCode: number;
  data: string;
}

export interface RecorderManagerLike {
  start(options: {
    duration?: number;
    sampleRate?: number;
    numberOfChannels?: number;
    encodeBitRate?: number;
    format?: string;
  }): void;
  stop(): void;
  onStart?(listener: () => void): void;
  onStop(listener: (result: { tempFilePath: string; duration?: number; fileSize?: number }) => void): void;
  onError(listener: (result: { errMsg?: string }) => void): void;
}

export interface InnerAudioContextLike {
  src: string;
  play(): void;
  stop(): void;
  destroy(): void;
  onEnded(listener: () => void): void;
  onError(listener: (result: { errMsg?: string; errCode?: number }) => void): void;
  onPlay?(listener: () => void): void;
}

/** `wx`, `uni` or `Taro`: what the SDK calls on it. */
export interface MiniProgramApi {
  connectSocket(
    options: { url: string; protocols?: string[]; timeout?: number } & Callbacks<unknown>,
  ): SocketTaskLike | Promise<SocketTaskLike> | undefined;
  request(
    options: {
      url: string;
      method: string;
      header: Record<string, string>;
      data?: string;
      dataType?: string;
      responseType?: string;
      timeout?: number;
    } & Callbacks<RequestResult>,
  ): unknown;
  uploadFile(
    options: {
      url: string;
      filePath: string;
      name: string;
      header: Record<string, string>;
      formData?: Record<string, string>;
      timeout?: number;
    } & Callbacks<UploadResultRaw>,
  ): unknown;
  getStorageSync(key: string): unknown;
  setStorageSync(key: string, value: string): void;
  removeStorageSync(key: string): void;
  getStorageInfoSync?(): { keys: string[] };
  getRecorderManager?(): RecorderManagerLike;
  createInnerAudioContext?(): InnerAudioContextLike;
  /** WeChat ≥ 2.9.3 has the `off`; without it the listener stays for the mini-program's life. */
  onNetworkStatusChange?(listener: (r: { isConnected: boolean }) => void): void;
  offNetworkStatusChange?(listener: (r: { isConnected: boolean }) => void): void;
}

function isThenable(x: unknown): x is Promise<unknown> {
  return typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * What an API call gave back, without unhandled rejections: Taro returns Promises (rejected on failure,
 * which the `fail` callback already reports), wx and uni the task itself when a callback is passed.
 */
export function settle(result: unknown): void {
  if (isThenable(result)) result.then(undefined, () => undefined);
}

/** The task an API returned directly or through a Promise. */
export async function taskOf<T>(result: T | Promise<T> | undefined): Promise<T | undefined> {
  if (isThenable(result)) return await result;
  return result;
}

/** Checks the platform object up front, so a wrong argument fails at creation, not mid-connection. */
export function checkApi(api: unknown): MiniProgramApi {
  const a = api as Partial<Record<keyof MiniProgramApi, unknown>> | null | undefined;
  const needed = [
    'connectSocket',
    'request',
    'uploadFile',
    'getStorageSync',
    'setStorageSync',
    'removeStorageSync',
  ];
  const missing = needed.filter((k) => typeof a?.[k as keyof MiniProgramApi] !== 'function');
  if (!a || missing.length)
    throw new TypeError(
      `kefu: pass the platform object (wx, uni or Taro); missing ${missing.join(', ') || 'the object'}`,
    );
  return a as MiniProgramApi;
}
