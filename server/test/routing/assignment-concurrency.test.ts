import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { testMongoUri } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import { ConversationRepository } from '../../src/repository/conversation-repository.js';
import { MessageRepository, PresenceRepository } from '../../src/repository/message-repository.js';
import { SettingRepository } from '../../src/repository/setting-repository.js';
import { ConversationService } from '../../src/service/messaging/conversation-service.js';
import type { Publisher } from '../../src/service/messaging/publisher.js';
import { SeqFrontier } from '../../src/service/messaging/seq-frontier.js';
import { Allocator } from '../../src/service/routing/allocator.js';
import { Seats, seatKey } from '../../src/service/routing/seats.js';
import { silentLogger } from '../helpers.js';

// Two instances (each with its own services and caches, sharing only the database, as two servers do)
// take 200 customers arriving at once for 10 agents with reception limits. The publisher is a recorder:
// this test is about who gets which chat, not about delivery.
describe('assignment under concurrency (two instances, 200 customers, 10 agents)', () => {
  let db: mongoose.Connection;
  const limits = [2, 3, 4, 5, 6, 2, 3, 4, 5, 6];
  const capacity = limits.reduce((a, b) => a + b, 0);
  const agentUids = limits.map((_, i) => `a_rt${String(i)}`);
  let instances: ConversationService[];
  let conversations: ConversationRepository;

  function instance(): ConversationService {
    const conversationRepo = new ConversationRepository(db);
    const messages = new MessageRepository(db);
    const presence = new PresenceRepository(db);
    const agents = new AgentRepository(db);
    const seats = new Seats(
      conversationRepo,
      async (id, agentUid) => {
        const c = await conversationRepo.findConversation(id);
        return c?.status === 'open' && c.agentUid === agentUid;
      },
      silentLogger,
    );
    const publisher: Publisher = { toUser: () => Promise.resolve() };
    return new ConversationService({
      conversations: conversationRepo,
      messages,
      presence,
      agents,
      publisher,
      logger: silentLogger,
      frontier: new SeqFrontier(messages),
      seats,
      allocator: new Allocator({
        presence,
        conversations: conversationRepo,
        agents,
        settings: new SettingRepository(db),
        seats,
      }),
    });
  }

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('routing_concurrency')).asPromise();
    await db.syncIndexes();
    const agents = new AgentRepository(db);
    const presence = new PresenceRepository(db);
    for (const [i, uid] of agentUids.entries()) {
      await agents.createAgent({
        uid,
        username: uid,
        displayName: uid,
        role: 'agent',
        passwordHash: '',
        maxConcurrent: limits[i] ?? 1,
        disabled: false,
        createdAt: new Date(Date.UTC(2026, 0, 1, 0, i)),
      });
      await presence.savePresence({ uid, device: 'd1', role: 'a', online: true, agentStatus: 'online' });
    }
    conversations = new ConversationRepository(db);
    instances = [instance(), instance()];
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
    for (const d of s.open) {
      expect(await conversations.findClaim(`assign:${d._id}`)).toBe(d.agent_uid);
      expect(await conversations.findClaim(seatKey(d.agent_uid ?? '', d.seat ?? -1))).toBe(d._id);
    }
    return s;
  }

  it('never puts an agent over the limit, assigns nobody twice, and serves everyone oldest first', async () => {
    const customers = Array.from({ length: 200 }, (_, i) => `u_rt${String(i).padStart(3, '0')}`);
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
      const before = s.queued;
      s = await checkInvariants();
      expect(s.open).toHaveLength(Math.min(capacity, s.open.length + s.queued.length));
      const served = s.open.filter((d) => !assignedAt.has(d._id));
      for (const d of served) assignedAt.set(d._id, round);
      // Oldest first: nobody still waiting came before anyone served this round.
      const newestServed = Math.max(...served.map((d) => d.created_at.getTime()));
      for (const d of s.queued) expect(d.created_at.getTime()).toBeGreaterThanOrEqual(newestServed);
      expect(before.length - s.queued.length).toBe(served.length);
    }
    expect(assignedAt.size).toBe(200);
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
