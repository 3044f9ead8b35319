import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import type { kefu } from '@kefu/proto';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { customerModel } from '../../src/model/customer.js';
import { queuePriority } from '../../src/service/routing/priority.js';
import { onlineAgent, routingInstance } from './instance.js';

describe('queue priority', () => {
  it('puts queue-first tags before VIPs by level before everyone else', () => {
    const tags = ['急单'];
    expect(queuePriority(null, tags)).toBe(0);
    expect(queuePriority({ level: 9 }, tags)).toBe(0);
    expect(queuePriority({ vip: true, level: 3 }, tags)).toBe(103);
    expect(queuePriority({ vip: true, level: 500 }, tags)).toBe(199);
    expect(queuePriority({ vip: true, level: -4 }, tags)).toBe(100);
    expect(queuePriority({ tags: ['急单'] }, tags)).toBe(1000);
    expect(queuePriority({ tags: ['急单'], vip: true, level: 2 }, tags)).toBe(1102);
    expect(queuePriority({ tags: ['急单'] }, [])).toBe(0);
  });
});

// The queue on the real database: order, positions pushed on every change, wait estimates, the sweep.
describe('queue', () => {
  let db: mongoose.Connection;
  const events: { uid: string; queued: kefu.v1.ConversationEvent.IQueued }[] = [];
  let instance: ReturnType<typeof routingInstance>;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('routing_queue')).asPromise();
    await db.syncIndexes();
    instance = routingInstance(db, {
      toUser(_role, uid, envelope) {
        const queued = envelope.conversationEvent?.queued;
        if (queued) events.push({ uid, queued });
        return Promise.resolve();
      },
    });
    await instance.allocator.saveConfig({ mode: 'saturation', queueFirstTags: ['急单'] });
    await customerModel(db).insertMany(
      ['u_q1', 'u_q2', 'u_vip', 'u_q4', 'u_first'].map((uid) => ({
        _id: uid,
        kind: 'customer',
        vip: uid === 'u_vip',
        level: 2,
        tags: uid === 'u_first' ? ['急单'] : [],
        created_at: new Date(),
        last_seen_at: new Date(),
      })),
    );
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  const latest = (uid: string) => events.filter((e) => e.uid === uid).at(-1)?.queued;

  it('orders by priority then waiting time, pushes positions on every change, and serves in that order', async () => {
    const { service } = instance;
    for (const uid of ['u_q1', 'u_q2', 'u_vip', 'u_q4', 'u_first']) {
      await service.open({ role: 'c', uid }, { channel: 'web' }, uid);
      await new Promise((r) => setTimeout(r, 5)); // distinct queue times
    }
    // Nobody online: positions, and no estimate (0 = unknown).
    await waitFor('positions pushed', () => latest('u_q4') !== undefined && latest('u_q1')?.position === 3);
    expect(['u_first', 'u_vip', 'u_q1', 'u_q2', 'u_q4'].map((u) => latest(u)?.position)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(latest('u_q1')?.estimatedWaitMs).toBe(0);
    const state = await service.state(
      await service.participantConversation({ role: 'c', uid: 'u_q2' }, await idOf('u_q2')),
    );
    expect(state.queuePosition).toBe(4);

    // An agent with one seat comes online: the sweep serves the first in queue; everyone moves up, and
    // the estimate is position × 5 min (no closed chats to learn from yet) ÷ 1 seat.
    await onlineAgent(db, 'a_q', 1);
    await instance.presence.report({ role: 'a', uid: 'a_q' }, { online: true, deviceId: 'd1' });
    expect(await statusOf('u_first')).toBe('open');
    await waitFor('positions after the sweep', () => latest('u_q4')?.position === 4);
    expect(['u_vip', 'u_q1', 'u_q2', 'u_q4'].map((u) => latest(u))).toEqual([
      { position: 1, estimatedWaitMs: 300_000 },
      { position: 2, estimatedWaitMs: 600_000 },
      { position: 3, estimatedWaitMs: 900_000 },
      { position: 4, estimatedWaitMs: 1_200_000 },
    ]);

    // A customer leaves the queue: those behind move up.
    await service.close({ role: 'c', uid: 'u_q1' }, { conversationId: await idOf('u_q1') }, 'leave');
    await waitFor('positions after leaving', () => latest('u_q4')?.position === 3);
    expect(latest('u_q2')?.position).toBe(2);
    expect(latest('u_vip')?.position).toBe(1);

    // The agent's chat ends: the seat goes to the VIP, the first in the queue.
    await service.close({ role: 'a', uid: 'a_q' }, { conversationId: await idOf('u_first') }, 'done');
    await instance.sweeper.settled();
    expect(await statusOf('u_vip')).toBe('open');
    expect(await statusOf('u_q2')).toBe('queued');
    await waitFor('positions after the close', () => latest('u_q4')?.position === 2);
  });

  async function idOf(uid: string): Promise<string> {
    return (await conversationModel(db).findOne({ customer_uid: uid }).lean())?._id ?? '';
  }
  async function statusOf(uid: string): Promise<string | undefined> {
    return (await conversationModel(db).findOne({ customer_uid: uid }).lean())?.status;
  }
});
