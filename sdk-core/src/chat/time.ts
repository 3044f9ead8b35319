// When messages were sent, as chat apps show it: a time divider before a message when at least five
// minutes passed since the previous one or the day changed; "14:05" today, "12月6日 14:05" otherwise (with
// the year when it is not this year). Local time of the device.
import type { CustomerLocale } from './strings.js';

/** A new time divider after this much silence. */
export const TIME_DIVIDER_GAP_MS = 5 * 60_000;

const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad = (n: number): string => String(n).padStart(2, '0');

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** "14:05" today; "12月6日 14:05" / "Dec 6, 14:05" this year; with the year before. */
export function formatMessageTime(ms: number, nowMs: number, locale: CustomerLocale = 'zh-CN'): string {
  const d = new Date(ms);
  const now = new Date(nowMs);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (sameDay(d, now)) return time;
  const thisYear = d.getFullYear() === now.getFullYear();
  if (locale === 'en') {
    const day = `${EN_MONTHS[d.getMonth()] ?? ''} ${String(d.getDate())}`;
    return thisYear ? `${day}, ${time}` : `${day}, ${String(d.getFullYear())}, ${time}`;
  }
  const day = `${String(d.getMonth() + 1)}月${String(d.getDate())}日`;
  return thisYear ? `${day} ${time}` : `${String(d.getFullYear())}年${day} ${time}`;
}

/** Whether a divider goes before a message sent at `ms` that follows one sent at `previousMs`. */
export function needsTimeDivider(previousMs: number | undefined, ms: number): boolean {
  if (!ms) return false;
  if (previousMs === undefined || !previousMs) return true;
  return ms - previousMs >= TIME_DIVIDER_GAP_MS || !sameDay(new Date(previousMs), new Date(ms));
}

/**
 * The times (Unix ms) at which each item gets a divider, by index: `timeOf` says when an item was sent (0:
 * unknown, never divides). Items must be in display order.
 */
export function timeDividers<T>(items: readonly T[], timeOf: (item: T) => number): Map<number, number> {
  const out = new Map<number, number>();
  let previous: number | undefined;
  items.forEach((item, i) => {
    const ms = timeOf(item);
    if (!ms) return;
    if (needsTimeDivider(previous, ms)) out.set(i, ms);
    previous = ms;
  });
  return out;
}
