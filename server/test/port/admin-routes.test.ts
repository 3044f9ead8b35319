import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { kefu } from '@kefu/proto';
import { conversationModel } from '../../src/model/conversation.js';
import { agent, customer, online } from '../messaging/harness.js';
import { agentModel } from '../../src/model/agent.js';
import { auditLogModel } from '../../src/model/audit-log.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';

interface AgentBody {
  uid: string;
  username: string;
  display_name: string;
  email: string | null;
  role: string;
  max_concurrent: number;
  disabled: boolean;
  group_ids: string[];
  created_at: string;
}
interface GroupBody {
  id: string;
  name: string;
  description: string;
  member_uids: string[];
}
interface Session {
  token: string;
  refresh_token: string;
  user: { uid: string; perms: string[]; agent_role: string };
}

describe('admin routes', () => {
  let server: KefuServer;
  let admin: Session;

  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  const signIn = async (username: string, password: string): Promise<Session> => {
    const res = await fetch(`${server.url}/api/v1/agent/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as Session;
  };
  const refresh = (s: Session) =>
    fetch(`${server.url}/api/v1/sessions/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: s.refresh_token }),
    });
  const audits = (action: string) => auditLogModel(server.db).find({ action }).lean();
  const createAgent = async (over: Record<string, unknown> = {}) => {
    const res = await call('POST', '/admin/agents', admin.token, {
      username: `agent${String(Math.random()).slice(2, 8)}`,
      display_name: '小王',
      password: 'agent-pass-123',
      role: 'agent',
      ...over,
    });
    expect(res.status).toBe(201);
    return res.body as unknown as AgentBody;
  };

  beforeAll(async () => {
    server = await startServer(
      // The periodic routing scan is off in effect: a sweep seen here is the one a change triggers.
      testConfig({
        MONGODB_URI: testMongoUri('admin'),
        ADMIN_PASSWORD: 'admin-pass-123',
        ROUTING_SCAN_INTERVAL_MS: '600000',
      }),
      silentLogger,
    );
    admin = await signIn('admin', 'admin-pass-123');
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('agents', () => {
    it('creates an agent who can sign in, lists it, audits it, never shows the hash', async () => {
      const created = await createAgent({
        username: 'xiaowang',
        email: 'Wang@Example.com',
        max_concurrent: 4,
      });
      expect(created).toMatchObject({
        username: 'xiaowang',
        display_name: '小王',
        email: 'wang@example.com',
        role: 'agent',
        max_concurrent: 4,
        disabled: false,
        group_ids: [],
      });
      expect(Date.parse(created.created_at)).not.toBeNaN();
      const list = await call('GET', '/admin/agents', admin.token);
      const agents = list.body['agents'] as AgentBody[];
      expect(agents.map((a) => a.username)).toEqual(['admin', 'xiaowang']);
      expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password/);
      const session = await signIn('xiaowang', 'agent-pass-123');
      expect(session.user.perms).toEqual(['chat', 'points:view']);
      expect(await audits('admin.agent.create')).toEqual([
        expect.objectContaining({ actor_uid: admin.user.uid, target_type: 'agent', target_id: created.uid }),
      ]);
    });

    it('refuses a taken username with 409 and bad bodies with 400, changing nothing', async () => {
      const before = await agentModel(server.db).countDocuments();
      const dup = await call('POST', '/admin/agents', admin.token, {
        username: 'admin',
        display_name: 'x',
        role: 'agent',
      });
      expect(dup.status).toBe(409);
      for (const body of [
        { username: 'a b', display_name: 'x', role: 'agent' },
        { username: 'valid1', display_name: 'x', role: 'boss' },
        { username: 'valid1', display_name: 'x', role: 'agent', password: 'short' },
        { username: 'valid1', display_name: 'x', role: 'agent', email: 'not-an-email' },
        { username: 'valid1', display_name: 'x', role: 'agent', extra: 1 },
        { username: 'valid1', display_name: 'x', role: 'agent', group_ids: ['g_missing'] },
        '[1,2',
      ]) {
        const res = await call('POST', '/admin/agents', admin.token, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
      expect(await agentModel(server.db).countDocuments()).toBe(before);
    });

    it('patches fields, resets the password, disables (refresh then refused)', async () => {
      const a = await createAgent({ username: 'patchme' });
      const session = await signIn('patchme', 'agent-pass-123');
      const res = await call('PATCH', `/admin/agents/${a.uid}`, admin.token, {
        display_name: '新名字',
        max_concurrent: 7,
        email: 'p@example.com',
        password: 'new-pass-4567',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ display_name: '新名字', max_concurrent: 7, email: 'p@example.com' });
      // The reset ended the sessions opened with the old password.
      expect((await refresh(session)).status).toBe(401);
      const fresh = await signIn('patchme', 'new-pass-4567');
      expect(
        (await call('PATCH', `/admin/agents/${a.uid}`, admin.token, { email: null })).body,
      ).toMatchObject({
        email: null,
      });
      expect((await call('PATCH', `/admin/agents/${a.uid}`, admin.token, { disabled: true })).status).toBe(
        200,
      );
      expect((await refresh(fresh)).status).toBe(401);
      const audit = await audits('admin.agent.update');
      expect(audit.length).toBe(3);
      expect(JSON.stringify(audit)).not.toContain('new-pass-4567');
    });

    it('applies a role change at refresh', async () => {
      const a = await createAgent({ username: 'promoted' });
      const session = await signIn('promoted', 'agent-pass-123');
      await call('PATCH', `/admin/agents/${a.uid}`, admin.token, { role: 'supervisor' });
      const res = await refresh(session);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Session;
      expect(body.user.agent_role).toBe('supervisor');
      expect(body.user.perms).toContain('monitor');
    });

    it('404 for an unknown agent; 400 for an empty or bad patch', async () => {
      expect((await call('PATCH', '/admin/agents/a_nobody', admin.token, { disabled: true })).status).toBe(
        404,
      );
      expect((await call('PATCH', `/admin/agents/${admin.user.uid}`, admin.token, {})).status).toBe(400);
      const bad = await call('PATCH', `/admin/agents/${admin.user.uid}`, admin.token, { max_concurrent: -1 });
      expect(bad.status).toBe(400);
    });

    it('an admin cannot lock themselves out', async () => {
      const self = `/admin/agents/${admin.user.uid}`;
      expect((await call('PATCH', self, admin.token, { disabled: true })).status).toBe(409);
      expect((await call('PATCH', self, admin.token, { role: 'agent' })).status).toBe(409);
      const doc = await agentModel(server.db).findById(admin.user.uid).lean();
      expect(doc).toMatchObject({ role: 'admin', disabled: false });
    });

    it('refuses a second agent with the same email (SSO maps by email)', async () => {
      await createAgent({ email: 'same@example.com' });
      const res = await call('POST', '/admin/agents', admin.token, {
        username: 'other1',
        display_name: 'x',
        role: 'agent',
        email: 'SAME@example.com',
      });
      expect(res.status).toBe(409);
    });
  });

  describe('groups', () => {
    it('creates, lists with members, renames, deletes (members keep their accounts)', async () => {
      const created = await call('POST', '/admin/groups', admin.token, {
        name: '售后',
        description: '退换货',
      });
      expect(created.status).toBe(201);
      const group = created.body as unknown as GroupBody;
      expect(group).toMatchObject({ name: '售后', description: '退换货', member_uids: [] });
      expect((await call('POST', '/admin/groups', admin.token, { name: '售后' })).status).toBe(409);
      const member = await createAgent({ group_ids: [group.id] });
      const list = await call('GET', '/admin/groups', admin.token);
      expect(list.body['groups']).toEqual([
        expect.objectContaining({ id: group.id, member_uids: [member.uid] }),
      ]);
      const renamed = await call('PATCH', `/admin/groups/${group.id}`, admin.token, { name: '售后服务' });
      expect(renamed.body).toMatchObject({ name: '售后服务', member_uids: [member.uid] });
      expect((await call('PATCH', `/admin/groups/${group.id}`, admin.token, { name: '' })).status).toBe(400);
      expect((await call('DELETE', `/admin/groups/${group.id}`, admin.token)).status).toBe(204);
      expect((await call('DELETE', `/admin/groups/${group.id}`, admin.token)).status).toBe(404);
      expect(await agentModel(server.db).findById(member.uid).lean()).toMatchObject({ group_ids: [] });
      const actions = (await auditLogModel(server.db).find({ target_type: 'group' }).lean()).map(
        (d) => d.action,
      );
      expect(actions.sort()).toEqual(['admin.group.create', 'admin.group.delete', 'admin.group.update']);
    });
  });

  describe('roles', () => {
    it('lists defaults, changes a role (applied at refresh), admin keeps config', async () => {
      const list = await call('GET', '/admin/roles', admin.token);
      expect(list.body['roles']).toContainEqual({ role: 'agent', perms: ['chat', 'points:view'] });
      expect(list.body['permissions']).toContain('pii:view');
      await createAgent({ username: 'roletest' });
      const session = await signIn('roletest', 'agent-pass-123');
      const put = await call('PUT', '/admin/roles/agent', admin.token, { perms: ['stats:view', 'chat'] });
      expect(put.body).toEqual({ role: 'agent', perms: ['chat', 'stats:view'] });
      const refreshed = (await (await refresh(session)).json()) as Session;
      expect(refreshed.user.perms).toEqual(['chat', 'stats:view']);
      expect((await signIn('roletest', 'agent-pass-123')).user.perms).toEqual(['chat', 'stats:view']);
      const adminPut = await call('PUT', '/admin/roles/admin', admin.token, { perms: ['chat'] });
      expect(adminPut.body).toEqual({ role: 'admin', perms: ['chat', 'config'] });
      expect((await signIn('admin', 'admin-pass-123')).user.perms).toEqual(['chat', 'config']);
      expect((await call('PUT', '/admin/roles/boss', admin.token, { perms: [] })).status).toBe(404);
      expect((await call('PUT', '/admin/roles/agent', admin.token, { perms: ['fly'] })).status).toBe(400);
      expect((await audits('admin.role.update')).length).toBe(2);
    });
  });

  it('reads and changes the routing settings, refuses bad ones, and audits each change', async () => {
    const defaults = (await call('GET', '/admin/routing', admin.token)).body;
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
    const put = await call('PUT', '/admin/routing', admin.token, {
      mode: 'round_robin',
      queue_first_tags: ['急单', '急单', '大客户'],
    });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ ...defaults, mode: 'round_robin', queue_first_tags: ['急单', '大客户'] });
    expect((await call('GET', '/admin/routing', admin.token)).body).toEqual(put.body);
    // A partial change keeps the other fields.
    const group = (await call('POST', '/admin/groups', admin.token, { name: '路由组' })).body as {
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
        { name: '订单页', match: { entry_url_contains: '/order' }, target: { agent_uid: admin.user.uid } },
      ],
      queue_timeout: { remind_after_s: 60, close_after_s: 300 },
      agent_timeout: { remind_after_s: 30, transfer_after_s: 120 },
      customer_timeout: { remind_after_s: 120, close_after_s: 300 },
      texts: { greeting: '您好，我是小助手', queue_full: '' },
    };
    const put2 = await call('PUT', '/admin/routing', admin.token, full);
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
          { name: 'x', match: { vip: true }, target: { group_id: group.id, agent_uid: admin.user.uid } },
        ],
      },
      { rules: [{ name: 'x', match: { vip: true }, target: { group_id: 'g_missing' } }] },
      { rules: [{ name: 'x', match: { vip: true }, target: { agent_uid: 'a_missing' } }] },
      { default_group_id: 'g_missing' },
      { texts: { shout: 'hi' } },
      '{not json',
    ]) {
      expect((await call('PUT', '/admin/routing', admin.token, bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await call('GET', '/admin/routing', admin.token)).body).toEqual(put2.body);
    const logged = await audits('admin.routing.update');
    expect(logged).toHaveLength(2);
    expect(logged[0]?.details).toEqual([
      { key: 'fields', value: 'mode,queueFirstTags' },
      { key: 'mode', value: 'round_robin' },
      { key: 'queue_first_tags', value: '急单 大客户' },
    ]);
  });

  it("keeps a group's mode, business hours and overflow chain, and refuses bad ones", async () => {
    const a = (await call('POST', '/admin/groups', admin.token, { name: '售前' })).body as { id: string };
    const created = await call('POST', '/admin/groups', admin.token, {
      name: '售后',
      mode: 'longest_idle',
      business_hours: {
        timezone: 'Asia/Shanghai',
        windows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }],
      },
      overflow: [
        { when: 'all_busy', to: { group_id: a.id } },
        { when: 'none_online', to: { agent_uid: admin.user.uid } },
      ],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const b = created.body as { id: string };
    expect(created.body).toMatchObject({
      mode: 'longest_idle',
      business_hours: { timezone: 'Asia/Shanghai' },
      overflow: [
        { when: 'all_busy', to: { group_id: a.id } },
        { when: 'none_online', to: { agent_uid: admin.user.uid } },
      ],
    });
    const cleared = await call('PATCH', `/admin/groups/${b.id}`, admin.token, {
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
      const res = await call('PATCH', `/admin/groups/${b.id}`, admin.token, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
  });

  it('keeps the blacklist (add, list, remove, audited) and lists routing events', async () => {
    const add = await call('POST', '/admin/blacklist', admin.token, {
      customer_uid: 'u_troll',
      reason: '辱骂客服',
    });
    expect(add.status).toBe(201);
    expect(add.body).toMatchObject({ customer_uid: 'u_troll', reason: '辱骂客服', by: admin.user.uid });
    expect((await call('GET', '/admin/blacklist', admin.token)).body).toMatchObject({
      entries: [{ customer_uid: 'u_troll' }],
    });
    for (const bad of [
      {},
      { customer_uid: '' },
      { customer_uid: 'u_x', expires_at: 'tomorrow' },
      { customer_uid: 'u_x', expires_at: '2001-01-01T00:00:00Z' },
      { customer_uid: 'u_x', extra: true },
    ])
      expect((await call('POST', '/admin/blacklist', admin.token, bad)).status, JSON.stringify(bad)).toBe(
        400,
      );
    expect((await call('DELETE', '/admin/blacklist/u_troll', admin.token)).status).toBe(204);
    expect((await call('DELETE', '/admin/blacklist/u_troll', admin.token)).status).toBe(404);
    expect((await audits('admin.blacklist.add')).length).toBe(1);
    expect((await audits('admin.blacklist.remove')).length).toBe(1);
    expect((await call('GET', '/admin/routing/events?type=nonsense', admin.token)).status).toBe(400);
    expect((await call('GET', '/admin/routing/events?limit=5', admin.token)).status).toBe(200);
  });

  it('a raised reception limit serves the queue at once (backlog sweep on a capacity change)', async () => {
    // Routed to everyone (an earlier test set a default group and rules).
    expect(
      (await call('PUT', '/admin/routing', admin.token, { default_group_id: '', rules: [] })).status,
    ).toBe(200);
    const a = await createAgent({ username: 'sweeper', max_concurrent: 0 });
    const agentClient = agent(server.url, 'sweeper', 'agent-pass-123');
    const customerClient = customer(server.url, 'sweep1');
    try {
      await agentClient.start();
      await online(agentClient);
      await customerClient.start();
      const state = await customerClient.open({ channel: 'web' });
      expect(state.status).toBe(kefu.v1.ConversationStatus.CONVERSATION_STATUS_QUEUED);
      expect((await call('PATCH', `/admin/agents/${a.uid}`, admin.token, { max_concurrent: 1 })).status).toBe(
        200,
      );
      await waitFor('assigned after the limit was raised', async () => {
        const c = await conversationModel(server.db).findById(state.id).lean();
        return c?.agent_uid === a.uid ? c : null;
      });
    } finally {
      await customerClient.stop();
      await agentClient.stop();
    }
  });

  it('every admin route is forbidden without config and unauthenticated without a token', async () => {
    await createAgent({ username: 'plain' });
    const plain = await signIn('plain', 'agent-pass-123');
    const routes: [string, string][] = [
      ['GET', '/admin/agents'],
      ['POST', '/admin/agents'],
      ['PATCH', '/admin/agents/x'],
      ['GET', '/admin/groups'],
      ['POST', '/admin/groups'],
      ['PATCH', '/admin/groups/x'],
      ['DELETE', '/admin/groups/x'],
      ['GET', '/admin/roles'],
      ['PUT', '/admin/roles/agent'],
      ['GET', '/admin/routing'],
      ['PUT', '/admin/routing'],
      ['GET', '/admin/routing/events'],
      ['GET', '/admin/blacklist'],
      ['POST', '/admin/blacklist'],
      ['DELETE', '/admin/blacklist/x'],
    ];
    for (const [method, path] of routes) {
      expect(
        (await call(method, path, plain.token, method === 'GET' ? undefined : {})).status,
        `${method} ${path}`,
      ).toBe(403);
      expect((await call(method, path, 'nope')).status, `${method} ${path}`).toBe(401);
    }
  });
});
