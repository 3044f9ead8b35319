import { describe, expect, it } from 'vitest';
import { ORDER_STATUS_TEXT, formatYuan, kefu, priceLabel } from '../src/index.js';

const { OrderStatus } = kefu.v1;

describe('card texts', () => {
  it('names every OrderStatus by its value', () => {
    expect(ORDER_STATUS_TEXT).toHaveLength(Object.keys(OrderStatus).length);
    expect(ORDER_STATUS_TEXT[OrderStatus.ORDER_STATUS_CUSTOM]).toBe('自定义');
    expect(ORDER_STATUS_TEXT[OrderStatus.ORDER_STATUS_AWAITING_PAYMENT]).toBe('待付款');
    expect(ORDER_STATUS_TEXT[OrderStatus.ORDER_STATUS_AWAITING_SHIPMENT]).toBe('待发货');
    expect(ORDER_STATUS_TEXT[OrderStatus.ORDER_STATUS_IN_TRANSIT]).toBe('运输中');
    expect(ORDER_STATUS_TEXT[OrderStatus.ORDER_STATUS_OUT_FOR_DELIVERY]).toBe('派送中');
    expect(ORDER_STATUS_TEXT[OrderStatus.ORDER_STATUS_COMPLETED]).toBe('已完成');
    expect(ORDER_STATUS_TEXT[OrderStatus.ORDER_STATUS_AWAITING_REVIEW]).toBe('待评价');
    expect(ORDER_STATUS_TEXT[OrderStatus.ORDER_STATUS_CANCELLED]).toBe('已取消');
  });

  it('shows fen as yuan with two decimals', () => {
    expect(formatYuan(990)).toBe('¥9.90');
    expect(formatYuan(4900)).toBe('¥49.00');
    expect(formatYuan(0)).toBe('¥0.00');
  });

  // Moved here from the server's demo-mall test with the function.
  it('labels prices in points and yuan', () => {
    expect(priceLabel(1200, 990)).toBe('1200 积分 + ¥9.90');
    expect(priceLabel(800, 0)).toBe('800 积分');
    expect(priceLabel(800, undefined)).toBe('800 积分');
    expect(priceLabel(undefined, 4900)).toBe('¥49.00');
    expect(priceLabel(0, 0)).toBe('¥0.00');
  });
});
