import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { testMongoUri } from '@kefu/tools/testing';
import { routingEventModel } from '../../src/model/routing.js';
import { RoutingRepository, type RoutingEvent } from '../../src/repository/routing-repository.js';
import { routingInstance } from './instance.js';

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

  it('stores the valid events of a batch and then fails on the invalid one, duplicates or not', async () => {
    const bad = { ...fact('cv_bad'), type: 'teleported' } as unknown as RoutingEvent;
    await expect(
      repo.recordEvents([
        { key: 'cv_1:a_ev', event: fact('cv_1') }, // stored already
        { key: 'cv_4:a_ev', event: fact('cv_4') },
        { key: 'cv_bad', event: bad },
      ]),
    ).rejects.toThrow(/1 invalid routing event/);
    expect(await routingEventModel(db).countDocuments({ conversation_id: 'cv_bad' })).toBe(0);
    expect(await routingEventModel(db).countDocuments({ conversation_id: 'cv_4' })).toBe(1);
    expect(await routingEventModel(db).countDocuments({ conversation_id: 'cv_1' })).toBe(1);
  });

  it('writes what the service batched at once when asked (shutdown), not only when the batch is due', async () => {
    const { events } = routingInstance(db);
    for (const id of ['cv_s1', 'cv_s2', 'cv_s3']) events.record(`${id}:a_ev`, fact(id));
    // Asked before the batch is due (50 ms): everything recorded so far is stored when it resolves.
    await events.written();
    expect(
      await routingEventModel(db).countDocuments({ conversation_id: { $in: ['cv_s1', 'cv_s2', 'cv_s3'] } }),
    ).toBe(3);
  });
});
