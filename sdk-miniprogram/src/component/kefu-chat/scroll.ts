// Where the list scrolls (`scroll-into-view`): to the newest item when it arrives and the customer is at
// the bottom (or sent it), to the old top item after an older page was put above it, else where it was.
import type { View } from './patch.js';

function anchorText(item: View | undefined): string {
  const a = item?.['anchor'];
  return typeof a === 'string' ? a : '';
}

/** The scroll-into-view target after `prev` became `next`; `current` when nothing asks to move. */
export function nextAnchor(prev: View[], next: View[], stick: boolean, current: string): string {
  const last = next[next.length - 1];
  const first = next[0];
  if (!last || !first) return current;
  const prevLast = prev[prev.length - 1];
  if (prevLast?.['key'] !== last['key'] && (stick || last['mine'] === true || !prevLast))
    return anchorText(last);
  const prevFirst = prev[0];
  if (prevFirst && prevFirst['key'] !== first['key'] && prevLast?.['key'] === last['key'])
    return anchorText(prevFirst);
  return current;
}
