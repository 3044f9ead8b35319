import { afterEach, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { kefu } from '@kefu/proto';
import { newId } from '../../src/ids.js';
import { testMongoUri } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { MessageRepository } from '../../src/repository/message-repository.js';
import { RoutingRepository } from '../../src/repository/routing-repository.js';
import type { RoutingConfig } from '../../src/service/routing/settings.js';
import { onlineAgent, routingInstance } from './instance.js';

// The routing timeouts on the real database. The scan runs with a `now` moved forward (the clock is a
// parameter), so no test waits minutes; two instances scan the same conversations to show each step is
// taken once.

let db: mongoose.Connection | undefined;
afterEach(async () => {
  await db?.dropDatabase().catch(() => undefined);
  await db?.close();
  db = undefined;
});

const later = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);

async function setup(
  label: string,
  agents: { uid: string; limit: number }[],
  config: Partial<RoutingConfig>,
) {
  db = await mongoose.createConnection(testMongoUri(label)).asPromise();
  await db.syncIndexes();
  for (const [i, a] of agents.entries())
    await onlineAgent(db, a.uid, a.limit, new Date(Date.UTC(2026, 0, 1, 0, i)));
  const one = routingInstance(db);
  const two = routingInstance(db);
  await one.allocator.saveConfig(config);
  const conn = db;
  // The timeouts' notices (every chat also starts with a greeting, rules.test.ts covers it).
  const notices = async (conversationId: string) =>
    (await new MessageRepository(conn).listMessagesAfter(conversationId, 0, 100))
      .filter((m) => m.contentKind === 'system')
      .map((m) => [kefu.v1.Content.decode(m.content).system?.code ?? '', m.internalNote] as const)
      .filter(([code]) => code !== 'greeting');
  const say = (role: 'a' | 'c', uid: string, conversationId: string, text: string) =>
    one.messaging.send({ role, uid }, newId(), { conversationId, content: { text: { text } } });
  const events = async () => {
    await Promise.all([one.events.written(), two.events.written()]);
    return (await new RoutingRepository(conn).listEvents({}, 100))
      .filter((e) => e.type === 'timed_out' || e.type === 'transferred')
      .map((e) => `${e.type}:${e.reason ?? ''}`);
  };
  const conversation = async (id: string) => (await conversationModel(conn).findById(id).lean())!;
  return { one, two, notices, say, events, conversation };
}

describe('queue timeout', () => {
  it('reminds once, restarts when the customer writes ("keep waiting"), then closes', async () => {
    const t = await setup('timeouts_queue', [{ uid: 'a_1', limit: 1 }], {
      queueTimeout: { remindAfterS: 60, actAfterS: 180 },
    });
    await t.one.service.open({ role: 'c', uid: 'u_busy' }, { channel: 'web' }, 'r');
    const c = await t.one.service.open({ role: 'c', uid: 'u_wait' }, { channel: 'web' }, 'r');
    expect(c.status).toBe('queued');
    const queuedAt = c.queuedAt!;
    expect((await t.one.timeouts.tick(later(queuedAt, 30))).reminded).toBe(0);
    // Both instances scan at the same moment: one reminder.
    const [a, b] = await Promise.all([
      t.one.timeouts.tick(later(queuedAt, 61)),
      t.two.timeouts.tick(later(queuedAt, 62)),
    ]);
    expect(a.reminded + b.reminded).toBe(1);
    expect(await t.notices(c.id)).toEqual([['queue_reminder', false]]);
    // The customer keeps waiting: the clock starts again from their message.
    await t.say('c', 'u_wait', c.id, '继续等待');
    const kept = (await t.conversation(c.id)).queue_kept_at!;
    expect(kept.getTime()).toBeGreaterThanOrEqual(queuedAt.getTime());
    expect((await t.one.timeouts.tick(later(kept, 120))).closed).toBe(0); // 200 s after queuing: kept
    expect(await t.notices(c.id)).toEqual([
      ['queue_reminder', false],
      ['queue_reminder', false],
    ]);
    const done = await t.two.timeouts.tick(later(kept, 181));
    expect(done.closed).toBe(1);
    const closed = await t.conversation(c.id);
    expect([closed.status, closed.close_reason]).toEqual(['closed', 'queue_timeout']);
    expect((await t.notices(c.id)).at(-1)).toEqual(['queue_timeout', false]);
    expect(await t.events()).toEqual(['timed_out:queue']);
  });
});

describe('agent no-answer', () => {
  it('reminds the agent (internal), then transfers the chat to another agent', async () => {
    const t = await setup(
      'timeouts_agent',
      [
        { uid: 'a_1', limit: 5 },
        { uid: 'a_2', limit: 5 },
      ],
      { agentTimeout: { remindAfterS: 30, actAfterS: 90 } },
    );
    const c = await t.one.service.open({ role: 'c', uid: 'u_1' }, { channel: 'web' }, 'r');
    const first = c.agentUid!;
    const other = first === 'a_1' ? 'a_2' : 'a_1';
    await t.say('c', 'u_1', c.id, '在吗？');
    const since = (await t.conversation(c.id)).waiting_since!;
    expect((await t.one.timeouts.tick(later(since, 20))).reminded).toBe(0);
    expect((await t.one.timeouts.tick(later(since, 31))).reminded).toBe(1);
    expect(await t.notices(c.id)).toEqual([['agent_reminder', true]]);
    const [x, y] = await Promise.all([
      t.one.timeouts.tick(later(since, 91)),
      t.two.timeouts.tick(later(since, 92)),
    ]);
    expect(x.transferred + y.transferred).toBe(1);
    expect((await t.conversation(c.id)).agent_uid).toBe(other);
    expect((await t.notices(c.id)).at(-1)).toEqual(['agent_timeout', true]);
    expect((await t.events()).sort()).toEqual(['timed_out:agent', 'transferred:agent_timeout']);
    // The new agent gets their own full time, counted from the transfer.
    const moved = (await t.conversation(c.id)).assigned_at!;
    const quiet = { reminded: 0, closed: 0, transferred: 0 };
    expect(await t.one.timeouts.tick(later(moved, 20))).toEqual(quiet);
    expect((await t.one.timeouts.tick(later(moved, 31))).reminded).toBe(1);
  });

  it('an answer in time stops the clock', async () => {
    const t = await setup('timeouts_agent_ok', [{ uid: 'a_1', limit: 5 }], {
      agentTimeout: { remindAfterS: 30, actAfterS: 90 },
    });
    const c = await t.one.service.open({ role: 'c', uid: 'u_1' }, { channel: 'web' }, 'r');
    await t.say('c', 'u_1', c.id, '在吗？');
    await t.say('a', 'a_1', c.id, '您好');
    expect(await t.one.timeouts.tick(later(new Date(), 600))).toEqual({
      reminded: 0,
      closed: 0,
      transferred: 0,
    });
  });
});

describe('customer silence', () => {
  it('reminds the customer, then closes the chat', async () => {
    const t = await setup('timeouts_customer', [{ uid: 'a_1', limit: 5 }], {
      customerTimeout: { remindAfterS: 60, actAfterS: 120 },
      texts: { customer_reminder: '您还在吗？' },
    });
    const c = await t.one.service.open({ role: 'c', uid: 'u_1' }, { channel: 'web' }, 'r');
    await t.say('a', 'a_1', c.id, '请问还有什么可以帮您？');
    const last = (await t.conversation(c.id)).last_message!.at;
    expect((await t.one.timeouts.tick(later(last, 61))).reminded).toBe(1);
    expect((await t.two.timeouts.tick(later(last, 62))).reminded).toBe(0);
    const reminder = (await new MessageRepository(db!).listMessagesAfter(c.id, 0, 10))
      .map((m) => kefu.v1.Content.decode(m.content).system)
      .find((n) => n?.code === 'customer_reminder');
    expect(reminder?.text).toBe('您还在吗？');
    expect((await t.one.timeouts.tick(later(last, 121))).closed).toBe(1);
    const closed = await t.conversation(c.id);
    expect([closed.status, closed.close_reason]).toEqual(['closed', 'customer_timeout']);
    expect(await t.notices(c.id)).toEqual([
      ['customer_reminder', false],
      ['customer_timeout', false],
    ]);
    expect(await t.events()).toEqual(['timed_out:customer']);
  });
});
