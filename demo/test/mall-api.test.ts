// The mall's backend API for the Kefu server (products, orders): URLs, limits, errors as JSON, and the
// bearer token it may require (MALL_API_TOKEN).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMall } from '../src/index.js';
import { mall, signIn } from './helpers.js';
import { json, useMall } from './mall-api-env.js';

const m = useMall();

describe('mall backend API', () => {
  it('GET /api/products/:id returns the product with absolute URLs', async () => {
    const res = await fetch(`${m.url}/api/products/p1005`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      id: 'p1005',
      title: '无线静音鼠标',
      description: '2.4G 无线连接，静音按键，一节 AA 电池可用 18 个月。',
      image_url: `${m.url}/img/p1005.svg`,
      url: `${m.url}/products/p1005`,
      points: 2600,
      price_fen: 1990,
      label: '2600 积分 + ¥19.90',
    });
  });

  it('bases URLs on the public URL when one is configured', async () => {
    const other = await mall({ publicUrl: 'https://mall.example.com/' });
    try {
      const product = (await json(await fetch(`${other.url}/api/products/p1001`))) as {
        image_url: string;
        url: string;
      };
      expect(product.image_url).toBe('https://mall.example.com/img/p1001.svg');
      expect(product.url).toBe('https://mall.example.com/products/p1001');
    } finally {
      await other.stop();
    }
  });

  it('GET /api/users/:user_id/orders lists orders newest first, limited', async () => {
    const all = (await json(await fetch(`${m.url}/api/users/u1001/orders?limit=100`))) as {
      orders: { order_no: string; status: number; created_at: string; goods: unknown[] }[];
    };
    expect(all.orders).toHaveLength(8);
    const times = all.orders.map((o) => o.created_at);
    expect(times).toEqual([...times].sort().reverse());
    expect(all.orders.map((o) => o.status).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(all.orders[3]).toEqual({
      order_no: 'JF202611150004',
      status: 4,
      status_text: '派送中',
      total_fen: 1990,
      total_points: 6800,
      goods_count: 2,
      goods: [
        { name: '无线静音鼠标', picture_url: `${m.url}/img/p1005.svg`, qty: 1 },
        { name: '每日坚果礼盒 1.5kg', picture_url: `${m.url}/img/p1008.svg`, qty: 1 },
      ],
      url: `${m.url}/orders/JF202611150004`,
      created_at: '2026-11-15T06:30:00.000Z',
    });
    const custom = all.orders.find((o) => o.status === 0) as unknown as { status_text: string };
    expect(custom.status_text).toBe('退款中');
    const two = (await json(await fetch(`${m.url}/api/users/u1001/orders?limit=2`))) as { orders: unknown[] };
    expect(two.orders).toEqual(all.orders.slice(0, 2));
    const dflt = (await json(await fetch(`${m.url}/api/users/u1001/orders`))) as { orders: unknown[] };
    expect(dflt.orders).toHaveLength(8);
  });

  it('a user the mall does not know has no orders', async () => {
    const res = await fetch(`${m.url}/api/users/u404/orders?limit=5`);
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ orders: [] });
  });

  it("GET /api/users/:user_id/orders/:order_no returns the order, 404 for unknown or someone else's", async () => {
    const res = await fetch(`${m.url}/api/users/u1002/orders/JF202611220011`);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({
      order_no: 'JF202611220011',
      status: 3,
      status_text: '运输中',
      goods_count: 1,
    });
    for (const path of [
      '/api/users/u1002/orders/JF202611230001',
      '/api/users/u1002/orders/NOPE',
      '/api/users/u9/orders/JF202611220011',
    ]) {
      const missing = await fetch(`${m.url}${path}`);
      expect(missing.status, path).toBe(404);
      expect(((await json(missing)) as { error: { code: string } }).error.code).toBe('not_found');
    }
  });

  it('404 JSON for unknown products and routes, 405 for wrong methods', async () => {
    const product = await fetch(`${m.url}/api/products/p9999`);
    expect(product.status).toBe(404);
    expect(await json(product)).toEqual({ error: { code: 'not_found', message: 'No product p9999' } });
    const route = await fetch(`${m.url}/api/nothing`);
    expect(route.status).toBe(404);
    expect(((await json(route)) as { error: { code: string } }).error.code).toBe('not_found');
    const method = await fetch(`${m.url}/api/products/p1001`, { method: 'DELETE' });
    expect(method.status).toBe(405);
    expect(((await json(method)) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  it('refuses malformed ids and limits with 400 JSON', async () => {
    for (const path of [
      `/api/products/${'p'.repeat(65)}`,
      '/api/products/%3Cscript%3E',
      '/api/products/..%2F..%2Fetc%2Fpasswd',
      `/api/users/${'u'.repeat(300)}/orders`,
      '/api/users/u1001/orders/%27%20OR%201%3D1',
      '/api/users/u1001/orders?limit=0',
      '/api/users/u1001/orders?limit=101',
      '/api/users/u1001/orders?limit=abc',
      '/api/users/u1001/orders?limit=1&limit=2',
      '/api/users/u1001/orders?limit=-1',
    ]) {
      const res = await fetch(`${m.url}${path}`);
      expect(res.status, path).toBe(400);
      const body = (await json(res)) as { error: { code: string; message: string } };
      expect(body.error.code, path).toBe('bad_request');
      expect(body.error.message, path).toMatch(/must be/);
    }
  });
});

describe('mall backend API with MALL_API_TOKEN', () => {
  let secured: RunningMall;
  beforeAll(async () => {
    secured = await mall({ apiToken: 'mall-api-token-123' });
  });
  afterAll(async () => {
    await secured.stop();
  });

  it('requires the bearer token on every backend route', async () => {
    for (const path of [
      '/api/products/p1001',
      '/api/users/u1001/orders?limit=1',
      '/api/users/u1001/orders/JF202611230001',
    ]) {
      for (const authorization of [
        undefined,
        'Bearer wrong',
        'Basic bWFsbC1hcGktdG9rZW4tMTIz',
        'Bearer ',
        'mall-api-token-123',
      ]) {
        const res = await fetch(`${secured.url}${path}`, { headers: authorization ? { authorization } : {} });
        expect(res.status, `${path} ${String(authorization)}`).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(((await json(res)) as { error: { code: string } }).error.code).toBe('unauthenticated');
      }
      const ok = await fetch(`${secured.url}${path}`, {
        headers: { authorization: 'Bearer mall-api-token-123' },
      });
      expect(ok.status, path).toBe(200);
    }
  });

  it('checks the token before revealing whether an id exists', async () => {
    expect((await fetch(`${secured.url}/api/products/p9999`)).status).toBe(401);
  });

  it('does not apply to the browser-facing identity endpoint', async () => {
    const res = await fetch(`${secured.url}/api/kefu/identity`, {
      headers: { cookie: await signIn(secured.url, 'u1001') },
    });
    expect(res.status).toBe(200);
  });
});
