// A tiny observable store: the workbench state lives outside components, which subscribe to it.
import { useEffect, useReducer, useRef } from 'preact/hooks';

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

/**
 * The selected slice of the store, re-rendering when it changes (compared by identity). The selector is
 * read afresh on every render: components select by props (the open conversation's id), and a selector
 * captured once kept showing the first conversation's messages after another was clicked.
 */
export function useStore<S extends object, T>(store: Store<S>, select: (s: S) => T): T {
  const value = select(store.state);
  const latest = useRef({ select, value });
  latest.current = { select, value };
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(
    () =>
      store.subscribe(() => {
        if (!Object.is(latest.current.select(store.state), latest.current.value)) rerender(undefined);
      }),
    [store],
  );
  return value;
}
