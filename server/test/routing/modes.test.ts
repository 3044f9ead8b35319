import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { testMongoUri } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { agentModel } from '../../src/model/agent.js';
import { onlineAgent, routingInstance } from './instance.js';

// Each allocation mode on the real database, switched at run time (no restart: every allocation reads
// the setting).
describe('allocation modes, end to end', () => {
  let db: mongoose.Connection;
  let instance: ReturnType<typeof routingInstance>;
  let n = 0;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('routing_modes')).asPromise();
    await db.syncIndexes();
    instance = routingInstance(db);
    for (const [i, uid] of ['a_m0', 'a_m1', 'a_m2'].entries())
      await onlineAgent(db, uid, 10, new Date(Date.UTC(2025, 0, 1 + i)));
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  /** Agents changed straight in the database: what an admin change tells the allocator. */
  function cacheExpiry(): void {
    instance.allocator.capacityChanged();
  }

  /** Customers arrive one after another; the agents they got. */
  async function arrive(count: number): Promise<string[]> {
    const got: string[] = [];
    for (let i = 0; i < count; i++) {
      const uid = `u_m${String(++n)}`;
      const c = await instance.service.open({ role: 'c', uid }, { channel: 'web' }, uid);
      got.push(c.agentUid ?? 'queued');
    }
    return got;
  }

  it('round-robin continues after the last agent assigned, in account creation order', async () => {
    await instance.allocator.saveConfig({ mode: 'round_robin', queueFirstTags: [] });
    expect(await arrive(5)).toEqual(['a_m0', 'a_m1', 'a_m2', 'a_m0', 'a_m1']);
    // An agent at the limit is skipped, and the turn goes on after them.
    await agentModel(db).updateOne({ _id: 'a_m2' }, { $set: { max_concurrent: 1 } });
    cacheExpiry();
    expect(await arrive(3)).toEqual(['a_m0', 'a_m1', 'a_m0']);
    await agentModel(db).updateOne({ _id: 'a_m2' }, { $set: { max_concurrent: 10 } });
    cacheExpiry();
  });

  it('longest-idle gives the chat to the agent whose last chat is oldest', async () => {
    await instance.allocator.saveConfig({ mode: 'longest_idle', queueFirstTags: [] });
    // Last assignments so far: a_m2 (3rd), a_m1 (7th), a_m0 (8th).
    expect(await arrive(4)).toEqual(['a_m2', 'a_m1', 'a_m0', 'a_m2']);
  });

  it('saturation gives it to the lowest open ÷ limit', async () => {
    await instance.allocator.saveConfig({ mode: 'saturation', queueFirstTags: [] });
    const open = async (uid: string) =>
      conversationModel(db).countDocuments({ agent_uid: uid, status: 'open' });
    // Open now: a_m0 5, a_m1 4, a_m2 3 (limits 10): a_m2 (0.3) first, then the lower ratio each time.
    expect([await open('a_m0'), await open('a_m1'), await open('a_m2')]).toEqual([5, 4, 3]);
    await agentModel(db).updateOne({ _id: 'a_m0' }, { $set: { max_concurrent: 20 } }); // 5/20 = 0.25
    cacheExpiry();
    expect(await arrive(1)).toEqual(['a_m0']);
    // Now a_m0 6/20 and a_m2 3/10 tie at 0.3 (random between them); whoever gets it, the other is lower
    // next; a_m1 (0.4) gets neither.
    expect((await arrive(2)).sort()).toEqual(['a_m0', 'a_m2']);
  });
});
