// Quick replies, dashboard widgets and the audit log over the real server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import type { CustomerClient } from '@kefu/sdk-core';
import { conversationModel } from '../../src/model/conversation.js';
import { RatingRepository } from '../../src/repository/rating-repository.js';
import { AuditLogRepository } from '../../src/repository/audit-log-repository.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { customer, online } from '../messaging/harness.js';
import { api, onlineAgent } from './fixtures.js';

describe('quick replies', () => {
  let server: KefuServer;
  let amy: Awaited<ReturnType<typeof onlineAgent>>;
  let bob: Awaited<ReturnType<typeof onlineAgent>>;
  let ada: Awaited<ReturnType<typeof onlineAgent>>;
  let zoe: CustomerClient;

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('quick_replies') }), silentLogger);
    amy = await onlineAgent(server, 'amy', 'agent');
    bob = await onlineAgent(server, 'bob', 'agent');
    ada = await onlineAgent(server, 'ada', 'admin');
    zoe = customer(server.url, 'zoe');
    await zoe.start();
    await online(zoe);
  }, 60_000);
  afterAll(async () => {
    for (const c of [amy.client, bob.client, ada.client, zoe]) await c.stop();
    await server.stop();
  });

  it('creates personal replies for anyone and team replies with config only', async () => {
    const mine = await api(server, 'POST', '/agent/quick-replies', amy.token, {
      scope: 'personal',
      shortcut: 'hi',
      title: '问候',
      text: '您好，很高兴为您服务',
    });
    expect(mine.status).toBe(201);
    expect(mine.body).toMatchObject({ scope: 'personal', shortcut: 'hi' });
    const team = { scope: 'team', shortcut: 'points', title: '积分到账', text: '积分一般在 24 小时内到账' };
    expect((await api(server, 'POST', '/agent/quick-replies', amy.token, team)).status).toBe(403);
    expect((await api(server, 'POST', '/agent/quick-replies', ada.token, team)).status).toBe(201);
    expect((await api(server, 'POST', '/agent/quick-replies', ada.token, team)).status).toBe(409);
    const bad = { scope: 'personal', shortcut: 'two words', title: 't', text: 'x' };
    expect((await api(server, 'POST', '/agent/quick-replies', amy.token, bad)).status).toBe(400);
    expect((await api(server, 'POST', '/agent/quick-replies', amy.token, { shortcut: 'x' })).status).toBe(
      400,
    );
    expect(
      (await api(server, 'GET', '/agent/quick-replies', (await zoe.sessions.current()).token)).status,
    ).toBe(403);
  });

  it('lists personal first and searches by shortcut, title or text prefix', async () => {
    const all = await api(server, 'GET', '/agent/quick-replies', amy.token);
    const list = all.body['quick_replies'] as { scope: string; shortcut: string }[];
    expect(list.map((r) => `${r.scope}:${r.shortcut}`)).toEqual(['personal:hi', 'team:points']);
    const byShortcut = await api(server, 'GET', '/agent/quick-replies?q=PO', amy.token);
    expect((byShortcut.body['quick_replies'] as unknown[]).length).toBe(1);
    const byTitle = await api(server, 'GET', `/agent/quick-replies?q=${encodeURIComponent('问')}`, amy.token);
    expect(byTitle.body['quick_replies']).toEqual([expect.objectContaining({ shortcut: 'hi' })]);
    const byText = await api(
      server,
      'GET',
      `/agent/quick-replies?q=${encodeURIComponent('积分一般')}`,
      amy.token,
    );
    expect(byText.body['quick_replies']).toEqual([expect.objectContaining({ shortcut: 'points' })]);
    const others = await api(server, 'GET', '/agent/quick-replies', bob.token);
    expect(others.body['quick_replies']).toEqual([expect.objectContaining({ scope: 'team' })]);
  });

  it('edits and deletes own personal replies; team ones need config', async () => {
    const list = (await api(server, 'GET', '/agent/quick-replies', amy.token)).body['quick_replies'] as {
      id: string;
      scope: string;
    }[];
    const personal = list.find((r) => r.scope === 'personal')?.id ?? '';
    const team = list.find((r) => r.scope === 'team')?.id ?? '';
    expect(
      (await api(server, 'PATCH', `/agent/quick-replies/${personal}`, bob.token, { title: 'x' })).status,
    ).toBe(404);
    expect((await api(server, 'PATCH', `/agent/quick-replies/${personal}`, amy.token, {})).status).toBe(400);
    const edited = await api(server, 'PATCH', `/agent/quick-replies/${personal}`, amy.token, {
      title: '开场白',
    });
    expect(edited.body).toMatchObject({ title: '开场白', shortcut: 'hi' });
    expect(
      (await api(server, 'PATCH', `/agent/quick-replies/${team}`, amy.token, { title: 'x' })).status,
    ).toBe(403);
    expect((await api(server, 'DELETE', `/agent/quick-replies/${team}`, amy.token)).status).toBe(403);
    expect((await api(server, 'DELETE', `/agent/quick-replies/${team}`, ada.token)).status).toBe(204);
    expect((await api(server, 'DELETE', `/agent/quick-replies/${personal}`, amy.token)).status).toBe(204);
    expect((await api(server, 'GET', '/agent/quick-replies', amy.token)).body['quick_replies']).toEqual([]);
  });

  it('computes the dashboard for the caller from messages and ratings', async () => {
    await bob.client.setStatus('away');
    await ada.client.setStatus('away');
    const c = await zoe.open();
    const id = c.id ?? '';
    await waitFor(
      'assigned',
      async () => (await conversationModel(server.db).findById(id).lean())?.agent_uid,
    );
    const assignee = (await conversationModel(server.db).findById(id).lean())?.agent_uid;
    expect(assignee).toBe(amy.uid);
    await zoe.sendText(id, '在吗');
    await new Promise((r) => setTimeout(r, 50));
    await amy.client.sendText(id, '在的');
    const doc = await waitFor('first response', async () => {
      const d = await conversationModel(server.db).findById(id).lean();
      return d?.first_response_at ? d : undefined;
    });
    const frt = (doc.first_response_at!.getTime() - doc.assigned_at!.getTime()) / 1000;
    expect((await api(server, 'POST', `/agent/conversations/${id}/close`, amy.token, {})).status).toBe(200);
    const ratings = new RatingRepository(server.db);
    for (const [i, score] of [5, 2].entries()) {
      await ratings.saveRating({
        conversationId: id,
        inviteId: `t${String(i)}`,
        customerUid: zoe.uid!,
        agentUid: amy.uid,
        scale: 'five_star',
        score,
        tags: [],
        solved: 'unknown',
        declined: false,
        clientMsgId: `c${String(i)}`,
        createdAt: new Date(),
      });
    }
    const res = await api(server, 'GET', '/agent/dashboard', amy.token);
    expect(res.status).toBe(200);
    const widgets = Object.fromEntries(
      (res.body['widgets'] as { id: string; value: number | null }[]).map((w) => [w.id, w.value]),
    );
    expect(widgets).toEqual({
      my_open: 0,
      my_frt_today: Math.round(frt * 10) / 10,
      my_closed_today: 1,
      my_rating_avg: 3.5,
    });
    const lead = await api(server, 'GET', '/agent/dashboard', ada.token);
    expect((lead.body['widgets'] as { id: string }[]).map((w) => w.id)).toContain('team_open');
  });

  it('lets config change widget sets per role and validates them', async () => {
    expect((await api(server, 'GET', '/admin/dashboard/agent', amy.token)).status).toBe(403);
    expect(
      (await api(server, 'PUT', '/admin/dashboard/agent', ada.token, { widgets: ['nope'] })).status,
    ).toBe(400);
    expect((await api(server, 'PUT', '/admin/dashboard/boss', ada.token, { widgets: [] })).status).toBe(404);
    const set = await api(server, 'PUT', '/admin/dashboard/agent', ada.token, {
      widgets: ['my_satisfaction', 'team_open', 'queue_length'],
    });
    expect(set.body).toEqual({ widgets: ['my_satisfaction', 'team_open', 'queue_length'] });
    expect((await api(server, 'GET', '/admin/dashboard/agent', ada.token)).body).toEqual(set.body);
    // team_open needs monitor: an agent without it does not get it even when configured.
    const res = await api(server, 'GET', '/agent/dashboard', amy.token);
    expect(res.body['widgets']).toEqual([
      { id: 'my_satisfaction', title: '今日满意度', value: 50, unit: '%' },
      { id: 'queue_length', title: '排队人数', value: 0 },
    ]);
  });

  it('lists audit logs for monitor or config, filtered and paged', async () => {
    const log = new AuditLogRepository(server.db);
    for (let i = 0; i < 3; i++)
      await log.saveAuditLog({
        action: 'pii.reveal',
        actorUid: ada.uid,
        targetType: 'customer',
        targetId: zoe.uid!,
        details: { fields: 'name' },
        at: new Date(Date.now() - 1000 * (i + 1)),
      });
    expect((await api(server, 'GET', '/admin/audit-logs', amy.token)).status).toBe(403);
    expect((await api(server, 'GET', '/admin/audit-logs?action=$bad', ada.token)).status).toBe(400);
    const page = await api(server, 'GET', '/admin/audit-logs?action=pii.reveal&limit=2', ada.token);
    expect(page.status).toBe(200);
    expect(page.body['audit_logs']).toHaveLength(2);
    const next = page.body['next_before'] as string;
    const rest = await api(
      server,
      'GET',
      `/admin/audit-logs?action=pii.reveal&before=${encodeURIComponent(next)}`,
      ada.token,
    );
    expect(rest.body['audit_logs']).toEqual([
      expect.objectContaining({ actor_uid: ada.uid, details: { fields: 'name' } }),
    ]);
  });
});
