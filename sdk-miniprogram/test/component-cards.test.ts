// <kefu-chat>'s product bar and cards against the real server: the host's product sent from the bar,
// product and order cards drawn from the wire (prices in yuan or points, order totals in points and/or
// cash by sdk-core, order status by code, goods pictures), taps that tell the host where to go.
// Setup: component-harness.ts.
import { describe, expect, it } from 'vitest';
import { kefu } from '@kefu/proto';
import { attr, waitFor, useComponentEnv } from './component-harness.js';
import { signed } from './fixtures.js';

describe('<kefu-chat> cards', () => {
  const env = useComponentEnv('miniprogram-cards');

  it('sends the product from the product bar, renders product and order cards, taps emit navigate', async () => {
    const product = {
      id: 'p1001',
      title: '蓝牙降噪耳机',
      image: '/static/p1001.png',
      price_fen: 19900,
      points: 0,
      url: 'https://mall.example.com/products/p1001',
    };
    const m = env.mount({ server: env.server.url, identity: signed('mp_cards'), product });
    await env.shows(m, '蓝牙降噪耳机', '.kc-product');
    expect(m.text('.kc-product .kc-price')).toBe('¥199.00');
    m.tap('.kc-product-send');
    const card = await env.agentGot(
      'the product card',
      (x) => x.sender?.uid === 'u_mp_cards' && !!x.content?.product,
    );
    const conversationId = card.conversationId ?? '';
    env.conversations.push(conversationId);
    expect(card.content?.product).toMatchObject({
      id: 'p1001',
      title: '蓝牙降噪耳机',
      priceFen: 19900,
      url: product.url,
    });
    await waitFor('the bar gone', () => (m.all('.kc-product').length === 0 ? true : undefined));
    await env.shows(m, '¥199.00', '.kc-product-card');
    m.tap('.kc-product-card');
    expect(await waitFor('navigate', () => m.event('navigate')[0])).toEqual({
      kind: 'product',
      id: 'p1001',
      url: product.url,
    });

    await env.admin.send(conversationId, {
      order: {
        orderNo: 'O-20240301-0001',
        status: kefu.v1.OrderStatus.ORDER_STATUS_AWAITING_SHIPMENT,
        totalFen: 1234,
        goodsCount: 2,
        items: [
          { name: '保温杯', image: '/static/cup.png', qty: 1 },
          { name: '茶叶', image: '/static/tea.png', qty: 1 },
        ],
        url: 'https://mall.example.com/orders/O-20240301-0001',
      },
    });
    await env.shows(m, '订单 O-20240301-0001', '.kc-order-card');
    expect(m.text('.kc-order-card')).toContain('待发货');
    expect(m.text('.kc-order-card .kc-order-summary')).toBe('保温杯 · 共 2 件 · 合计 ¥12.34');
    const goods = m.comp.querySelectorAll('.kc-order-card .kc-goods-image').map((n) => attr(n, 'src'));
    expect(goods).toEqual([`${env.server.url}/static/cup.png`, `${env.server.url}/static/tea.png`]);
    m.tap('.kc-order-card');
    await waitFor('order navigate', () => m.event('navigate')[1]);
    expect(m.event('navigate')[1]).toEqual({
      kind: 'order',
      id: 'O-20240301-0001',
      url: 'https://mall.example.com/orders/O-20240301-0001',
    });
  });

  it('shows points totals on order cards (points only, points and cash), never ¥0.00; prices in points on products', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_points') });
    await env.ready(m);
    await env.say(m, '积分订单');
    const conversationId = await env.conversationOf('u_mp_points');
    const order = (orderNo: string, totalFen: number, totalPoints: number) =>
      env.admin.send(conversationId, {
        order: {
          orderNo,
          status: kefu.v1.OrderStatus.ORDER_STATUS_COMPLETED,
          totalFen,
          totalPoints,
          goodsCount: 2,
          items: [{ name: '电饭煲', image: '/static/cooker.png', qty: 2 }],
        },
      });
    await order('JF-POINTS', 0, 7200);
    await order('JF-MIXED', 4900, 9800);
    await env.admin.send(conversationId, {
      product: { id: 'p2002', title: '积分兑换 保温杯', priceFen: 0, points: 1200 },
    });
    await env.shows(m, '积分兑换 保温杯', '.kc-product-card');
    const summaries = m.all('.kc-order-card .kc-order-summary');
    expect(summaries).toEqual([
      '电饭煲 · 共 2 件 · 合计 7200 积分',
      '电饭煲 · 共 2 件 · 合计 ¥49.00 + 9800 积分',
    ]);
    expect(m.text('.kc-list')).not.toContain('¥0.00');
    expect(m.text('.kc-product-card .kc-price')).toBe('1200 积分');
    // English: sdk-core's words.
    m.comp.setData({ locale: 'en' });
    await waitFor('English totals', () =>
      m.all('.kc-order-card .kc-order-summary')[0] === '电饭煲 · 2 items · Total 7200 points'
        ? true
        : undefined,
    );
    expect(m.text('.kc-product-card .kc-price')).toBe('1200 points');
  });
});
