// IIFE entry (kefu-loader.js): replays the commands queued by the embed snippet, then replaces the queue
// function with the real one. The panel (kefu-panel.js, an ES module next to this file) is imported on
// demand. The only global is `Kefu` (DESIGN.md §6).
import { createWidget } from './widget/controller.js';
import type { PanelModule } from './widget/types.js';

type Queued = ArrayLike<unknown>;
interface KefuStub {
  (...args: unknown[]): unknown;
  q?: Queued[];
  loaded?: boolean;
}

const w = window as unknown as { Kefu?: KefuStub | { q?: Queued[]; loaded?: boolean } };
const existing = w.Kefu;
if (!existing?.loaded) {
  const script = document.currentScript as HTMLScriptElement | null;
  const base = script?.src ?? '';
  // Resolved on first use, so a bad base (inline copy of the loader) becomes a `load_failed` event.
  const widget = createWidget(
    () =>
      import(
        /* webpackIgnore: true */ new URL('kefu-panel.js', base || location.href).href
      ) as Promise<PanelModule>,
  );
  const queue = existing?.q ?? [];
  const kefu: KefuStub = (...args: unknown[]) => {
    const [name, ...rest] = args;
    return widget.command(String(name), ...rest);
  };
  kefu.loaded = true;
  w.Kefu = kefu;
  for (const call of queue) kefu(...Array.from(call));
}
