// A tiny observable store: the workbench state lives outside components, which subscribe to it.
import { useEffect, useState } from 'preact/hooks';

export class Store<S extends object> {
  private listeners = new Set<() => void>();

  constructor(private value: S) {}

  get state(): S {
    return this.value;
  }

  set(patch: Partial<S>): void {
    this.value = { ...this.value, ...patch };
    for (const fn of this.listeners) fn();
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }
}

/** Re-renders when the selected slice changes (compared by identity). */
export function useStore<S extends object, T>(store: Store<S>, select: (s: S) => T): T {
  const [value, setValue] = useState(() => select(store.state));
  useEffect(() => {
    const update = (): void => {
      setValue(() => select(store.state));
    };
    update();
    return store.subscribe(update);
  }, [store]);
  return value;
}
