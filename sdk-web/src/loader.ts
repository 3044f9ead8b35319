// Loader entry (IIFE). It only installs the global command queue for now: calls made before the widget
// loads are queued in `Kefu.q` and replayed by the widget (DESIGN.md §6).
interface KefuGlobal {
  q: unknown[][];
}

const host = window as unknown as { Kefu?: KefuGlobal };
host.Kefu = host.Kefu ?? { q: [] };
