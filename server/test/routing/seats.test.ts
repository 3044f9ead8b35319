import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { testMongoUri } from '@kefu/tools/testing';
import { claimModel } from '../../src/model/conversation.js';
import { SeatRepository } from '../../src/repository/seat-repository.js';
import { Seats } from '../../src/service/routing/seats.js';
import { silentLogger } from '../helpers.js';

// Seats on the real database: the claim is an `_id` insert, atomic across instances.
describe('reception seats', () => {
  let db: mongoose.Connection;
  let repo: SeatRepository;
  const open = new Set<string>();
  const held = (conversationId: string): Promise<boolean> => Promise.resolve(open.has(conversationId));
  const holder = async (agentUid: string, seat: number) =>
    (await repo.find(agentUid, seat))?.conversationId ?? null;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('routing_seats')).asPromise();
    repo = new SeatRepository(db);
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  it('never gives more seats than the limit, whatever two instances do at once', async () => {
    const one = new Seats(repo, held, silentLogger);
    const two = new Seats(repo, held, silentLogger);
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => (i % 2 ? one : two).take('a_busy', 5, `cv_${String(i)}`, i % 5)),
    );
    const granted = results.filter((s): s is number => s !== null);
    expect(granted.sort()).toEqual([0, 1, 2, 3, 4]);
    const claimed = await Promise.all([0, 1, 2, 3, 4].map((k) => holder('a_busy', k)));
    expect(claimed.filter((h) => h !== null)).toHaveLength(5);
    expect(await two.take('a_busy', 5, 'cv_late')).toBeNull();
  });

  it('gives a seat back only for its conversation, once', async () => {
    const seats = new Seats(repo, held, silentLogger);
    const seat = await seats.take('a_release', 2, 'cv_mine');
    expect(seat).toBe(0);
    await seats.release('a_release', 0, 'cv_other');
    expect(await holder('a_release', 0)).toBe('cv_mine');
    await seats.release('a_release', 0, 'cv_mine');
    await seats.release('a_release', 0, 'cv_mine');
    expect(await holder('a_release', 0)).toBeNull();
    expect(await seats.take('a_release', 2, 'cv_next')).toBe(0);
  });

  it('frees a seat left behind (its conversation is not open with the agent) once it is old enough', async () => {
    const seats = new Seats(repo, held, silentLogger, 1_000);
    const long = new Date(Date.now() - 5_000);
    open.add('cv_live');
    expect(await seats.take('a_stale', 2, 'cv_live', 0, long)).toBe(0);
    expect(await seats.take('a_stale', 2, 'cv_crashed', 0, long)).toBe(1);
    // Full: cv_crashed is not open with the agent and its seat is old, so it is given back.
    expect(await seats.take('a_stale', 2, 'cv_new')).toBe(1);
    expect(await holder('a_stale', 0)).toBe('cv_live');
    // A young seat is never taken away, open or not (its assignment may still be under way).
    expect(await seats.take('a_stale', 2, 'cv_newer')).toBeNull();
  });

  it('counts the seats held per agent: the open chats the allocator ranks by', async () => {
    const seats = new Seats(repo, held, silentLogger);
    expect(await seats.take('a_count1', 3, 'cv_c1')).toBe(0);
    expect(await seats.take('a_count1', 3, 'cv_c2')).toBe(1);
    expect(await seats.take('a_count2', 3, 'cv_c3')).toBe(0);
    const counts = await seats.held(['a_count1', 'a_count2', 'a_count3']);
    expect([...counts].sort()).toEqual([
      ['a_count1', 2],
      ['a_count2', 1],
    ]);
    await seats.release('a_count1', 0, 'cv_c1');
    expect((await seats.held()).get('a_count1')).toBe(1);
    // Every agent without a list: the busy agent of the first test holds its five.
    expect((await seats.held()).get('a_busy')).toBe(5);
  });

  it('gives a seat back only while its conversation holds it, even after it changed hands', async () => {
    const seats = new Seats(repo, held, silentLogger);
    expect(await seats.take('a_hands', 1, 'cv_first')).toBe(0);
    await seats.release('a_hands', 0, 'cv_first');
    expect(await seats.take('a_hands', 1, 'cv_second')).toBe(0);
    // A late second release for the first conversation (its customer and agent closed at once).
    await seats.release('a_hands', 0, 'cv_first');
    expect(await holder('a_hands', 0)).toBe('cv_second');
  });

  it('moves seats held under the earlier layout (claims `seat:<agent>:<k>`) into `seats`, once', async () => {
    const at = new Date(Date.now() - 1_000); // young: never taken for a stale seat below
    await claimModel(db).insertMany([
      { _id: 'seat:a_legacy:0', value: 'cv_l0', created_at: at },
      { _id: 'seat:a_legacy:3', value: 'cv_l3', created_at: at },
      { _id: 'seat:broken', value: 'cv_x', created_at: at },
      { _id: 'open:u_legacy', value: 'cv_l0', created_at: at },
    ]);
    expect(await repo.adoptLegacyClaims()).toBe(2);
    expect(await holder('a_legacy', 0)).toBe('cv_l0');
    expect(await holder('a_legacy', 3)).toBe('cv_l3');
    expect((await repo.find('a_legacy', 3))?.createdAt.getTime()).toBe(at.getTime());
    // Only the seat claims left `claims`; the customer's open-chat claim stays.
    expect((await claimModel(db).find({}).lean()).map((c) => c._id)).toEqual(['open:u_legacy']);
    expect(await repo.adoptLegacyClaims()).toBe(0);
    // They count against the limit: a limit of 4 leaves two seats.
    const seats = new Seats(repo, held, silentLogger);
    expect(await seats.take('a_legacy', 4, 'cv_n1')).toBe(1);
    expect(await seats.take('a_legacy', 4, 'cv_n2')).toBe(2);
    expect(await seats.take('a_legacy', 4, 'cv_n3')).toBeNull();
  });
});
