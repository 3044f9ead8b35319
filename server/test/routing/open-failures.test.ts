import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import mongoose from 'mongoose';
import { testMongoUri } from '@kefu/tools/testing';
import { claimModel, conversationModel } from '../../src/model/conversation.js';
import { seatModel } from '../../src/model/seat.js';
import { ConversationRepository } from '../../src/repository/conversation-repository.js';
import { onlineAgent, routingInstance } from './instance.js';

// A new chat takes its agent's seat before it is stored. When the database then fails to store it or to
// claim it for the customer, the seat goes back at once (not 30 s later as a stale seat) and nothing is
// left behind; the customer's retry is served normally. The failure is injected into the repository (the
// database itself cannot be made to fail one write); everything else is real.
describe('a new chat whose store fails', () => {
  let db: mongoose.Connection;
  let instance: ReturnType<typeof routingInstance>;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('routing_open_failures')).asPromise();
    await db.syncIndexes();
    instance = routingInstance(db);
    await onlineAgent(db, 'a_of', 1);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  const left = async (customerUid: string) => ({
    seats: await seatModel(db).countDocuments({ agent_uid: 'a_of' }),
    conversations: await conversationModel(db).countDocuments({ customer_uid: customerUid }),
    claims: await claimModel(db).countDocuments({ _id: `open:${customerUid}` }),
  });

  it.each([
    ['storing the conversation', 'saveConversation'],
    ["claiming it as the customer's open chat", 'claim'],
  ] as const)('gives the seat back when %s fails, and the retry is served', async (_what, method) => {
    const uid = `u_of_${method}`;
    vi.spyOn(ConversationRepository.prototype, method).mockRejectedValueOnce(new Error('disk I/O error'));
    await expect(instance.service.open({ role: 'c', uid }, { channel: 'web' }, 'r1')).rejects.toThrow(
      'disk I/O error',
    );
    expect(await left(uid)).toEqual({ seats: 0, conversations: 0, claims: 0 });
    // The agent's one seat is free again: the retry gets it (a leaked seat would queue the customer).
    const retried = await instance.service.open({ role: 'c', uid }, { channel: 'web' }, 'r2');
    expect(retried).toMatchObject({ status: 'open', agentUid: 'a_of', seat: 0 });
    expect(await left(uid)).toEqual({ seats: 1, conversations: 1, claims: 1 });
    await instance.service.close({ role: 'c', uid }, { conversationId: retried.id }, 'r3');
    expect((await left(uid)).seats).toBe(0);
  });
});
