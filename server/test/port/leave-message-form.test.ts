// The leave-message form (POST /sdk/leave-messages): what is stored, who must leave contact details,
// refused bodies, the hourly limit and the conversation it may name. Server: leave-message-server.ts.
import { describe, expect, it } from 'vitest';
import { leaveMessageModel } from '../../src/model/leave-message.js';
import { call, customerSession, visitorSession } from '../mall/sessions.js';
import { useLeaveMessageServer, valid } from './leave-message-server.js';

describe('leave-message routes', () => {
  const env = useLeaveMessageServer();

  it('declares an index for each query', async () => {
    const indexes = (await leaveMessageModel(env.server.db).listIndexes()) as {
      key: Record<string, number>;
    }[];
    const keys = indexes.map((ix) => JSON.stringify(ix.key));
    expect(keys).toEqual(
      expect.arrayContaining(['{"_id":1}', '{"customer_uid":1,"created_at":-1}', '{"status":1,"_id":-1}']),
    );
  });

  it('stores a customer’s message with status new', async () => {
    const { token, user } = await customerSession(env.server, 'lm-stored');
    const res = await call(env.server, 'POST', '/sdk/leave-messages', token, {
      ...valid,
      email: 'zhang.san@example.com',
      page_url: 'https://mall.example/products/p1001',
      page_title: '小米充电宝',
    });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['created_at', 'id']);
    expect(res.body['id']).toMatch(/^[0-9A-Z]{26}$/);
    const doc = await leaveMessageModel(env.server.db)
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
    const { token } = await customerSession(env.server, 'lm-nocontact');
    expect((await call(env.server, 'POST', '/sdk/leave-messages', token, { content: '请回电' })).status).toBe(
      201,
    );
  });

  it('refuses a visitor without a phone number or email, and accepts one with either', async () => {
    const { token } = await visitorSession(env.server);
    const before = await env.stored();
    const refused = await call(env.server, 'POST', '/sdk/leave-messages', token, {
      name: '访客',
      content: '在吗',
    });
    expect(refused).toMatchObject({
      status: 400,
      body: {
        error: { code: 'bad_request', message: 'Visitors must leave a phone number or an email address' },
      },
    });
    expect(await env.stored()).toBe(before);
    const blank = await call(env.server, 'POST', '/sdk/leave-messages', token, {
      phone: ' ',
      email: '',
      content: '在吗',
    });
    expect(blank.status).toBe(400);
    expect(
      (
        await call(env.server, 'POST', '/sdk/leave-messages', token, {
          email: 'v@example.com',
          content: '在吗',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(env.server, 'POST', '/sdk/leave-messages', token, {
          phone: '+85291234567',
          content: '在吗',
        })
      ).status,
    ).toBe(201);
    expect(await env.stored()).toBe(before + 2);
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
    const { token } = await customerSession(env.server, 'lm-bad');
    const before = await env.stored();
    const res = await call(env.server, 'POST', '/sdk/leave-messages', token, body);
    expect(res.status).toBe(400);
    const error = res.body['error'] as {
      code: string;
      message: string;
      details?: { fields: { path: string }[] };
    };
    expect(error.code).toBe('bad_request');
    expect(error.message).toContain(field);
    if (field) expect(error.details?.fields.map((f) => f.path)).toContain(field);
    expect(await env.stored()).toBe(before);
  });

  it('refuses a body that is not JSON', async () => {
    const { token } = await customerSession(env.server, 'lm-bad');
    const res = await call(env.server, 'POST', '/sdk/leave-messages', token, '{"content":');
    expect(res).toMatchObject({
      status: 400,
      body: { error: { message: 'The request body is not valid JSON' } },
    });
  });

  it('limits each customer to LEAVE_MESSAGES_PER_HOUR per hour', async () => {
    const { token } = await customerSession(env.server, 'lm-limit');
    for (let i = 0; i < 3; i++) {
      expect(
        (await call(env.server, 'POST', '/sdk/leave-messages', token, { content: `第 ${String(i + 1)} 条` }))
          .status,
      ).toBe(201);
    }
    const before = await env.stored();
    const limited = await call(env.server, 'POST', '/sdk/leave-messages', token, { content: '第 4 条' });
    expect(limited.status).toBe(429);
    expect(limited.body['error']).toMatchObject({
      code: 'rate_limited',
      message: 'At most 3 messages may be left per hour; try again in 60 min',
    });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(3_500);
    expect(await env.stored()).toBe(before);
    // Another customer is not affected.
    const other = await customerSession(env.server, 'lm-limit-other');
    expect(
      (await call(env.server, 'POST', '/sdk/leave-messages', other.token, { content: '你好' })).status,
    ).toBe(201);
  });

  it('accepts a conversation of the customer’s own, not someone else’s', async () => {
    const { token, user } = await customerSession(env.server, 'lm-conv');
    const { conversationModel } = await import('../../src/model/conversation.js');
    await conversationModel(env.server.db).create([
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
        await call(env.server, 'POST', '/sdk/leave-messages', token, {
          content: 'x',
          conversation_id: 'conv-lm-own',
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await call(env.server, 'POST', '/sdk/leave-messages', token, {
          content: 'x',
          conversation_id: 'conv-lm-other',
        })
      ).status,
    ).toBe(400);
  });
});
