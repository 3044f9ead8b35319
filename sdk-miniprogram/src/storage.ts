// sdk-core's KeyValueStorage over the platform's synchronous storage (wx/uni/Taro getStorageSync…).
// Storage can fail (quota: 10 MB per mini-program, 1 MB per key): the value is then kept in memory for
// this run, per key, and the client goes on.
import type { KeyValueStorage } from '@kefu/sdk-core';
import type { MiniProgramApi } from './api.js';

export function createMiniProgramStorage(api: MiniProgramApi, prefix: string): KeyValueStorage {
  if (typeof prefix !== 'string' || prefix === '')
    throw new TypeError('storage prefix must be a non-empty string');
  const unsaved = new Map<string, string | null>();
  const key = (k: string): string => {
    if (typeof k !== 'string') throw new TypeError('storage key must be a string');
    return prefix + k;
  };
  return {
    get: (k) => {
      const full = key(k);
      if (unsaved.has(full)) return Promise.resolve(unsaved.get(full) ?? null);
      try {
        const value = api.getStorageSync(full);
        // A missing key reads as '' on wx and uni, undefined on some Taro targets.
        return Promise.resolve(typeof value === 'string' && value !== '' ? value : null);
      } catch {
        return Promise.resolve(null);
      }
    },
    set: (k, value) => {
      const full = key(k);
      if (typeof value !== 'string') return Promise.reject(new TypeError('storage value must be a string'));
      try {
        api.setStorageSync(full, value);
        unsaved.delete(full);
      } catch {
        unsaved.set(full, value);
      }
      return Promise.resolve();
    },
    remove: (k) => {
      const full = key(k);
      try {
        api.removeStorageSync(full);
        unsaved.delete(full);
      } catch {
        unsaved.set(full, null);
      }
      return Promise.resolve();
    },
  };
}

/** Removes every stored key starting with `prefix` (logout). */
export function clearMiniProgramStorage(api: MiniProgramApi, prefix: string): Promise<void> {
  try {
    const keys = api.getStorageInfoSync?.().keys ?? [];
    for (const k of keys) if (k.startsWith(prefix)) api.removeStorageSync(k);
  } catch {
    // Storage unavailable: nothing was persisted.
  }
  return Promise.resolve();
}
