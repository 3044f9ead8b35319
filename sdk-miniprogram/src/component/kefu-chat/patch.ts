// The smallest setData payload that turns the last rendered view into the next one. setData serialises
// its argument and sends it from the logic thread to the render thread, so its cost grows with the size of
// the payload (WeChat's performance guide): a new message sends `items[41]`, an upload's progress sends
// `items[40].meta`, not the whole list.

export type ViewValue = string | number | boolean | null | ViewValue[] | { [key: string]: ViewValue };
export type View = Record<string, ViewValue>;

function isObject(v: ViewValue): v is { [key: string]: ViewValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function same(a: ViewValue, b: ViewValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i] ?? null));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => k in b && same(a[k] ?? null, b[k] ?? null));
}

/**
 * Paths into arrays (`items[3]`) and objects (`items[3].meta`) down to `depth` levels. A list that shrank
 * is sent whole (setData cannot remove array elements by path), and so is one where most entries changed
 * (older messages prepended: every index shifts).
 */
function diffInto(out: View, path: string, prev: ViewValue, next: ViewValue, depth: number): void {
  if (same(prev, next)) return;
  if (depth > 0 && Array.isArray(prev) && Array.isArray(next) && next.length >= prev.length) {
    const changed = prev.filter((p, i) => !same(p, next[i] ?? null)).length;
    if (changed <= Math.max(2, prev.length / 2)) {
      next.forEach((n, i) => {
        diffInto(out, `${path}[${String(i)}]`, i < prev.length ? (prev[i] ?? null) : null, n, depth - 1);
      });
      return;
    }
  } else if (depth > 0 && isObject(prev) && isObject(next)) {
    const keys = Object.keys(next);
    if (Object.keys(prev).every((k) => k in next)) {
      for (const k of keys) diffInto(out, `${path}.${k}`, prev[k] ?? null, next[k] ?? null, depth - 1);
      return;
    }
  }
  out[path] = next;
}

/** The setData payload from `prev` to `next` (top-level keys, then `depth` levels inside). */
export function diffView(prev: View, next: View, depth = 2): View {
  const out: View = {};
  for (const key of Object.keys(next)) {
    if (!(key in prev)) out[key] = next[key] ?? null;
    else diffInto(out, key, prev[key] ?? null, next[key] ?? null, depth);
  }
  return out;
}
