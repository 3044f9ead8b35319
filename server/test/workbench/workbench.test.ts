// Workbench over the real server, broker and FerretDB: masking on the wire, lists, transfer, close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import type { CustomerClient } from '@kefu/sdk-core';
import type { kefu } from '@kefu/proto';
import { conversationModel } from '../../src/model/conversation.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { online } from '../messaging/harness.js';
import { api, namedCustomer, onlineAgent, tap, type Tap } from './fixtures.js';

const NAME = '张三丰';
const PHONE = '13812345678';
const contains = (b: Buffer, s: string) => b.includes(Buffer.from(s, 'utf8'));

describe('agent workbench', () => {
  let server: KefuServer;
  let amy: Awaited<ReturnType<typeof onlineAgent>>; // agent: no pii:view
  let sam: Awaited<ReturnType<typeof onlineAgent>>; // supervisor: pii:view, monitor
  let zhang: CustomerClient;
  let amyTap: Tap;
  let samTap: Tap;
  let zhangTap: Tap;
  let conversationId: string;

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('workbench') }), silentLogger);
    amy = await onlineAgent(server, 'amy', 'agent', ['g_team']);
    amyTap = await tap(amy.client);
    zhang = namedCustomer(server.url, 'zhang', NAME, PHONE);
    await zhang.start();
    await online(zhang);
    zhangTap = await tap(zhang);
    conversationId = (await zhang.open()).id ?? '';
    await waitFor(
      'assigned to amy',
      async () => (await conversationModel(server.db).findById(conversationId).lean())?.agent_uid === amy.uid,
    );
    await zhang.sendText(conversationId, '你好，我的积分没到账');
    await zhang.send(conversationId, { image: { url: '/api/v1/uploads/x', uploadId: 'x' } });
    await waitFor('stored', () => zhang.pending().length === 0);
  }, 60_000);
  afterAll(async () => {
    const taps: (Tap | undefined)[] = [amyTap, samTap, zhangTap];
    for (const t of taps) await t?.stop();
    const clients: ({ stop(): Promise<void> } | undefined)[] = [amy.client, sam.client, zhang];
    for (const c of clients) await c?.stop();
    await server.stop();
  });

  it('masks the customer’s name in every MQTT payload to an agent without pii:view', async () => {
    await waitFor(
      'message at amy',
      () => amyTap.envelopes.filter((e) => e.message?.sender?.uid === zhang.uid).length >= 2,
    );
    await waitFor('state at amy', () => amyTap.envelopes.find((e) => e.conversation));
    expect(amyTap.raw.some((b) => contains(b, NAME))).toBe(false);
    expect(amyTap.raw.some((b) => contains(b, PHONE))).toBe(false);
    const fromCustomer = amyTap.envelopes.find((e) => e.message?.sender?.uid === zhang.uid);
    expect(fromCustomer?.message?.sender?.name).toBe('张**');
    expect(amyTap.envelopes.find((e) => e.conversation)?.conversation?.customer?.name).toBe('张**');
    // The customer's own devices see their name.
    const own = (e: kefu.v1.Envelope) => e.message?.sender?.uid === zhang.uid;
    await waitFor('echo at zhang', () => zhangTap.envelopes.find(own));
    expect(zhangTap.envelopes.find(own)?.message?.sender?.name).toBe(NAME);
  });

  it('lists my conversations with unread, preview, waiting time and a masked name', async () => {
    const res = await api(server, 'GET', '/agent/conversations?view=mine', amy.token);
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(NAME.slice(1));
    expect(res.text).not.toContain(PHONE);
    const [row] = res.body['conversations'] as Record<string, unknown>[];
    expect(row).toMatchObject({
      id: conversationId,
      status: 'open',
      agent_uid: amy.uid,
      unread: 2,
      customer_read_seq: 0,
    });
    expect(row?.['customer']).toMatchObject({ uid: zhang.uid, name: '张**', vip: false, tags: [] });
    // Seq 1 is the greeting (a notice: neither unread nor the list's last message).
    expect(row?.['last_message']).toMatchObject({ seq: 3, preview: '[图片]', sender_role: 'c' });
    expect(row?.['waiting_ms']).toBeGreaterThan(0);

    await amy.client.sendText(conversationId, '您好，我来查一下');
    await amy.client.markRead(conversationId, 4);
    await waitFor('answered', async () => {
      const again = await api(server, 'GET', `/agent/conversations/${conversationId}`, amy.token);
      const b = again.body;
      return b['waiting_ms'] === 0 &&
        b['unread'] === 0 &&
        (b['last_message'] as { preview?: string } | null)?.preview === '您好，我来查一下'
        ? b
        : undefined;
    });
    // The customer reads the reply: a console loading the list later shows it 已读.
    await zhang.markRead(conversationId, 4);
    await waitFor('the customer’s read mark in the list', async () => {
      const list = await api(server, 'GET', '/agent/conversations?view=mine', amy.token);
      const [again] = list.body['conversations'] as Record<string, unknown>[];
      return again?.['customer_read_seq'] === 4 ? again : undefined;
    });
  });

  it('refuses the all view without monitor and bad queries', async () => {
    expect((await api(server, 'GET', '/agent/conversations?view=all', amy.token)).status).toBe(403);
    expect((await api(server, 'GET', '/agent/conversations?view=everything', amy.token)).status).toBe(400);
    expect((await api(server, 'GET', '/agent/conversations?limit=0', amy.token)).status).toBe(400);
    const customerToken = (await zhang.sessions.current()).token;
    expect((await api(server, 'GET', '/agent/conversations', customerToken)).status).toBe(403);
  });

  it('masks names in history for agents without pii:view and shows them with it', async () => {
    const masked = await api(server, 'GET', `/conversations/${conversationId}/messages`, amy.token);
    expect(masked.status).toBe(200);
    expect(masked.text).not.toContain(NAME);
    expect(masked.text).toContain('张**');
    // A supervisor sees the chats of their skill groups' members (DESIGN.md §3).
    sam = await onlineAgent(server, 'sam', 'supervisor', ['g_team']);
    samTap = await tap(sam.client);
    const shown = await api(server, 'GET', `/conversations/${conversationId}/messages`, sam.token);
    expect(shown.text).toContain(NAME);
    const all = await api(server, 'GET', '/agent/conversations?view=all', sam.token);
    expect(all.status).toBe(200);
    expect(JSON.stringify(all.body)).toContain(NAME);
  });

  it('validates transfers and refuses offline targets, changing nothing', async () => {
    const path = `/agent/conversations/${conversationId}/transfer`;
    expect(
      (await api(server, 'POST', path, amy.token, { to_agent_uid: sam.uid, to_group_id: 'g' })).status,
    ).toBe(400);
    expect((await api(server, 'POST', path, amy.token, {})).status).toBe(400);
    expect((await api(server, 'POST', path, amy.token, { to_agent_uid: 'a_nobody' })).status).toBe(404);
    expect((await api(server, 'POST', path, amy.token, { to_group_id: 'no-such-group' })).status).toBe(409);
    expect((await api(server, 'POST', path, sam.token, { to_agent_uid: amy.uid })).status).toBe(409);
    expect((await conversationModel(server.db).findById(conversationId).lean())?.agent_uid).toBe(amy.uid);
  });

  it('transfers to an online agent: events with the note to agents only, the new state to both', async () => {
    const res = await api(server, 'POST', `/agent/conversations/${conversationId}/transfer`, amy.token, {
      to_agent_uid: sam.uid,
      note: '积分问题，请主管处理',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: conversationId, agent_uid: sam.uid });
    const atSam = await waitFor('event at sam', () =>
      samTap.envelopes.find((e) => e.conversationEvent?.transferred),
    );
    expect(atSam.conversationEvent?.transferred?.note).toBe('积分问题，请主管处理');
    expect(atSam.conversationEvent?.transferred?.from?.uid).toBe(amy.uid);
    const atAmy = await waitFor('event at amy', () =>
      amyTap.envelopes.find((e) => e.conversationEvent?.transferred),
    );
    expect(atAmy.conversationEvent?.transferred?.to?.uid).toBe(sam.uid);
    const atZhang = await waitFor('event at zhang', () =>
      zhangTap.envelopes.find((e) => e.conversationEvent?.transferred),
    );
    expect(atZhang.conversationEvent?.transferred?.note).toBe('');
    expect(zhangTap.raw.some((b) => contains(b, '积分问题，请主管处理'))).toBe(false);
    await waitFor('new state at amy', () =>
      amyTap.envelopes.find((e) => e.conversation?.agent?.uid === sam.uid),
    );
    // The supervisor sees the name unmasked on the wire; amy still never did.
    const samState = await waitFor('state at sam', () =>
      samTap.envelopes.find((e) => e.conversation?.agent?.uid === sam.uid),
    );
    expect(samState.conversation?.customer?.name).toBe(NAME);
    expect(amyTap.raw.some((b) => contains(b, NAME))).toBe(false);
    const mine = await api(server, 'GET', '/agent/conversations?view=mine', amy.token);
    expect(mine.body['conversations']).toEqual([]);
    // A 转接 line for both sides; the note as an agents-only line the new agent keeps in the thread.
    const system = (t: Tap) => t.envelopes.flatMap((e) => (e.message?.content?.system ? [e.message] : []));
    const line = await waitFor('转接 line at zhang', () =>
      system(zhangTap).find((m) => m.content?.system?.code === 'transferred'),
    );
    expect(line.content?.system?.params).toEqual({ from: 'amy', to: 'sam' });
    const lines = await waitFor('both lines at sam', () => {
      const codes = system(samTap).map((m) => m.content?.system?.code);
      return codes.includes('transferred') && codes.includes('transfer_note') ? codes : undefined;
    });
    expect(lines).toEqual(['transferred', 'transfer_note']);
    const history = await api(server, 'GET', `/conversations/${conversationId}/messages`, sam.token);
    expect(history.text).toContain('amy 的转接备注：积分问题，请主管处理');
    await new Promise((r) => setTimeout(r, 300));
    expect(zhangTap.raw.some((b) => contains(b, '积分问题，请主管处理'))).toBe(false);
  });

  it('lets only one of two concurrent transfers win', async () => {
    const path = `/agent/conversations/${conversationId}/transfer`;
    const results = await Promise.all([
      api(server, 'POST', path, sam.token, { to_agent_uid: amy.uid }),
      api(server, 'POST', path, sam.token, { to_agent_uid: amy.uid }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const doc = await conversationModel(server.db).findById(conversationId).lean();
    expect(doc?.agent_uid).toBe(amy.uid);
    expect(doc?.transfers).toHaveLength(2);
  });

  it('closes with a summary, refuses unknown options without closing, and edits it later', async () => {
    const options = await api(server, 'GET', '/agent/summary-options', amy.token);
    expect(options.body['categories']).toContain('咨询');
    const path = `/agent/conversations/${conversationId}/close`;
    const bad = await api(server, 'POST', path, amy.token, { summary: { category: '未知', tags: [] } });
    expect(bad.status).toBe(400);
    expect((await conversationModel(server.db).findById(conversationId).lean())?.status).toBe('open');
    expect((await api(server, 'POST', path, sam.token, {})).status).toBe(403);
    const closed = await api(server, 'POST', path, amy.token, {
      summary: { category: '咨询', tags: ['积分问题'], remark: '已补发' },
    });
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({
      status: 'closed',
      summary: { category: '咨询', tags: ['积分问题'], remark: '已补发', by: amy.uid },
    });
    const edited = await api(server, 'PUT', `/agent/conversations/${conversationId}/summary`, amy.token, {
      category: '售后',
      tags: ['已解决'],
      remark: '',
    });
    expect(edited.status).toBe(200);
    expect(edited.body['summary']).toMatchObject({ category: '售后', tags: ['已解决'] });
    expect(
      (
        await api(server, 'PUT', `/agent/conversations/${conversationId}/summary`, amy.token, {
          category: '售后',
          extra: 1,
        })
      ).status,
    ).toBe(400);
  });

  it('keeps summary options in settings; only config may change them', async () => {
    const body = { categories: ['退换货'], tags: ['加急'] };
    expect((await api(server, 'PUT', '/admin/summary-options', amy.token, body)).status).toBe(403);
    const admin = await onlineAgent(server, 'ada', 'admin');
    expect((await api(server, 'PUT', '/admin/summary-options', admin.token, { categories: [] })).status).toBe(
      400,
    );
    expect((await api(server, 'PUT', '/admin/summary-options', admin.token, body)).status).toBe(200);
    expect((await api(server, 'GET', '/agent/summary-options', amy.token)).body).toEqual(body);
    await admin.client.stop();
  });

  it('answers /agent/me', async () => {
    const me = await api(server, 'GET', '/agent/me', amy.token);
    expect(me.body).toMatchObject({
      uid: amy.uid,
      name: 'amy',
      agent_role: 'agent',
      perms: ['chat', 'points:view'],
      status: 'online',
      max_concurrent: 5,
      group_ids: ['g_team'],
    });
  });
});
