import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { testMongoUri } from '@kefu/tools/testing';
import { routingEventModel } from '../../src/model/routing.js';
import { RoutingRepository, type RoutingEvent } from '../../src/repository/routing-repository.js';

// Statistics events are written in batches (one unordered insert): a fact stored already, or twice in
// one batch, is stored once and does not stop the others; anything else is an error.
describe('routing events written in batches', () => {
  let db: mongoose.Connection;
  let repo: RoutingRepository;
  const fact = (conversationId: string, type: RoutingEvent['type'] = 'assigned'): RoutingEvent => ({
    type,
    conversationId,
    customerUid: `u_${conversationId}`,
    channel: 'web',
    agentUid: 'a_ev',
    waitMs: 12,
    at: new Date(),
  });

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('routing_events_batch')).asPromise();
    repo = new RoutingRepository(db);
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  it('stores each fact once, whatever was stored before or repeats in the batch', async () => {
    await repo.recordEvents([{ key: 'cv_1:a_ev', event: fact('cv_1') }]);
    await repo.recordEvents([
      { key: 'cv_1:a_ev', event: fact('cv_1') }, // stored already
      { key: 'cv_2:a_ev', event: fact('cv_2') },
      { key: 'cv_2:a_ev', event: fact('cv_2') }, // twice in this batch
      { key: 'cv_3', event: fact('cv_3', 'queued') },
    ]);
    const stored = await routingEventModel(db).find({}).sort({ _id: 1 }).lean();
    expect(stored.map((d) => d._id)).toEqual(['assigned:cv_1:a_ev', 'assigned:cv_2:a_ev', 'queued:cv_3']);
    expect(stored[1]).toMatchObject({
      conversation_id: 'cv_2',
      agent_uid: 'a_ev',
      wait_ms: 12,
      channel: 'web',
    });
  });

  it('fails on an event that is not valid, and stores nothing of it', async () => {
    const bad = { ...fact('cv_bad'), type: 'teleported' } as unknown as RoutingEvent;
    await expect(
      repo.recordEvents([
        { key: 'cv_4:a_ev', event: fact('cv_4') },
        { key: 'cv_bad', event: bad },
      ]),
    ).rejects.toThrow();
    expect(await routingEventModel(db).countDocuments({ conversation_id: 'cv_bad' })).toBe(0);
  });
});
