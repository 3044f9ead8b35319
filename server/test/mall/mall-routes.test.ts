import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { fakeOrder, startFakeMall, type FakeMall } from './fake-mall.js';
import { agentSession, call, customerSession, visitorSession } from './sessions.js';

// The server talks over real HTTP to `fake-mall.ts`, a fake of the mall built from our documented contract.
describe('mall routes', () => {
  let fake: FakeMall;
  let server: KefuServer;
  let alice: string;
  let bob: string;
  let visitor: string;
  let agent: string;

  beforeAll(async () => {
    fake = await startFakeMall();
    fake.products.set('p1', {
      id: 'p1',
      title: '小米充电宝',
      image_url: '/img/p1.svg',
      url: '/products/p1',
      points: 1200,
      price_fen: 990,
    });
    fake.orders.set('alice', [
      fakeOrder('A2', '2025-06-02T10:00:00+08:00', { status: 3, status_text: '运输中' }),
      // Points only: a points mall's orders often cost no cash.
      fakeOrder('A1', '2025-06-01T10:00:00+08:00', { total_fen: 0, total_points: 1200 }),
    ]);
    fake.orders.set('bob', [fakeOrder('B1', '2025-06-01T09:00:00+08:00')]);
    server = await startServer(
      testConfig({
        MONGODB_URI: testMongoUri('mall_routes'),
        MALL_PRODUCT_URL: `${fake.base}/api/products/{id}`,
        MALL_ORDERS_URL: `${fake.base}/api/users/{user_id}/orders?limit={limit}`,
        MALL_ORDER_URL: `${fake.base}/api/users/{user_id}/orders/{order_no}`,
        MALL_API_TOKEN: 'route-test-token',
        MALL_TIMEOUT_MS: '300',
      }),
      silentLogger,
    );
    alice = (await customerSession(server, 'alice')).token;
    bob = (await customerSession(server, 'bob')).token;
    visitor = (await visitorSession(server)).token;
    agent = (await agentSession(server, 'mall-agent', 'agent')).token;
  });
  afterAll(async () => {
    await server.stop();
    await fake.close();
  });
  beforeEach(() => {
    fake.mode = 'ok';
    fake.requests.length = 0;
  });

  it('gives a customer their own recent orders in the documented snake_case form', async () => {
    const res = await call(server, 'GET', '/sdk/mall/orders?limit=5', alice);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      orders: [
        {
          order_no: 'A2',
          status: 3,
          status_text: '运输中',
          total_fen: 990,
          total_points: 0,
          goods_count: 1,
          goods: [{ name: '小米充电宝', picture_url: 'https://img.mall.example/p1.png', qty: 1 }],
          url: 'https://mall.example/orders/A2',
          created_at: '2025-06-02T02:00:00.000Z',
        },
        expect.objectContaining({ order_no: 'A1', status: 2 }),
      ],
    });
    expect(fake.requests).toEqual([
      { url: '/api/users/alice/orders?limit=5', authorization: 'Bearer route-test-token' },
    ]);
  });

  it('takes the customer from the token, never from the request', async () => {
    const mine = await call(server, 'GET', '/sdk/mall/orders', bob);
    expect((mine.body['orders'] as { order_no: string }[]).map((o) => o.order_no)).toEqual(['B1']);
    // Another customer's order number is looked up under the caller's own account: not found.
    expect((await call(server, 'GET', '/sdk/mall/orders/A1', bob)).status).toBe(404);
    expect(fake.requests.map((r) => r.url)).toEqual([
      '/api/users/bob/orders?limit=10',
      '/api/users/bob/orders/A1',
    ]);
    // A user_id in the query is not a thing: refused.
    expect((await call(server, 'GET', '/sdk/mall/orders?user_id=alice', bob)).status).toBe(400);
  });

  it('returns one order of the customer', async () => {
    const res = await call(server, 'GET', '/sdk/mall/orders/A1', alice);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      order_no: 'A1',
      status: 2,
      status_text: '待发货',
      total_fen: 0,
      total_points: 1200,
    });
  });

  it('gives visitors an empty order list without asking the mall', async () => {
    expect(await call(server, 'GET', '/sdk/mall/orders', visitor)).toMatchObject({
      status: 200,
      body: { orders: [] },
    });
    expect((await call(server, 'GET', '/sdk/mall/orders/A1', visitor)).status).toBe(404);
    expect(fake.requests).toEqual([]);
  });

  it('serves products to customers, visitors and agents', async () => {
    for (const token of [alice, visitor, agent]) {
      const res = await call(server, 'GET', '/sdk/mall/products/p1', token);
      expect(res).toMatchObject({
        status: 200,
        body: {
          id: 'p1',
          title: '小米充电宝',
          description: null,
          image_url: '/img/p1.svg',
          url: '/products/p1',
          points: 1200,
          price_fen: 990,
          label: '1200 积分 + ¥9.90',
        },
      });
    }
    const missing = await call(server, 'GET', '/sdk/mall/products/nope', alice);
    expect(missing).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: 'Unknown product' } },
    });
  });

  it('lets agents read the orders of customers they serve; visitors have none', async () => {
    // Before the agent serves alice, her orders are not theirs to see (DESIGN.md §3).
    expect((await call(server, 'GET', '/mall/customers/u_alice/orders?limit=1', agent)).status).toBe(404);
    for (const customer of ['u_alice', 'v_0011223344']) {
      await conversationModel(server.db).create({
        _id: `c_${customer}`,
        customer_uid: customer,
        agent_uid: 'a_mall-agent',
        status: 'open',
        channel: 'web',
        created_at: new Date(),
      });
    }
    const res = await call(server, 'GET', '/mall/customers/u_alice/orders?limit=1', agent);
    expect(res.status).toBe(200);
    expect((res.body['orders'] as { order_no: string }[]).map((o) => o.order_no)).toEqual(['A2']);
    expect(await call(server, 'GET', '/mall/customers/v_0011223344/orders', agent)).toMatchObject({
      status: 200,
      body: { orders: [] },
    });
    expect((await call(server, 'GET', '/mall/customers/u_bob/orders', agent)).status).toBe(404);
  });

  it('forbids the agent route to customers and the customer routes to agents', async () => {
    const res = await call(server, 'GET', '/mall/customers/u_alice/orders', alice);
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect((await call(server, 'GET', '/mall/customers/u_alice/orders', visitor)).status).toBe(403);
    expect((await call(server, 'GET', '/sdk/mall/orders', agent)).status).toBe(403);
  });

  it('requires a valid bearer token', async () => {
    for (const path of [
      '/sdk/mall/orders',
      '/sdk/mall/orders/A1',
      '/sdk/mall/products/p1',
      '/mall/customers/u_alice/orders',
    ]) {
      expect((await call(server, 'GET', path)).status).toBe(401);
      expect((await call(server, 'GET', path, 'not-a-jwt')).status).toBe(401);
    }
    expect(fake.requests).toEqual([]);
  });

  it.each([
    '/sdk/mall/orders?limit=0',
    '/sdk/mall/orders?limit=21',
    '/sdk/mall/orders?limit=abc',
    '/sdk/mall/orders?limit=1&limit=2',
    '/sdk/mall/orders?foo=1',
    `/sdk/mall/orders/${'9'.repeat(65)}`,
    `/sdk/mall/products/${'x'.repeat(129)}`,
  ])('rejects a bad request %s with 400', async (path) => {
    const res = await call(server, 'GET', path, alice);
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(fake.requests).toEqual([]);
  });

  it('refuses a dot-segment id that would change the mall URL path', async () => {
    // fetch() and URL strings resolve "%2E%2E" on the client; a raw path reaches the server as written.
    const { hostname, port } = new URL(server.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      request(
        {
          hostname,
          port,
          path: '/api/v1/sdk/mall/products/%2E%2E',
          headers: { authorization: `Bearer ${alice}` },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      )
        .on('error', reject)
        .end();
    });
    expect({ status, requests: fake.requests }).toEqual({ status: 400, requests: [] });
  });

  it.each([
    ['slow', 'The mall did not answer within 300 ms'],
    ['error500', 'The mall answered HTTP 500'],
    ['not-json', 'The mall answered something that is not JSON'],
  ] as const)('answers 502 when the mall fails (%s)', async (mode, message) => {
    fake.mode = mode;
    const res = await call(server, 'GET', '/sdk/mall/orders', alice);
    expect(res).toMatchObject({ status: 502, body: { error: { code: 'bad_gateway', message } } });
  });

  it('answers 502 rather than forwarding JSON that breaks the contract', async () => {
    fake.mode = 'off-contract';
    const res = await call(server, 'GET', '/sdk/mall/products/p1', alice);
    expect(res.status).toBe(502);
    expect(JSON.stringify(res.body)).not.toContain('javascript:');
  });
});
