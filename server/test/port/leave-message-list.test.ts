// The leave messages for agents (GET /leave-messages, reveal): paged lists with contact data masked,
// audited reveals for pii:view, and who may use which route. Server: leave-message-server.ts.
import { describe, expect, it } from 'vitest';
import { auditLogModel } from '../../src/model/audit-log.js';
import { call, customerSession, visitorSession } from '../mall/sessions.js';
import { useLeaveMessageServer, valid, type Listed } from './leave-message-server.js';

describe('leave-message routes', () => {
  const env = useLeaveMessageServer();

  it('lets agents list messages newest first, paged, by status, contact data always masked', async () => {
    const { token, user } = await customerSession(env.server, 'lm-list');
    await call(env.server, 'POST', '/sdk/leave-messages', token, {
      ...valid,
      email: 'zhang.san@example.com',
      content: '较早',
    });
    await call(env.server, 'POST', '/sdk/leave-messages', token, { ...valid, content: '较新' });

    const first = await call(env.server, 'GET', '/leave-messages?limit=1', env.supervisor);
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
    const second = await call(env.server, 'GET', `/leave-messages?limit=1&before=${next}`, env.supervisor);
    expect((second.body['leave_messages'] as Listed[])[0]).toMatchObject({
      content: '较早',
      email: 'z***@example.com',
    });

    const masked = await call(env.server, 'GET', '/leave-messages?status=new&limit=2', env.agent);
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
    const handled = await call(env.server, 'GET', '/leave-messages?status=handled', env.supervisor);
    expect(handled.body).toEqual({ leave_messages: [], next_before: null });

    const all: Listed[] = [];
    let cursor: string | null = null;
    do {
      const page = await call(
        env.server,
        'GET',
        `/leave-messages?limit=4${cursor ? `&before=${cursor}` : ''}`,
        env.supervisor,
      );
      all.push(...(page.body['leave_messages'] as Listed[]));
      cursor = page.body['next_before'] as string | null;
    } while (cursor);
    expect(all).toHaveLength(await env.stored());
    const ids = all.map((m) => m.id);
    expect(ids).toEqual([...ids].sort().reverse());
  });

  it('reveals contact data to pii:view only, and records every reveal', async () => {
    const { token } = await customerSession(env.server, 'lm-reveal');
    const left = await call(env.server, 'POST', '/sdk/leave-messages', token, {
      ...valid,
      email: 'li.si@example.com',
    });
    const id = left.body['id'] as string;
    const path = `/leave-messages/${id}/reveal`;
    const audit = auditLogModel(env.server.db);
    expect((await call(env.server, 'POST', path, env.agent, {})).status).toBe(403);
    expect((await call(env.server, 'POST', path, env.supervisor, { fields: ['content'] })).status).toBe(400);
    expect(
      (
        await call(
          env.server,
          'POST',
          '/leave-messages/01ARZ3NDEKTSV4RRFFQ69G5FAV/reveal',
          env.supervisor,
          {},
        )
      ).status,
    ).toBe(404);
    expect(await audit.countDocuments({ target_id: id })).toBe(0);
    const shown = await call(env.server, 'POST', path, env.supervisor, { fields: ['phone', 'email'] });
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ phone: '13812345678', email: 'li.si@example.com' });
    const entries = await audit.find({ target_id: id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ action: 'pii.reveal', target_type: 'leave_message' });
  });

  it('keeps the list from customers and visitors, and the form from agents', async () => {
    const customer = await customerSession(env.server, 'lm-snoop');
    const visitor = await visitorSession(env.server);
    expect((await call(env.server, 'GET', '/leave-messages', customer.token)).status).toBe(403);
    expect((await call(env.server, 'GET', '/leave-messages', visitor.token)).status).toBe(403);
    const before = await env.stored();
    expect((await call(env.server, 'POST', '/sdk/leave-messages', env.agent, valid)).status).toBe(403);
    expect(await env.stored()).toBe(before);
  });

  it('requires a bearer token', async () => {
    expect((await call(env.server, 'POST', '/sdk/leave-messages', undefined, valid)).status).toBe(401);
    expect((await call(env.server, 'GET', '/leave-messages')).status).toBe(401);
    expect((await call(env.server, 'GET', '/leave-messages', 'forged.token.here')).status).toBe(401);
  });

  it.each([
    '/leave-messages?limit=0',
    '/leave-messages?limit=101',
    '/leave-messages?status=done',
    '/leave-messages?before=abc',
    '/leave-messages?x=1',
  ])('rejects a bad list query %s', async (path) => {
    expect((await call(env.server, 'GET', path, env.supervisor)).status).toBe(400);
  });
});
