import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { testMongoUri } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { customerModel } from '../../src/model/customer.js';
import { seatModel } from '../../src/model/seat.js';
import { ConversationRepository } from '../../src/repository/conversation-repository.js';
import type { ConversationService } from '../../src/service/conversations/conversation-service.js';
import type { QueueSweeper } from '../../src/service/conversations/queue-sweeper.js';
import { SeatRepository } from '../../src/repository/seat-repository.js';
import { onlineAgent, routingInstance } from './instance.js';

// Two instances (each with its own services and caches, sharing only the database, as two servers do)
// take 200 customers arriving at once for 10 agents with reception limits. The publisher is a recorder:
// this test is about who gets which chat, not about delivery.
describe('assignment under concurrency (two instances, 200 customers, 10 agents)', () => {
  let db: mongoose.Connection;
  const limits = [2, 3, 4, 5, 6, 2, 3, 4, 5, 6];
  const capacity = limits.reduce((a, b) => a + b, 0);
  const agentUids = limits.map((_, i) => `a_rt${String(i)}`);
  const customers = Array.from({ length: 200 }, (_, i) => `u_rt${String(i).padStart(3, '0')}`);
  let instances: ConversationService[];
  let sweepers: QueueSweeper[];
  let conversations: ConversationRepository;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('routing_concurrency')).asPromise();
    await db.syncIndexes();
    for (const [i, uid] of agentUids.entries())
      await onlineAgent(db, uid, limits[i] ?? 1, new Date(Date.UTC(2026, 0, 1, 0, i)));
    // Every 10th customer is a VIP (levels 0–4), every 25th carries the queue-first tag.
    await customerModel(db).insertMany(
      customers.map((uid, i) => ({
        _id: uid,
        kind: 'customer',
        vip: i % 10 === 3,
        level: i % 5,
        tags: i % 25 === 7 ? ['急单'] : ['普通'],
        created_at: new Date(),
        last_seen_at: new Date(),
      })),
    );
    conversations = new ConversationRepository(db);
    const [one, two] = [routingInstance(db), routingInstance(db)];
    instances = [one.service, two.service];
    sweepers = [one.sweeper, two.sweeper];
    await one.allocator.saveConfig({ mode: 'saturation', queueFirstTags: ['急单'] });
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  async function snapshot() {
    const docs = await conversationModel(db).find({}).lean();
    const open = docs.filter((d) => d.status === 'open');
    const perAgent = new Map<string, number>();
    for (const d of open) perAgent.set(d.agent_uid ?? '', (perAgent.get(d.agent_uid ?? '') ?? 0) + 1);
    return { docs, open, queued: docs.filter((d) => d.status === 'queued'), perAgent };
  }

  async function checkInvariants() {
    const s = await snapshot();
    for (const [i, uid] of agentUids.entries()) {
      expect(s.perAgent.get(uid) ?? 0, `${uid} open chats`).toBeLessThanOrEqual(limits[i] ?? 0);
      // Every open chat holds its own seat of its agent.
      const seats = s.open.filter((d) => d.agent_uid === uid).map((d) => d.seat);
      expect(new Set(seats).size).toBe(seats.length);
      for (const seat of seats) expect(seat).toBeLessThan(limits[i] ?? 0);
    }
    const seatRepo = new SeatRepository(db);
    for (const d of s.open) {
      // Queued first: the assignment was claimed for that agent. Seated on arrival: never queued, no claim.
      expect([d.agent_uid, null]).toContain(await conversations.findClaim(`assign:${d._id}`));
      expect((await seatRepo.find(d.agent_uid ?? '', d.seat ?? -1))?.conversationId).toBe(d._id);
    }
    // No seat held for anything but an open chat of its agent.
    expect(await seatModel(db).countDocuments({ agent_uid: { $in: agentUids } })).toBe(s.open.length);
    return s;
  }

  it('never puts an agent over the limit, assigns nobody twice, and serves everyone in priority order', async () => {
    await Promise.all(
      customers.map((uid, i) =>
        (instances[i % 2] as ConversationService).open(
          { role: 'c', uid },
          { channel: 'web' },
          `r${String(i)}`,
        ),
      ),
    );
    let s = await checkInvariants();
    expect(s.docs).toHaveLength(200);
    // Every seat is taken: a free seat always passes the load filter (seats are claimed before the count moves).
    expect(s.open).toHaveLength(capacity);
    const assignedAt = new Map<string, number>(s.open.map((d) => [d._id, 0]));
    const priorities: number[] = [];
    // The first 40 were served on arrival; of those left, the queue-first and VIP customers go first.
    expect(new Set(s.queued.map((d) => d.priority)).size).toBeGreaterThan(2);

    // Agents close chats in rounds, on both instances; each close sweeps the queue.
    for (let round = 1; s.queued.length > 0; round++) {
      expect(round).toBeLessThan(40);
      const closing = s.open.slice(0, 12);
      await Promise.all(
        closing.map((d, i) =>
          (instances[i % 2] as ConversationService).close(
            { role: 'a', uid: d.agent_uid ?? '' },
            { conversationId: d._id },
            `close${String(round)}`,
          ),
        ),
      );
      // A close frees the seat and returns; the queue sweep it starts runs on.
      await Promise.all(sweepers.map((s) => s.settled()));
      const before = s.queued;
      s = await checkInvariants();
      expect(s.open).toHaveLength(Math.min(capacity, s.open.length + s.queued.length));
      const served = s.open.filter((d) => !assignedAt.has(d._id));
      for (const d of served) assignedAt.set(d._id, round);
      // Queue order: nobody still waiting is ahead (higher priority, or equal and queued earlier) of
      // anyone served this round.
      const ahead = (a: (typeof s.docs)[number], b: (typeof s.docs)[number]): boolean =>
        (a.priority ?? 0) > (b.priority ?? 0) ||
        ((a.priority ?? 0) === (b.priority ?? 0) &&
          (a.queued_at?.getTime() ?? 0) < (b.queued_at?.getTime() ?? 0));
      for (const q of s.queued)
        for (const d of served) expect(ahead(q, d), `${q._id} waits behind ${d._id}`).toBe(false);
      // (Within a round the order is whatever the database lists: sorted here.)
      priorities.push(...served.map((d) => d.priority ?? 0).sort((a, b) => b - a));
      expect(before.length - s.queued.length).toBe(served.length);
    }
    expect(assignedAt.size).toBe(200);
    // Served from the queue in non-increasing priority (queue-first 1000+, VIP 100–104, others 0).
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    const perAgent = new Map<string, number>();
    for (const d of (await snapshot()).docs)
      perAgent.set(d.agent_uid ?? '', (perAgent.get(d.agent_uid ?? '') ?? 0) + 1);
    console.log(
      'assignments per agent (limit → chats):',
      agentUids.map((uid, i) => `${uid}(${String(limits[i])})→${String(perAgent.get(uid) ?? 0)}`).join(' '),
    );
    expect([...perAgent.values()].reduce((a, b) => a + b, 0)).toBe(200);
  }, 240_000);
});
