// Browser implementations of sdk-core's injected platform pieces: storage, HTTP and the network state.
import { createFetchHttp, type Http, type KeyValueStorage } from '@kefu/sdk-core';

/** The part of the Web Storage API used here (window.localStorage, or a test's object). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const defaultStorage = (): StorageLike | undefined =>
  (globalThis as { localStorage?: StorageLike }).localStorage;

/**
 * KeyValueStorage over localStorage, every key under `prefix`. Merely reading `window.localStorage` throws
 * when the host blocks storage, and `setItem` throws in Safari's old private mode or over quota: then the
 * value is kept in memory for this page's lifetime (per key, so one oversized value does not stop others
 * from persisting). Never throws into the host page.
 */
export function createLocalStorage(
  prefix: string,
  getStorage: () => StorageLike | null | undefined = defaultStorage,
): KeyValueStorage {
  if (typeof prefix !== 'string' || prefix === '') {
    throw new TypeError('createLocalStorage: prefix must be a non-empty string');
  }
  if (typeof getStorage !== 'function') {
    throw new TypeError('createLocalStorage: getStorage must be a function');
  }
  // Writes localStorage refused; null marks a removal it refused (so a stale stored value stays hidden).
  const unsaved = new Map<string, string | null>();
  const storage = (): StorageLike => {
    const s = getStorage();
    if (!s) throw new Error('no localStorage');
    return s;
  };
  const checkKey = (key: unknown): string => {
    if (typeof key !== 'string') throw new TypeError('storage key must be a string');
    return prefix + key;
  };
  return {
    get: (key) =>
      new Promise((resolve) => {
        const k = checkKey(key);
        if (unsaved.has(k)) {
          resolve(unsaved.get(k) ?? null);
          return;
        }
        try {
          const value = storage().getItem(k);
          resolve(typeof value === 'string' ? value : null);
        } catch {
          resolve(null);
        }
      }),
    set: (key, value) =>
      new Promise((resolve) => {
        const k = checkKey(key);
        if (typeof value !== 'string') throw new TypeError('storage value must be a string');
        try {
          storage().setItem(k, value);
          unsaved.delete(k);
        } catch {
          unsaved.set(k, value);
        }
        resolve();
      }),
    remove: (key) =>
      new Promise((resolve) => {
        const k = checkKey(key);
        try {
          storage().removeItem(k);
          unsaved.delete(k);
        } catch {
          unsaved.set(k, null);
        }
        resolve();
      }),
  };
}

/** The fetch signature used here: the browser's (and Node 18+'s) global fetch satisfies it. */
export type FetchFunction = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface BrowserHttpOptions {
  /** Defaults to the global fetch, looked up at each request (hosts may polyfill it late). */
  fetch?: FetchFunction;
  /** Aborts a request (including reading its body) after this long. Default 15 s. */
  timeoutMs?: number;
}

/** sdk-core Http over fetch, with a timeout: a hung request must not stall the client's connect loop. */
export function createBrowserHttp(options: BrowserHttpOptions = {}): Http {
  const timeoutMs = options.timeoutMs ?? 15_000;
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || timeoutMs > 2 ** 31 - 1) {
    throw new RangeError('createBrowserHttp: timeoutMs must be a positive number of milliseconds');
  }
  const fetchFn: FetchFunction =
    options.fetch ?? ((url, init) => (globalThis as unknown as { fetch: FetchFunction }).fetch(url, init));
  return async (request) => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort();
    }, timeoutMs);
    try {
      return await createFetchHttp((url, init) => fetchFn(url, { ...init, signal: controller.signal }))(
        request,
      );
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    } finally {
      clearTimeout(timer);
    }
    throw new Error(`${request.method} ${request.url} timed out after ${String(timeoutMs)} ms`);
  };
}

/** Calls `onChange` on the window's offline and online events; returns how to stop. */
export function watchBrowserNetwork(onChange: (online: boolean) => void): () => void {
  const online = (): void => {
    onChange(true);
  };
  const offline = (): void => {
    onChange(false);
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', offline);
  return () => {
    window.removeEventListener('online', online);
    window.removeEventListener('offline', offline);
  };
}
