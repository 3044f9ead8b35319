// What mqtt.js's browser build expects of its global environment, which mini-programs lack (DESIGN.md §6):
// a `navigator` (its process shim reads navigator.language at load), a `self` carrying AbortController and
// AbortSignal (read at load by its stream code; absent in WeChat's JS engine). Installed once, only where
// missing, before mqtt.js is evaluated: this module is the bundle's first import.

type Listener = (event: { type: string }) => void;

class AbortSignalShim {
  aborted = false;
  reason: unknown = undefined;
  onabort: Listener | null = null;
  private readonly listeners = new Set<Listener>();
  addEventListener(type: string, fn: Listener): void {
    if (type === 'abort') this.listeners.add(fn);
  }
  removeEventListener(type: string, fn: Listener): void {
    if (type === 'abort') this.listeners.delete(fn);
  }
  throwIfAborted(): void {
    if (this.aborted) throw this.reason instanceof Error ? this.reason : new Error('aborted');
  }
  /** Called by its controller. */
  fire(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const event = { type: 'abort' };
    this.onabort?.(event);
    for (const fn of this.listeners) fn(event);
  }
}

class AbortControllerShim {
  readonly signal = new AbortSignalShim();
  abort(reason?: unknown): void {
    this.signal.fire(reason ?? new Error('This operation was aborted'));
  }
}

function globalObject(): Record<string, unknown> {
  // Every engine WeChat's supported base libraries run on has globalThis; without it, install nothing.
  return typeof globalThis === 'object' ? globalThis : {};
}

/** Installs what is missing; returns the names it installed (tests check it). */
export function installPolyfills(g: Record<string, unknown> = globalObject()): string[] {
  const installed: string[] = [];
  if (typeof g['navigator'] !== 'object' || g['navigator'] === null) {
    g['navigator'] = { userAgent: 'miniprogram', language: 'zh-CN', product: 'miniprogram' };
    installed.push('navigator');
  }
  if (typeof g['self'] !== 'object' || g['self'] === null) {
    g['self'] = g;
    installed.push('self');
  }
  const self = g['self'] as Record<string, unknown>;
  if (typeof self['AbortController'] !== 'function') {
    self['AbortController'] =
      typeof g['AbortController'] === 'function' ? g['AbortController'] : AbortControllerShim;
    installed.push('AbortController');
  }
  if (typeof self['AbortSignal'] !== 'function') {
    self['AbortSignal'] = typeof g['AbortSignal'] === 'function' ? g['AbortSignal'] : AbortSignalShim;
    installed.push('AbortSignal');
  }
  if (typeof g['AbortController'] !== 'function') g['AbortController'] = self['AbortController'];
  if (typeof g['AbortSignal'] !== 'function') g['AbortSignal'] = self['AbortSignal'];
  return installed;
}

installPolyfills();
