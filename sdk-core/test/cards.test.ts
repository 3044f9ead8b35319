import { describe, expect, it } from 'vitest';
import { kefu } from '@kefu/proto';
import { HttpError, httpError, orderContent, productContent, voiceContent } from '../src/index.js';

describe('customer UI content helpers', () => {
  it("reads the server's error body into HttpError (code and message), whatever its shape", () => {
    const e = httpError(400, {
      error: { code: 'validation_failed', message: 'phone is not a phone number' },
    });
    expect(e).toBeInstanceOf(HttpError);
    expect(e.message).toBe('phone is not a phone number');
    expect(e.code).toBe('validation_failed');
    expect(e.status).toBe(400);
    expect(httpError(403, { error: 'forbidden' }).message).toBe('forbidden');
    for (const body of [null, {}, { error: 42 }, { error: { message: { nested: true } } }, 'text'])
      expect(httpError(502, body).message).toBe('HTTP 502');
  });

  it('coerces what host code passes into card fields (strings for numbers, junk to defaults)', () => {
    const p = productContent({
      id: 7 as unknown as string,
      title: '杯',
      price_fen: '990' as unknown as number,
      points: NaN,
    });
    expect(p.product).toMatchObject({ id: '7', title: '杯', priceFen: 990, points: 0, image: '', url: '' });
    const o = orderContent({
      order_no: 'O1',
      status: 99,
      total_fen: '12.6' as unknown as number,
      goods: 'x' as never,
    });
    expect(o.order).toMatchObject({
      orderNo: 'O1',
      status: kefu.v1.OrderStatus.ORDER_STATUS_CUSTOM,
      totalFen: 13,
      items: [],
    });
  });

  it("prefers the server's measured voice duration over the recorder's", () => {
    const up = { upload_id: 'U', url: '/u', signed_url: '/u?s', size_bytes: 10, mime_type: 'audio/mpeg' };
    expect(voiceContent({ ...up, duration_ms: 2049.6 }, 1800).voice?.durationMs).toBe(2050);
    expect(voiceContent(up, 1800).voice?.durationMs).toBe(1800);
  });
});
