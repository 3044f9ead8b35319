// Finding 4 of the security probe: who sees which conversations (DESIGN.md §3), over HTTP, for every
// route that shows conversations, previews, history, uploads or a customer's panel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { conversationModel, type ConversationDoc } from '../../src/model/conversation.js';
import { AuditLogRepository } from '../../src/repository/audit-log-repository.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agentSession } from '../mall/sessions.js';
import { api } from '../workbench/fixtures.js';

const NOTE = '[内部备注] 客户情绪激动，注意安抚';
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);

function conversation(id: string, fields: Partial<ConversationDoc>): Partial<ConversationDoc> {
  return {
    _id: id,
    channel: 'web',
    created_at: at(30),
    last_activity_at: at(1),
    last_message: { seq: 3, preview: NOTE, sender_role: 'a', at: at(1) },
    ...fields,
  };
}

describe('conversation visibility (DESIGN.md §3)', () => {
  let server: KefuServer;
  const token: Record<'amy' | 'bob' | 'sam' | 'root', string> = { amy: '', bob: '', sam: '', root: '' };
  const ids = (body: Record<string, unknown>) =>
    (body['conversations'] as { id: string }[]).map((c) => c.id).sort();

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('visibility') }), silentLogger);
    // amy and bob are agents in different skill groups; sam supervises amy's group; root is an admin.
    token.amy = (await agentSession(server, 'amy', 'agent', ['g_pre'])).token;
    token.bob = (await agentSession(server, 'bob', 'agent', ['g_post'])).token;
    token.sam = (await agentSession(server, 'sam', 'supervisor', ['g_pre'])).token;
    token.root = (await agentSession(server, 'root', 'admin')).token;
    await conversationModel(server.db).insertMany([
      // bob's open chat, with an internal note as its last message
      conversation('c_bob_open', { customer_uid: 'u_wang', agent_uid: 'a_bob', status: 'open' }),
      conversation('c_bob_closed', { customer_uid: 'u_wang', agent_uid: 'a_bob', status: 'closed' }),
      // amy handed this one to bob: she served it
      conversation('c_handed', {
        customer_uid: 'u_zhao',
        agent_uid: 'a_bob',
        status: 'open',
        transfers: [{ from: 'a_amy', to: 'a_bob', at: at(5) }],
      }),
      // amy serves li now; li's earlier chat was bob's
      conversation('c_li_now', { customer_uid: 'u_li', agent_uid: 'a_amy', status: 'open' }),
      conversation('c_li_before', {
        customer_uid: 'u_li',
        agent_uid: 'a_bob',
        status: 'closed',
        created_at: at(600),
      }),
      // the queues: amy's group, bob's group, everyone's
      conversation('q_pre', {
        customer_uid: 'u_q1',
        agent_uid: null,
        status: 'queued',
        route_key: 'g:g_pre',
        route_group_id: 'g_pre',
      }),
      conversation('q_post', {
        customer_uid: 'u_q2',
        agent_uid: null,
        status: 'queued',
        route_key: 'g:g_post',
        route_group_id: 'g_post',
      }),
      conversation('q_any', { customer_uid: 'u_q3', agent_uid: null, status: 'queued', route_key: '*' }),
    ]);
  }, 60_000);
  afterAll(async () => {
    await server.stop();
  });

  it('refuses the queued view of open or closed chats to a plain agent (no other agents’ previews)', async () => {
    for (const status of ['open', 'closed']) {
      const res = await api(server, 'GET', `/agent/conversations?view=queued&status=${status}`, token.amy);
      expect(res.status).toBe(400);
      expect(res.text).not.toContain('内部备注');
    }
  });

  it('shows an agent the queues of their own groups and everyone’s, without message text', async () => {
    const res = await api(server, 'GET', '/agent/conversations?view=queued', token.amy);
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(['q_any', 'q_pre']);
    expect(res.text).not.toContain('内部备注');
    for (const c of res.body['conversations'] as Record<string, unknown>[]) {
      expect(c['last_message']).toBeNull();
      expect(c['access']).toBe('queue');
      expect(c['waiting_ms']).toBeGreaterThanOrEqual(0);
    }
    const detail = await api(server, 'GET', '/agent/conversations/q_pre', token.amy);
    expect(detail.status).toBe(200);
    expect(detail.text).not.toContain('内部备注');
    // ...and the messages of a queued chat are not theirs to read yet.
    expect((await api(server, 'GET', '/conversations/q_pre/messages', token.amy)).status).toBe(404);
    expect((await api(server, 'GET', '/agent/conversations/q_post', token.amy)).status).toBe(404);
  });

  it('hides another agent’s chats from an agent on every route', async () => {
    for (const path of [
      '/agent/conversations/c_bob_open',
      '/agent/conversations/c_bob_closed',
      '/conversations/c_bob_open/messages',
      '/agent/customers/u_wang',
      '/agent/customers/u_wang/conversations',
      '/mall/customers/u_wang/orders',
    ]) {
      const res = await api(server, 'GET', path, token.amy);
      expect(res.status, path).toBe(404);
      expect(res.text).not.toContain('内部备注');
    }
    const history = await api(server, 'GET', '/conversations?customer_uid=u_wang', token.amy);
    expect(history.status).toBe(200);
    expect(ids(history.body)).toEqual([]);
    const closed = await api(server, 'GET', '/agent/conversations?view=mine&status=closed', token.amy);
    expect(ids(closed.body)).toEqual([]);
    expect((await api(server, 'GET', '/agent/conversations?view=all', token.amy)).status).toBe(403);
    const summary = { category: '咨询', tags: [], remark: '' };
    const edit = await api(server, 'PUT', '/agent/conversations/c_bob_closed/summary', token.amy, summary);
    expect(edit.status).toBe(404);
  });

  it('shows an agent the chats they served and the earlier chats of a customer they serve now', async () => {
    expect((await api(server, 'GET', '/agent/conversations/c_handed', token.amy)).status).toBe(200);
    expect((await api(server, 'GET', '/conversations/c_handed/messages', token.amy)).status).toBe(200);
    const li = await api(server, 'GET', '/agent/customers/u_li/conversations', token.amy);
    expect(li.status).toBe(200);
    expect(ids(li.body)).toEqual(['c_li_before', 'c_li_now']);
    expect((await api(server, 'GET', '/agent/conversations/c_li_before', token.amy)).status).toBe(200);
    expect((await api(server, 'GET', '/conversations/c_li_before/messages', token.amy)).status).toBe(200);
    // Bob sees li's earlier chat (he served it), but not the one amy serves now.
    expect((await api(server, 'GET', '/agent/conversations/c_li_now', token.bob)).status).toBe(404);
    const forBob = await api(server, 'GET', '/agent/customers/u_li/conversations', token.bob);
    expect(ids(forBob.body)).toEqual(['c_li_before']);
  });

  it('shows a supervisor the audit log of their groups’ members only, and an admin all of it', async () => {
    const audit = new AuditLogRepository(server.db);
    for (const actorUid of ['a_amy', 'a_bob', 'a_sam'])
      await audit.saveAuditLog({
        action: 'pii.reveal',
        actorUid,
        targetType: 'customer',
        targetId: 'u_wang',
        details: {},
      });
    const actors = (body: Record<string, unknown>) =>
      (body['audit_logs'] as { actor_uid: string }[]).map((e) => e.actor_uid).sort();
    const bySam = await api(server, 'GET', '/admin/audit-logs?action=pii.reveal', token.sam);
    expect(bySam.status).toBe(200);
    expect(actors(bySam.body)).toEqual(['a_amy', 'a_sam']);
    const byRoot = await api(server, 'GET', '/admin/audit-logs?action=pii.reveal', token.root);
    expect(actors(byRoot.body)).toEqual(['a_amy', 'a_bob', 'a_sam']);
  });

  it('shows a supervisor the chats of their groups only, and an admin everything', async () => {
    const all = await api(server, 'GET', '/agent/conversations?view=all&status=open', token.sam);
    expect(all.status).toBe(200);
    // c_handed: amy (sam's group) served it.
    expect(ids(all.body)).toEqual(['c_handed', 'c_li_now']);
    expect((await api(server, 'GET', '/agent/conversations/c_bob_open', token.sam)).status).toBe(404);
    const queued = await api(server, 'GET', '/agent/conversations?view=queued', token.sam);
    expect(ids(queued.body)).toEqual(['q_any', 'q_pre']);
    const pre = (queued.body['conversations'] as Record<string, unknown>[]).find((c) => c['id'] === 'q_pre');
    expect(pre?.['access']).toBe('full');
    const root = await api(server, 'GET', '/agent/conversations?view=all&status=open', token.root);
    expect(ids(root.body)).toEqual(['c_bob_open', 'c_handed', 'c_li_now']);
    expect((await api(server, 'GET', '/agent/customers/u_wang/conversations', token.root)).status).toBe(200);
  });
});
