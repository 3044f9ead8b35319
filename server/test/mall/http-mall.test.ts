import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, UpstreamError, ValidationError } from '../../src/errors.js';
import { createHttpMall, fillTemplate, type MallAdapter } from '../../src/integration/mall/index.js';
import { fakeOrder, startFakeMall, type FakeMall } from './fake-mall.js';

// The mall is a third party's service we cannot run: `fake-mall.ts` serves the JSON contract documented
// in server/README.md on 127.0.0.1, and the adapter talks to it over real HTTP.
describe('createHttpMall', () => {
  let fake: FakeMall;
  let mall: MallAdapter;

  beforeAll(async () => {
    fake = await startFakeMall();
    mall = createHttpMall({
      productUrl: `${fake.base}/api/products/{id}`,
      ordersUrl: `${fake.base}/api/users/{user_id}/orders?limit={limit}`,
      orderUrl: `${fake.base}/api/users/{user_id}/orders/{order_no}`,
      apiToken: 'mall-secret-token',
      timeoutMs: 300,
    });
    fake.products.set('p1', {
      id: 'p1',
      title: '小米充电宝',
      description: '双向快充',
      image_url: 'https://img.mall.example/p1.png',
      url: 'https://mall.example/products/p1',
      points: 1200,
      price_fen: 990,
      label: '1200 积分 + ¥9.90',
      stock: 12, // not in the contract: ignored
    });
    fake.products.set('a/b c', {
      id: 'a/b c',
      title: '礼品卡',
      image_url: '/img/gift.png',
      url: '/products/gift',
      points: 500,
    });
    fake.orders.set('10086', [
      fakeOrder('O3', '2025-06-03T10:00:00+08:00', { status: 0, status_text: '退款处理中' }),
      fakeOrder('O2', '2025-06-02T10:00:00+08:00', {
        status: 5,
        status_text: '',
        goods: [{ name: '清风抽纸', picture_url: '/img/p2.png' }],
      }),
      fakeOrder('O1', '2025-06-01T10:00:00+08:00'),
    ]);
    fake.orders.set('user/with space', [fakeOrder('X 1/2', '2025-06-01T10:00:00Z')]);
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => {
    fake.mode = 'ok';
    fake.requests.length = 0;
  });

  it('reads a product and sends the bearer token', async () => {
    expect(await mall.getProduct('p1')).toEqual({
      id: 'p1',
      title: '小米充电宝',
      description: '双向快充',
      imageUrl: 'https://img.mall.example/p1.png',
      url: 'https://mall.example/products/p1',
      points: 1200,
      priceFen: 990,
      label: '1200 积分 + ¥9.90',
    });
    expect(fake.requests).toEqual([{ url: '/api/products/p1', authorization: 'Bearer mall-secret-token' }]);
  });

  it('URL-encodes ids containing "/" or spaces and fills in a missing label', async () => {
    const p = await mall.getProduct('a/b c');
    expect(p.title).toBe('礼品卡');
    expect(p.label).toBe('500 积分');
    expect(p.description).toBeUndefined();
    expect(fake.requests[0]?.url).toBe('/api/products/a%2Fb%20c');
    const orders = await mall.listOrders('u_user/with space', { limit: 5 });
    expect(orders.map((o) => o.orderNo)).toEqual(['X 1/2']);
    expect(await mall.getOrder('u_user/with space', 'X 1/2')).toEqual(orders[0]);
    expect(fake.requests.slice(1).map((r) => r.url)).toEqual([
      '/api/users/user%2Fwith%20space/orders?limit=5',
      '/api/users/user%2Fwith%20space/orders/X%201%2F2',
    ]);
  });

  it('refuses "." and ".." as template values (they would change the path)', async () => {
    await expect(mall.getProduct('..')).rejects.toBeInstanceOf(ValidationError);
    await expect(mall.getOrder('u_10086', '.')).rejects.toBeInstanceOf(ValidationError);
    expect(fake.requests).toEqual([]);
    expect(fillTemplate('https://m/{a}/{b}', { a: 'x y', b: '测试' })).toBe(
      'https://m/x%20y/%E6%B5%8B%E8%AF%95',
    );
  });

  it('lists recent orders newest first, with the limit and the mall user id', async () => {
    const orders = await mall.listOrders('u_10086', { limit: 2 });
    expect(fake.requests[0]?.url).toBe('/api/users/10086/orders?limit=2');
    expect(orders.map((o) => o.orderNo)).toEqual(['O3', 'O2']);
    expect(orders[0]).toMatchObject({ status: 0, statusText: '退款处理中', totalFen: 990, goodsCount: 1 });
    expect(orders[0]?.createdAt.toISOString()).toBe('2025-06-03T02:00:00.000Z');
    // Empty status_text of a known status gets its default text; a missing qty is 1.
    expect(orders[1]).toMatchObject({
      status: 5,
      statusText: '已完成',
      goods: [{ name: '清风抽纸', pictureUrl: '/img/p2.png', qty: 1 }],
    });
  });

  it('asks nothing for visitors: they have no mall account', async () => {
    expect(await mall.listOrders('v_0123456789', { limit: 5 })).toEqual([]);
    await expect(mall.getOrder('v_0123456789', 'O1')).rejects.toBeInstanceOf(NotFoundError);
    expect(fake.requests).toEqual([]);
  });

  it('turns 404 into NotFoundError', async () => {
    await expect(mall.getProduct('missing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(mall.getOrder('u_10086', 'O404')).rejects.toThrow('Unknown order');
    await expect(mall.listOrders('u_nobody', { limit: 5 })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('turns a timeout into UpstreamError', async () => {
    fake.mode = 'slow';
    const started = Date.now();
    await expect(mall.getProduct('p1')).rejects.toThrow(
      new UpstreamError('The mall did not answer within 300 ms'),
    );
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('turns a 500 into UpstreamError', async () => {
    fake.mode = 'error500';
    await expect(mall.listOrders('u_10086', { limit: 5 })).rejects.toThrow(
      new UpstreamError('The mall answered HTTP 500'),
    );
  });

  it('turns malformed JSON into UpstreamError', async () => {
    fake.mode = 'not-json';
    await expect(mall.getOrder('u_10086', 'O1')).rejects.toThrow(
      new UpstreamError('The mall answered something that is not JSON'),
    );
  });

  it('refuses JSON that breaks the contract instead of passing it on', async () => {
    fake.mode = 'off-contract';
    await expect(mall.getProduct('p1')).rejects.toThrow(/does not match the contract: image_url/);
    await expect(mall.listOrders('u_10086', { limit: 5 })).rejects.toThrow(
      /does not match the contract: orders\.0\.total_fen/,
    );
    await expect(mall.getOrder('u_10086', 'O1')).rejects.toBeInstanceOf(UpstreamError);
  });

  it('turns an unreachable mall into UpstreamError', async () => {
    const closed = await startFakeMall();
    await closed.close();
    const dead = createHttpMall({
      productUrl: `${closed.base}/api/products/{id}`,
      ordersUrl: `${closed.base}/o/{user_id}`,
      orderUrl: `${closed.base}/o/{user_id}/{order_no}`,
      timeoutMs: 1_000,
    });
    await expect(dead.getProduct('p1')).rejects.toThrow(/The mall could not be reached/);
  });
});
