// Finding 6 of the security probe: client input must never end in a server error. A name taken by an
// update is a 409 on FerretDB as on MongoDB; malformed mall ids are our 400, and the mall is never asked.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { groupModel } from '../../src/model/group.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { fakeOrder, startFakeMall, type FakeMall } from '../mall/fake-mall.js';
import { agentSession, customerSession } from '../mall/sessions.js';
import { api } from '../workbench/fixtures.js';

describe('client input never causes a server error', () => {
  let fake: FakeMall;
  let server: KefuServer;
  let admin: string;
  let customer: string;

  beforeAll(async () => {
    fake = await startFakeMall();
    fake.orders.set('alice', [fakeOrder('A1', '2025-06-01T10:00:00+08:00')]);
    server = await startServer(
      testConfig({
        MONGODB_URI: testMongoUri('client_errors'),
        MALL_PRODUCT_URL: `${fake.base}/api/products/{id}`,
        MALL_ORDERS_URL: `${fake.base}/api/users/{user_id}/orders?limit={limit}`,
        MALL_ORDER_URL: `${fake.base}/api/users/{user_id}/orders/{order_no}`,
        MALL_API_TOKEN: 'client-errors-token',
      }),
      silentLogger,
    );
    admin = (await agentSession(server, 'root', 'admin')).token;
    customer = (await customerSession(server, 'alice')).token;
    // The admin serves alice, so the agents' order route reaches the mall for her.
    await conversationModel(server.db).create({
      _id: 'c_alice',
      customer_uid: 'u_alice',
      agent_uid: 'a_root',
      status: 'open',
      channel: 'web',
      created_at: new Date(),
    });
  });
  afterAll(async () => {
    await server.stop();
    await fake.close();
  });

  it('answers 409 when a rename takes another group’s name, and keeps both names', async () => {
    const a = await api(server, 'POST', '/admin/groups', admin, { name: '售前' });
    const b = await api(server, 'POST', '/admin/groups', admin, { name: '售后' });
    expect([a.status, b.status]).toEqual([201, 201]);
    const res = await api(server, 'PATCH', `/admin/groups/${String(b.body['id'])}`, admin, { name: '售前' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'conflict' } });
    const names = (await groupModel(server.db).find().lean()).map((g) => g.name).sort();
    expect(names).toEqual(['售前', '售后']);
  });

  it('answers 409 when an edit takes another quick reply’s shortcut', async () => {
    const one = await api(server, 'POST', '/agent/quick-replies', admin, {
      shortcut: 'hi',
      title: '问候',
      text: '您好',
    });
    const two = await api(server, 'POST', '/agent/quick-replies', admin, {
      shortcut: 'bye',
      title: '告别',
      text: '再见',
    });
    expect([one.status, two.status]).toEqual([201, 201]);
    const path = `/agent/quick-replies/${String(two.body['id'])}`;
    expect((await api(server, 'PATCH', path, admin, { shortcut: 'hi' })).status).toBe(409);
  });

  it('answers 409 when an agent’s new email belongs to another agent', async () => {
    const make = (username: string, email: string) =>
      api(server, 'POST', '/admin/agents', admin, {
        username,
        display_name: username,
        password: 'a-long-password',
        role: 'agent',
        email,
      });
    const first = await make('mail1', 'one@example.com');
    const second = await make('mail2', 'two@example.com');
    expect([first.status, second.status]).toEqual([201, 201]);
    const res = await api(server, 'PATCH', `/admin/agents/${String(second.body['uid'])}`, admin, {
      email: 'one@example.com',
    });
    expect(res.status).toBe(409);
  });

  /** The path exactly as given: fetch would resolve dot segments ("..", "%2E%2E") before sending. */
  const rawGet = (path: string, token: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const { hostname, port } = new URL(server.url);
      const req = request({
        hostname,
        port,
        path: `/api/v1${path}`,
        headers: { authorization: `Bearer ${token}` },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, text });
        });
      });
      req.on('error', reject);
      req.end();
    });

  const malformed = [
    'abc%20def',
    '..',
    '.',
    '%2E%2E',
    '%2e%2e%2fx',
    'a%2Fb',
    '..%2F..%2Fadmin',
    '-x',
    'a%00b',
    'x'.repeat(200),
  ];

  it.each(malformed)('refuses the product id %j with 400 without asking the mall', async (id) => {
    fake.requests.length = 0;
    const res = await rawGet(`/sdk/mall/products/${id}`, customer);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'bad_request' } });
    expect(fake.requests).toEqual([]);
  });

  it.each(malformed)('refuses the order number %j with 400 without asking the mall', async (no) => {
    fake.requests.length = 0;
    expect((await rawGet(`/sdk/mall/orders/${no}`, customer)).status).toBe(400);
    expect(fake.requests).toEqual([]);
  });

  it.each(['u_a%20b', 'u_', 'u_..', 'u_%2E%2E', 'x_1', 'u_a%2Fb', 'v_a%20b'])(
    'refuses the customer uid %j on the agents’ order route with 400 without asking the mall',
    async (uid) => {
      fake.requests.length = 0;
      expect((await rawGet(`/mall/customers/${uid}/orders`, admin)).status).toBe(400);
      expect(fake.requests).toEqual([]);
    },
  );

  it('still asks the mall for well-formed ids', async () => {
    fake.requests.length = 0;
    expect((await api(server, 'GET', '/mall/customers/u_alice/orders', admin)).status).toBe(200);
    expect(fake.requests.length).toBe(1);
  });
});
