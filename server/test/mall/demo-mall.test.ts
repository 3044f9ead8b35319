import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors.js';
import {
  createDemoMall,
  createMall,
  DEMO_PRODUCT_IDS,
  mallUserIdOf,
} from '../../src/integration/mall/index.js';

describe('createDemoMall', () => {
  const mall = createDemoMall();

  it('has a fixed catalog of points-mall products with Chinese names and relative image paths', async () => {
    expect(DEMO_PRODUCT_IDS.length).toBeGreaterThanOrEqual(6);
    expect(DEMO_PRODUCT_IDS.length).toBeLessThanOrEqual(10);
    const p = await mall.getProduct('p1001');
    expect(p).toEqual({
      id: 'p1001',
      title: '小米充电宝 10000mAh',
      description: '双向快充，轻薄便携',
      imageUrl: '/img/p1001.svg',
      url: '/products/p1001',
      points: 1200,
      priceFen: 990,
      label: '1200 积分 + ¥9.90',
    });
    for (const id of DEMO_PRODUCT_IDS) {
      const product = await mall.getProduct(id);
      expect(product.title).toMatch(/[\u4e00-\u9fff]/);
      expect(product.imageUrl).toBe(`/img/${id}.svg`);
      expect(product.points).toBeGreaterThan(0);
    }
    expect((await mall.getProduct('p1002')).label).toBe('800 积分');
  });

  it('refuses an unknown product with NotFoundError', async () => {
    await expect(mall.getProduct('nope')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('gives every customer the same orders on every call and every instance', async () => {
    const first = await mall.listOrders('u_10086', { limit: 20 });
    expect(await createDemoMall().listOrders('u_10086', { limit: 20 })).toEqual(first);
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(first.length).toBeLessThanOrEqual(6);
    // Another customer gets other order numbers.
    const other = await mall.listOrders('u_10087', { limit: 20 });
    expect(other.map((o) => o.orderNo)).not.toEqual(expect.arrayContaining([first[0]?.orderNo]));
  });

  it('returns orders newest first, well-formed, in various statuses', async () => {
    const statuses = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const orders = await mall.listOrders(`u_user${String(i)}`, { limit: 20 });
      const times = orders.map((o) => o.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
      for (const o of orders) {
        statuses.add(o.status);
        expect(o.statusText).not.toBe('');
        expect(Number.isInteger(o.totalFen) && o.totalFen >= 0).toBe(true);
        expect(o.goods.length).toBeGreaterThan(0);
        expect(o.goodsCount).toBe(o.goods.reduce((n, g) => n + g.qty, 0));
        expect(o.goods[0]?.pictureUrl).toMatch(/^\/img\/p\d+\.svg$/);
        expect(o.url).toBe(`/orders/${o.orderNo}`);
      }
    }
    expect(statuses.size).toBeGreaterThanOrEqual(5);
  });

  it('honours the limit and finds a customer’s own order only', async () => {
    expect(await mall.listOrders('u_10086', { limit: 2 })).toHaveLength(2);
    const [order] = await mall.listOrders('u_10086', { limit: 1 });
    expect(order).toBeDefined();
    expect(await mall.getOrder('u_10086', order?.orderNo ?? '')).toEqual(order);
    await expect(mall.getOrder('u_10087', order?.orderNo ?? '')).rejects.toBeInstanceOf(NotFoundError);
    await expect(mall.getOrder('u_10086', 'DM-nope')).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('mall helpers', () => {
  it('createMall without configuration is the demo mall', async () => {
    expect((await createMall(undefined).getProduct('p1003')).title).toBe('星巴克 50 元电子券');
  });

  it('maps customer uids to mall user ids; visitors have none', () => {
    expect(mallUserIdOf('u_10086')).toBe('10086');
    expect(mallUserIdOf('v_abc')).toBeUndefined();
    expect(mallUserIdOf('u_')).toBeUndefined();
  });
});
