import { describe, expect, it } from 'vitest';
import {
  formatFileSize,
  formatMessageTime,
  formatPrice,
  needsTimeDivider,
  orderContent,
  orderTotalText,
  productPriceText,
  timeDividers,
} from '../src/index.js';

// Local times: the helpers format in the device's time zone, so the fixtures are built in it too.
const at = (y: number, mo: number, d: number, h: number, mi: number): number =>
  new Date(y, mo - 1, d, h, mi).getTime();

describe('card prices', () => {
  it('shows points-only, cash-only and mixed totals, never "¥0.00"', () => {
    expect(orderTotalText({ totalFen: 0, totalPoints: 1200 })).toBe('合计 1200 积分');
    expect(orderTotalText({ totalFen: 990, totalPoints: 1200 })).toBe('合计 ¥9.90 + 1200 积分');
    expect(orderTotalText({ totalFen: 990 })).toBe('合计 ¥9.90');
    expect(orderTotalText({ totalFen: 0 })).toBe('');
    expect(orderTotalText({ totalFen: 0, totalPoints: 1200 }, 'en')).toBe('Total 1200 points');
    expect(orderTotalText({ totalFen: 4900, totalPoints: 9800 }, 'en')).toBe('Total ¥49.00 + 9800 points');
    expect(formatPrice('990', 'x')).toBe('¥9.90');
  });

  it('carries the points of an order the host describes into the card', () => {
    const o = orderContent({ order_no: 'JF1', status: 5, total_fen: 0, total_points: 1200 });
    expect(orderTotalText(o.order ?? {})).toBe('合计 1200 积分');
    expect(orderContent({ order_no: 'JF2', status: 5, total_fen: 100 }).order).not.toHaveProperty(
      'totalPoints',
    );
  });

  it("prefers a product's own label, else its points and cash", () => {
    expect(productPriceText({ label: '限时 999 积分', points: 1200 })).toBe('限时 999 积分');
    expect(productPriceText({ points: 1200, priceFen: 0 })).toBe('1200 积分');
    expect(productPriceText({ points: 1200, priceFen: 990 }, 'en')).toBe('¥9.90 + 1200 points');
  });

  it('writes file sizes for people', () => {
    expect(formatFileSize(532)).toBe('532 B');
    expect(formatFileSize(12_595)).toBe('12 KB');
    expect(formatFileSize(2_048)).toBe('2.0 KB');
    expect(formatFileSize(1_258_291)).toBe('1.2 MB');
  });
});

describe('message times', () => {
  const now = at(2026, 12, 7, 18, 0);

  it('shows the time today, the date before, and the year before this year', () => {
    expect(formatMessageTime(at(2026, 12, 7, 14, 5), now)).toBe('14:05');
    expect(formatMessageTime(at(2026, 12, 6, 14, 5), now)).toBe('12月6日 14:05');
    expect(formatMessageTime(at(2025, 3, 9, 8, 0), now)).toBe('2025年3月9日 08:00');
    expect(formatMessageTime(at(2026, 12, 7, 9, 30), now, 'en')).toBe('09:30');
    expect(formatMessageTime(at(2026, 12, 6, 14, 5), now, 'en')).toBe('Dec 6, 14:05');
    expect(formatMessageTime(at(2025, 3, 9, 8, 0), now, 'en')).toBe('Mar 9, 2025, 08:00');
  });

  it('divides after five minutes of silence or when the day changes', () => {
    const t0 = at(2026, 12, 7, 14, 0);
    expect(needsTimeDivider(undefined, t0)).toBe(true);
    expect(needsTimeDivider(t0, t0 + 4 * 60_000 + 59_000)).toBe(false);
    expect(needsTimeDivider(t0, t0 + 5 * 60_000)).toBe(true);
    expect(needsTimeDivider(at(2026, 12, 6, 23, 58), at(2026, 12, 7, 0, 1))).toBe(true);
    expect(needsTimeDivider(t0, 0)).toBe(false);
  });

  it('places dividers by index, skipping items without a time', () => {
    const t0 = at(2026, 12, 7, 14, 0);
    const items = [t0, t0 + 60_000, 0, t0 + 10 * 60_000, t0 + 11 * 60_000];
    expect([...timeDividers(items, (x) => x)]).toEqual([
      [0, t0],
      [3, t0 + 10 * 60_000],
    ]);
  });
});
