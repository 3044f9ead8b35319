// Admin routes for routing: the routing settings, a group's mode, business hours and overflow, the
// blacklist and routing events, and a raised reception limit serving the queue. Server:
// admin-routes-env.ts.
import { describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { kefu } from '@kefu/proto';
import { conversationModel } from '../../src/model/conversation.js';
import { agent, customer, online } from '../messaging/harness.js';
import { useAdminRoutes } from './admin-routes-env.js';

describe('admin routes', () => {
  const t = useAdminRoutes();
  const { call, audits, createAgent } = t;

  it('reads and changes the routing settings, refuses bad ones, and audits each change', async () => {
    const defaults = (await call('GET', '/admin/routing', t.admin.token)).body;
    expect(defaults).toMatchObject({
      mode: 'saturation',
      queue_first_tags: [],
      reception_mode: 'human_only',
      reception_override: true,
      default_group_id: '',
      return_to_last_agent_minutes: 0,
      max_queue_length: 0,
      rules: [],
      queue_timeout: { remind_after_s: 0, close_after_s: 0 },
      agent_timeout: { remind_after_s: 0, transfer_after_s: 0 },
      customer_timeout: { remind_after_s: 0, close_after_s: 0 },
      texts: {},
    });
    const put = await call('PUT', '/admin/routing', t.admin.token, {
      mode: 'round_robin',
      queue_first_tags: ['急单', '急单', '大客户'],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ ...defaults, mode: 'round_robin', queue_first_tags: ['急单', '大客户'] });
    expect((await call('GET', '/admin/routing', t.admin.token)).body).toEqual(put.body);
    // A partial change keeps the other fields.
    const group = (await call('POST', '/admin/groups', t.admin.token, { name: '路由组' })).body as {
      id: string;
    };
    const full = {
      reception_mode: 'robot_first',
      reception_override: false,
      default_group_id: group.id,
      return_to_last_agent_minutes: 30,
      max_queue_length: 50,
      rules: [
        {
          name: 'VIP 小程序',
          match: {
            channels: ['miniprogram'],
            min_level: 3,
            vip: true,
            tags: ['大客户'],
            regions: ['广东省'],
          },
          target: { group_id: group.id },
        },
        { name: '订单页', match: { entry_url_contains: '/order' }, target: { agent_uid: t.admin.user.uid } },
      ],
      queue_timeout: { remind_after_s: 60, close_after_s: 300 },
      agent_timeout: { remind_after_s: 30, transfer_after_s: 120 },
      customer_timeout: { remind_after_s: 120, close_after_s: 300 },
      texts: { greeting: '您好，我是小助手', queue_full: '' },
    };
    const put2 = await call('PUT', '/admin/routing', t.admin.token, full);
    expect(put2.status, JSON.stringify(put2.body)).toBe(200);
    expect(put2.body).toEqual({
      ...(put.body as object),
      ...full,
      texts: { greeting: '您好，我是小助手' },
    });
    for (const bad of [
      { mode: 'fastest' },
      {},
      { mode: 'saturation', queue_first_tags: [''] },
      { mode: 'saturation', queue_first_tags: Array.from({ length: 21 }, (_, i) => `t${String(i)}`) },
      { mode: 'saturation', extra: 1 },
      { reception_mode: 'robot_sometimes' },
      { max_queue_length: -1 },
      { queue_timeout: { remind_after_s: 300, close_after_s: 60 } },
      { agent_timeout: { remind_after_s: 10 } },
      { rules: [{ name: 'x', match: {}, target: { group_id: group.id } }] },
      { rules: [{ name: 'x', match: { vip: true }, target: {} }] },
      {
        rules: [
          { name: 'x', match: { vip: true }, target: { group_id: group.id, agent_uid: t.admin.user.uid } },
        ],
      },
      { rules: [{ name: 'x', match: { vip: true }, target: { group_id: 'g_missing' } }] },
      { rules: [{ name: 'x', match: { vip: true }, target: { agent_uid: 'a_missing' } }] },
      { default_group_id: 'g_missing' },
      { texts: { shout: 'hi' } },
      '{not json',
    ]) {
      expect((await call('PUT', '/admin/routing', t.admin.token, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await call('GET', '/admin/routing', t.admin.token)).body).toEqual(put2.body);
    const logged = await audits('admin.routing.update');
    expect(logged).toHaveLength(2);
    expect(logged[0]?.details).toEqual([
      { key: 'fields', value: 'mode,queueFirstTags' },
      { key: 'mode', value: 'round_robin' },
      { key: 'queue_first_tags', value: '急单 大客户' },
    ]);
  });

  it("keeps a group's mode, business hours and overflow chain, and refuses bad ones", async () => {
    const a = (await call('POST', '/admin/groups', t.admin.token, { name: '售前' })).body as { id: string };
    const created = await call('POST', '/admin/groups', t.admin.token, {
      name: '售后',
      mode: 'longest_idle',
      business_hours: {
        timezone: 'Asia/Shanghai',
        windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }],
      },
      overflow: [
        { when: 'all_busy', to: { group_id: a.id } },
        { when: 'none_online', to: { agent_uid: t.admin.user.uid } },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const b = created.body as { id: string };
    expect(created.body).toMatchObject({
      mode: 'longest_idle',
      business_hours: { timezone: 'Asia/Shanghai' },
      overflow: [
        { when: 'all_busy', to: { group_id: a.id } },
        { when: 'none_online', to: { agent_uid: t.admin.user.uid } },
      ],
    });
    const cleared = await call('PATCH', `/admin/groups/${b.id}`, t.admin.token, {
      mode: null,
      business_hours: null,
      overflow: [],
    });
    expect(cleared.body).toMatchObject({ mode: null, business_hours: null, overflow: [] });
    for (const bad of [
      { mode: 'fastest' },
      {
        business_hours: { timezone: 'Mars/Olympus', windows: [{ days: [1], start: '09:00', end: '18:00' }] },
      },
      {
        business_hours: { timezone: 'Asia/Shanghai', windows: [{ days: [7], start: '09:00', end: '18:00' }] },
      },
      {
        business_hours: { timezone: 'Asia/Shanghai', windows: [{ days: [1], start: '9:00', end: '18:00' }] },
      },
      { overflow: [{ when: 'raining', to: { group_id: a.id } }] },
      { overflow: [{ when: 'all_busy', to: { group_id: b.id } }] },
      { overflow: [{ when: 'all_busy', to: { group_id: 'g_missing' } }] },
      { overflow: Array.from({ length: 4 }, () => ({ when: 'all_busy', to: { group_id: a.id } })) },
    ]) {
      const res = await call('PATCH', `/admin/groups/${b.id}`, t.admin.token, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('keeps the blacklist (add, list, remove, audited) and lists routing events', async () => {
    const add = await call('POST', '/admin/blacklist', t.admin.token, {
      customer_uid: 'u_troll',
      reason: '辱骂客服',
    });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ customer_uid: 'u_troll', reason: '辱骂客服', by: t.admin.user.uid });
    expect((await call('GET', '/admin/blacklist', t.admin.token)).body).toMatchObject({
      entries: [{ customer_uid: 'u_troll' }],
    });
    for (const bad of [
      {},
      { customer_uid: '' },
      { customer_uid: 'u_x', expires_at: 'tomorrow' },
      { customer_uid: 'u_x', expires_at: '2001-01-01T00:00:00Z' },
      { customer_uid: 'u_x', extra: true },
    ])
      expect((await call('POST', '/admin/blacklist', t.admin.token, bad)).status, JSON.stringify(bad)).toBe(
        400,
      );
    expect((await call('DELETE', '/admin/blacklist/u_troll', t.admin.token)).status).toBe(204);
    expect((await call('DELETE', '/admin/blacklist/u_troll', t.admin.token)).status).toBe(404);
    expect((await audits('admin.blacklist.add')).length).toBe(1);
    expect((await audits('admin.blacklist.remove')).length).toBe(1);
    expect((await call('GET', '/admin/routing/events?type=nonsense', t.admin.token)).status).toBe(400);
    expect((await call('GET', '/admin/routing/events?limit=5', t.admin.token)).status).toBe(200);
  });

  it('a raised reception limit serves the queue at once (backlog sweep on a capacity change)', async () => {
    // Routed to everyone (an earlier test set a default group and rules).
    expect(
      (await call('PUT', '/admin/routing', t.admin.token, { default_group_id: '', rules: [] })).status,
    ).toBe(200);
    const a = await createAgent({ username: 'sweeper', max_concurrent: 0 });
    const agentClient = agent(t.server.url, 'sweeper', 'agent-pass-123');
    const customerClient = customer(t.server.url, 'sweep1');
    try {
      await agentClient.start();
      await online(agentClient);
      await customerClient.start();
      const state = await customerClient.open({ channel: 'web' });
      expect(state.status).toBe(kefu.v1.ConversationStatus.CONVERSATION_STATUS_QUEUED);
      expect(
        (await call('PATCH', `/admin/agents/${a.uid}`, t.admin.token, { max_concurrent: 1 })).status,
      ).toBe(200);
      await waitFor('assigned after the limit was raised', async () => {
        const c = await conversationModel(t.server.db).findById(state.id).lean();
        return c?.agent_uid === a.uid ? c : null;
      });
    } finally {
      await customerClient.stop();
      await agentClient.stop();
    }
  });
});
