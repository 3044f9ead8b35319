import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { auditLogModel } from '../../src/model/audit-log.js';
import { leaveMessageModel } from '../../src/model/leave-message.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agentSession, call, customerSession, visitorSession } from '../mall/sessions.js';

interface Listed {
  id: string;
  customer_uid: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  pii_masked: boolean;
  content: string;
  status: string;
}

describe('leave-message routes', () => {
  let server: KefuServer;
  let supervisor: string;
  let agent: string;
  const stored = () => leaveMessageModel(server.db).countDocuments();
  const valid = { name: '张三', phone: '13812345678', content: '你好，我的订单一直没有发货，请尽快联系我。' };

  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('leave_messages'), LEAVE_MESSAGES_PER_HOUR: '3' }),
      silentLogger,
    );
    supervisor = (await agentSession(server, 'lm-supervisor', 'supervisor')).token;
    agent = (await agentSession(server, 'lm-agent', 'agent')).token;
  });
  afterAll(async () => {
    await server.stop();
  });

  it('declares an index for each query', async () => {
    const indexes = (await leaveMessageModel(server.db).listIndexes()) as { key: Record<string, number> }[];
    const keys = indexes.map((ix) => JSON.stringify(ix.key));
    expect(keys).toEqual(
      expect.arrayContaining(['{"_id":1}', '{"customer_uid":1,"created_at":-1}', '{"status":1,"_id":-1}']),
    );
  });

  it('stores a customer’s message with status new', async () => {
    const { token, user } = await customerSession(server, 'lm-stored');
    const res = await call(server, 'POST', '/sdk/leave-messages', token, {
      ...valid,
      email: 'zhang.san@example.com',
      page_url: 'https://mall.example/products/p1001',
      page_title: '小米充电宝',
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['created_at', 'id']);
    expect(res.body['id']).toMatch(/^[0-9A-Z]{26}$/);
    const doc = await leaveMessageModel(server.db)
      .findById(res.body['id'] as string)
      .lean();
    expect(doc).toMatchObject({
      customer_uid: user.uid,
      customer_kind: 'customer',
      name: '张三',
      phone: '13812345678',
      email: 'zhang.san@example.com',
      content: valid.content,
      page_url: 'https://mall.example/products/p1001',
      page_title: '小米充电宝',
      status: 'new',
    });
    expect(doc?.created_at.toISOString()).toBe(res.body['created_at']);
  });

  it('lets a signed-in customer leave a message without contact details', async () => {
    const { token } = await customerSession(server, 'lm-nocontact');
    expect((await call(server, 'POST', '/sdk/leave-messages', token, { content: '请回电' })).status).toBe(
      201,
    );
  });

  it('refuses a visitor without a phone number or email, and accepts one with either', async () => {
    const { token } = await visitorSession(server);
    const before = await stored();
    const refused = await call(server, 'POST', '/sdk/leave-messages', token, {
      name: '访客',
      content: '在吗',
    });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        error: { code: 'bad_request', message: 'Visitors must leave a phone number or an email address' },
      },
    });
    expect(await stored()).toBe(before);
    const blank = await call(server, 'POST', '/sdk/leave-messages', token, {
      phone: ' ',
      email: '',
      content: '在吗',
    });
    expect(blank.status).toBe(400);
    expect(
      (await call(server, 'POST', '/sdk/leave-messages', token, { email: 'v@example.com', content: '在吗' }))
        .status,
    ).toBe(201);
    expect(
      (await call(server, 'POST', '/sdk/leave-messages', token, { phone: '+85291234567', content: '在吗' }))
        .status,
    ).toBe(201);
    expect(await stored()).toBe(before + 2);
  });

  it.each([
    ['content missing', { phone: '13812345678' }, 'content'],
    ['content empty', { content: '   ' }, 'content'],
    ['content too long', { content: '长'.repeat(2001) }, 'content'],
    ['content not a string', { content: 42 }, 'content'],
    ['phone too short', { content: 'x', phone: '1381234' }, 'phone'],
    ['phone not mainland', { content: 'x', phone: '12812345678' }, 'phone'],
    ['phone with letters', { content: 'x', phone: '+86abc' }, 'phone'],
    ['email malformed', { content: 'x', email: 'zhang.san@' }, 'email'],
    ['name too long', { content: 'x', name: '名'.repeat(51) }, 'name'],
    ['page_url not http', { content: 'x', page_url: 'javascript:alert(1)' }, 'page_url'],
    ['page_title too long', { content: 'x', page_title: 't'.repeat(201) }, 'page_title'],
    ['conversation_id too long', { content: 'x', conversation_id: 'c'.repeat(65) }, 'conversation_id'],
    [
      'conversation_id unknown',
      { content: 'x', conversation_id: '01JZZZZZZZZZZZZZZZZZZZZZZZ' },
      'conversation_id',
    ],
    ['unknown field', { content: 'x', urgent: true }, ''],
  ])('refuses a bad body (%s) and stores nothing', async (_what, body, field) => {
    const { token } = await customerSession(server, 'lm-bad');
    const before = await stored();
    const res = await call(server, 'POST', '/sdk/leave-messages', token, body);
    expect(res.status).toBe(400);
    const error = res.body['error'] as {
      code: string;
      message: string;
      details?: { fields: { path: string }[] };
    };
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain(field);
    if (field) expect(error.details?.fields.map((f) => f.path)).toContain(field);
    expect(await stored()).toBe(before);
  });

  it('refuses a body that is not JSON', async () => {
    const { token } = await customerSession(server, 'lm-bad');
    const res = await call(server, 'POST', '/sdk/leave-messages', token, '{"content":');
    expect(res).toMatchObject({
      status: 400,
      body: { error: { message: 'The request body is not valid JSON' } },
    });
  });

  it('limits each customer to LEAVE_MESSAGES_PER_HOUR per hour', async () => {
    const { token } = await customerSession(server, 'lm-limit');
    for (let i = 0; i < 3; i++) {
      expect(
        (await call(server, 'POST', '/sdk/leave-messages', token, { content: `第 ${String(i + 1)} 条` }))
          .status,
      ).toBe(201);
    }
    const before = await stored();
    const limited = await call(server, 'POST', '/sdk/leave-messages', token, { content: '第 4 条' });
    expect(limited.status).toBe(429);
    expect(limited.body['error']).toMatchObject({
      code: 'rate_limited',
      message: 'At most 3 messages may be left per hour; try again in 60 min',
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3_500);
    expect(await stored()).toBe(before);
    // Another customer is not affected.
    const other = await customerSession(server, 'lm-limit-other');
    expect((await call(server, 'POST', '/sdk/leave-messages', other.token, { content: '你好' })).status).toBe(
      201,
    );
  });

  it('accepts a conversation of the customer’s own, not someone else’s', async () => {
    const { token, user } = await customerSession(server, 'lm-conv');
    const { conversationModel } = await import('../../src/model/conversation.js');
    await conversationModel(server.db).create([
      {
        _id: 'conv-lm-own',
        customer_uid: user.uid,
        status: 'closed',
        channel: 'web',
        created_at: new Date(),
      },
      {
        _id: 'conv-lm-other',
        customer_uid: 'u_somebody',
        status: 'closed',
        channel: 'web',
        created_at: new Date(),
      },
    ]);
    expect(
      (
        await call(server, 'POST', '/sdk/leave-messages', token, {
          content: 'x',
          conversation_id: 'conv-lm-own',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(server, 'POST', '/sdk/leave-messages', token, {
          content: 'x',
          conversation_id: 'conv-lm-other',
        })
      ).status,
    ).toBe(400);
  });

  it('lets agents list messages newest first, paged, by status, contact data always masked', async () => {
    const { token, user } = await customerSession(server, 'lm-list');
    await call(server, 'POST', '/sdk/leave-messages', token, {
      ...valid,
      email: 'zhang.san@example.com',
      content: '较早',
    });
    await call(server, 'POST', '/sdk/leave-messages', token, { ...valid, content: '较新' });

    const first = await call(server, 'GET', '/leave-messages?limit=1', supervisor);
    expect(first.status).toBe(200);
    const [newest] = first.body['leave_messages'] as Listed[];
    // Even with pii:view, a list shows no contact data unrecorded: that takes a reveal (audited, below).
    expect(newest).toMatchObject({
      customer_uid: user.uid,
      content: '较新',
      name: '张*',
      phone: '138****5678',
      pii_masked: true,
      status: 'new',
    });
    const next = first.body['next_before'] as string;
    expect(next).toBe(newest?.id);
    const second = await call(server, 'GET', `/leave-messages?limit=1&before=${next}`, supervisor);
    expect((second.body['leave_messages'] as Listed[])[0]).toMatchObject({
      content: '较早',
      email: 'z***@example.com',
    });

    const masked = await call(server, 'GET', '/leave-messages?status=new&limit=2', agent);
    expect(masked.body['leave_messages']).toEqual([
      expect.objectContaining({
        content: '较新',
        name: '张*',
        phone: '138****5678',
        email: null,
        pii_masked: true,
      }),
      expect.objectContaining({ content: '较早', email: 'z***@example.com', pii_masked: true }),
    ]);
    const handled = await call(server, 'GET', '/leave-messages?status=handled', supervisor);
    expect(handled.body).toEqual({ leave_messages: [], next_before: null });

    const all: Listed[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(
        server,
        'GET',
        `/leave-messages?limit=4${cursor ? `&before=${cursor}` : ''}`,
        supervisor,
      );
      all.push(...(page.body['leave_messages'] as Listed[]));
      cursor = page.body['next_before'] as string | null;
    } while (cursor);
    expect(all).toHaveLength(await stored());
    const ids = all.map((m) => m.id);
    expect(ids).toEqual([...ids].sort().reverse());
  });

  it('reveals contact data to pii:view only, and records every reveal', async () => {
    const { token } = await customerSession(server, 'lm-reveal');
    const left = await call(server, 'POST', '/sdk/leave-messages', token, {
      ...valid,
      email: 'li.si@example.com',
    });
    const id = left.body['id'] as string;
    const path = `/leave-messages/${id}/reveal`;
    const audit = auditLogModel(server.db);
    expect((await call(server, 'POST', path, agent, {})).status).toBe(403);
    expect((await call(server, 'POST', path, supervisor, { fields: ['content'] })).status).toBe(400);
    expect(
      (await call(server, 'POST', '/leave-messages/01ARZ3NDEKTSV4RRFFQ69G5FAV/reveal', supervisor, {}))
        .status,
    ).toBe(404);
    expect(await audit.countDocuments({ target_id: id })).toBe(0);
    const shown = await call(server, 'POST', path, supervisor, { fields: ['phone', 'email'] });
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ phone: '13812345678', email: 'li.si@example.com' });
    const entries = await audit.find({ target_id: id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'pii.reveal', target_type: 'leave_message' });
  });

  it('keeps the list from customers and visitors, and the form from agents', async () => {
    const customer = await customerSession(server, 'lm-snoop');
    const visitor = await visitorSession(server);
    expect((await call(server, 'GET', '/leave-messages', customer.token)).status).toBe(403);
    expect((await call(server, 'GET', '/leave-messages', visitor.token)).status).toBe(403);
    const before = await stored();
    expect((await call(server, 'POST', '/sdk/leave-messages', agent, valid)).status).toBe(403);
    expect(await stored()).toBe(before);
  });

  it('requires a bearer token', async () => {
    expect((await call(server, 'POST', '/sdk/leave-messages', undefined, valid)).status).toBe(401);
    expect((await call(server, 'GET', '/leave-messages')).status).toBe(401);
    expect((await call(server, 'GET', '/leave-messages', 'forged.token.here')).status).toBe(401);
  });

  it.each([
    '/leave-messages?limit=0',
    '/leave-messages?limit=101',
    '/leave-messages?status=done',
    '/leave-messages?before=abc',
    '/leave-messages?x=1',
  ])('rejects a bad list query %s', async (path) => {
    expect((await call(server, 'GET', path, supervisor)).status).toBe(400);
  });
});
