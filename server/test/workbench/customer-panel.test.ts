// Customer panel: profile masking, audited reveals, earlier conversations, mall deep links; signed extras.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { createCustomerClient, createMemoryStorage, type CustomerClient } from '@kefu/sdk-core';
import { DEV_IDENTITY_SECRET } from '../../src/config.js';
import { auditLogModel } from '../../src/model/audit-log.js';
import { conversationModel } from '../../src/model/conversation.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { signIdentity, type CustomerIdentity } from '../../src/service/auth/identity.js';
import { silentLogger, testConfig } from '../helpers.js';
import { http, online, transport } from '../messaging/harness.js';
import { agentSession } from '../mall/sessions.js';
import { api, onlineAgent } from './fixtures.js';

const PHONE = '13912345678';

function identityOf(userId: string): CustomerIdentity {
  return {
    user_id: userId,
    name: '李小龙',
    phone: PHONE,
    level: 2,
    ts: Math.floor(Date.now() / 1000),
    points: 5300,
    vip: true,
    tags: ['高价值', '老客户'],
  };
}

async function sdkSession(server: KefuServer, body: unknown): Promise<number> {
  const res = await fetch(`${server.url}/api/v1/sdk/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return res.status;
}

describe('customer panel', () => {
  let server: KefuServer;
  let li: CustomerClient;
  let amy: Awaited<ReturnType<typeof onlineAgent>>;
  let sam: Awaited<ReturnType<typeof onlineAgent>>;

  beforeAll(async () => {
    server = await startServer(
      testConfig({
        MONGODB_URI: testMongoUri('customer_panel'),
        MALL_PRODUCT_PAGE_URL: 'https://mall.example.com/products/{id}',
        MALL_ORDER_PAGE_URL: 'https://mall.example.com/orders/{order_no}',
      }),
      silentLogger,
    );
    // Amy serves li; Sam supervises her skill group (DESIGN.md §3: both may look at li).
    amy = await onlineAgent(server, 'amy', 'agent', ['g_team']);
    sam = await onlineAgent(server, 'sam', 'supervisor', ['g_team']);
    li = createCustomerClient({
      baseUrl: server.url,
      transport,
      http,
      storage: createMemoryStorage(),
      identify: () => {
        const identity = identityOf('li');
        return Promise.resolve({ identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) });
      },
    });
    await li.start();
    await online(li);
    const c = await li.open({
      channel: 'h5',
      entryUrl: 'https://mall.example.com/products/p1001',
      entryTitle: '商品详情',
      attributes: { product_id: 'p1001' },
      agentUid: amy.uid,
      strict: true,
    });
    await waitFor(
      'stored',
      async () => (await conversationModel(server.db).findById(c.id).lean())?.agent_uid,
    );
  }, 60_000);
  afterAll(async () => {
    for (const c of [li, amy.client, sam.client]) await c.stop();
    await server.stop();
  });

  it('accepts signed points, vip and tags; refuses tampered or malformed ones', async () => {
    const identity = identityOf('wang');
    const signature = signIdentity(DEV_IDENTITY_SECRET, identity);
    expect(await sdkSession(server, { type: 'customer', identity, signature })).toBe(201);
    const tampered = { ...identity, tags: ['黑名单'] };
    expect(await sdkSession(server, { type: 'customer', identity: tampered, signature })).toBe(401);
    const bad = { ...identity, tags: ['a,b'] };
    const badSig = signIdentity(DEV_IDENTITY_SECRET, bad);
    expect(await sdkSession(server, { type: 'customer', identity: bad, signature: badSig })).toBe(400);
  });

  it('shows the profile masked without pii:view, points with points:view, badges and the entry page', async () => {
    const res = await api(server, 'GET', `/agent/customers/${li.uid}`, amy.token);
    expect(res.status).toBe(200);
    // Agents see points by default (points:view), not name or phone.
    expect(res.body).toMatchObject({
      uid: li.uid,
      name: '李**',
      phone: '139****5678',
      points: 5300,
      masked: true,
      level: 2,
      vip: true,
      tags: ['高价值', '老客户'],
      channel: 'h5',
      entry_url: 'https://mall.example.com/products/p1001',
    });
    expect(res.text).not.toContain(PHONE);
    const shown = await api(server, 'GET', `/agent/customers/${li.uid}`, sam.token);
    // pii:view shows the name; the phone still takes an (audited) reveal.
    expect(shown.body).toMatchObject({ name: '李小龙', phone: '139****5678', points: 5300, masked: true });
    expect(shown.text).not.toContain(PHONE);
    expect((await api(server, 'GET', '/agent/customers/u_nobody', amy.token)).status).toBe(404);
    // Without points:view the balance is masked too (the admin may take it from a role).
    const admin = (await agentSession(server, 'panel-root', 'admin')).token;
    expect((await api(server, 'PUT', '/admin/roles/agent', admin, { perms: ['chat'] })).status).toBe(200);
    const hidden = await api(server, 'GET', `/agent/customers/${li.uid}`, amy.token);
    expect(hidden.body).toMatchObject({ points: '***', masked: true });
    expect(hidden.text).not.toContain('5300');
    expect(
      (await api(server, 'PUT', '/admin/roles/agent', admin, { perms: ['chat', 'points:view'] })).status,
    ).toBe(200);
  });

  it('reveals only with pii:view, and writes every reveal to the audit log', async () => {
    const audit = auditLogModel(server.db);
    const path = `/agent/customers/${li.uid}/reveal`;
    expect((await api(server, 'POST', path, amy.token, {})).status).toBe(403);
    expect((await api(server, 'POST', path, sam.token, { fields: ['email'] })).status).toBe(400);
    expect(await audit.countDocuments({ action: 'pii.reveal' })).toBe(0);
    const res = await api(server, 'POST', path, sam.token, { fields: ['phone', 'points'] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phone: PHONE, points: 5300 });
    const entries = await audit.find({ action: 'pii.reveal' }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor_uid: sam.uid,
      target_type: 'customer',
      target_id: li.uid,
      details: [{ key: 'fields', value: 'phone,points' }],
    });
    expect(entries[0]?.ip).toBeTruthy();
  });

  it('lists the customer’s conversations and mall orders and products with deep links', async () => {
    const list = await api(server, 'GET', `/agent/customers/${li.uid}/conversations?limit=5`, amy.token);
    expect(list.status).toBe(200);
    expect(list.body['conversations']).toHaveLength(1);
    expect(
      (await api(server, 'GET', `/agent/customers/${li.uid}/conversations?limit=x`, amy.token)).status,
    ).toBe(400);
    const mall = await api(server, 'GET', `/agent/customers/${li.uid}/mall`, amy.token);
    expect(mall.status).toBe(200);
    const orders = mall.body['orders'] as { order_no: string; detail_url: string }[];
    expect(orders.length).toBeGreaterThan(0);
    for (const o of orders) expect(o.detail_url).toBe(`https://mall.example.com/orders/${o.order_no}`);
    expect(mall.body['recent_products']).toEqual([
      expect.objectContaining({ id: 'p1001', detail_url: 'https://mall.example.com/products/p1001' }),
    ]);
    const customerToken = (await li.sessions.current()).token;
    expect((await api(server, 'GET', `/agent/customers/${li.uid}/mall`, customerToken)).status).toBe(403);
  });
});
