// Preact binding for @tanstack/virtual-core: only the rows in view (plus overscan) are in the DOM, so
// a thread of 10,000 messages or a list of 500 conversations renders as fast as a short one.
import {
  Virtualizer,
  elementScroll,
  measureElement,
  observeElementOffset,
  observeElementRect,
  type VirtualizerOptions,
} from '@tanstack/virtual-core';
import { useLayoutEffect, useReducer, useState } from 'preact/hooks';

type Options = Pick<
  VirtualizerOptions<HTMLElement, HTMLElement>,
  'count' | 'getScrollElement' | 'estimateSize' | 'getItemKey' | 'overscan' | 'anchorTo' | 'followOnAppend'
>;

export function useVirtualizer(options: Options): Virtualizer<HTMLElement, HTMLElement> {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const full = (): VirtualizerOptions<HTMLElement, HTMLElement> => ({
    overscan: 8,
    ...options,
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    measureElement,
    onChange: () => {
      rerender(0);
    },
  });
  const [virtualizer] = useState(() => new Virtualizer<HTMLElement, HTMLElement>(full()));
  virtualizer.setOptions(full());
  useLayoutEffect(() => virtualizer._didMount(), []);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  return virtualizer;
}
