import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Schema, type Connection } from 'mongoose';
import { testMongoUri } from '@kefu/tools/testing';
import { connectDatabase, databaseNameOf, pingDatabase } from '../../src/infra/database.js';

describe('databaseNameOf', () => {
  it.each([
    ['mongodb://localhost:27017/kefu', 'kefu'],
    ['mongodb://a:1,b:2/shop?replicaSet=rs0', 'shop'],
    ['mongodb+srv://user:pw@cluster.example.com/prod?retryWrites=true', 'prod'],
    ['mongodb://localhost:27017/', undefined],
    ['mongodb://localhost:27017', undefined],
    ['mongodb://localhost:27017/?directConnection=true', undefined],
  ])('%s → %s', (uri, name) => {
    expect(databaseNameOf(uri)).toBe(name);
  });
});

describe('Mongoose on FerretDB', () => {
  let db: Connection;
  const userSchema = new Schema({ email: { type: String, required: true, unique: true }, name: String });

  beforeAll(async () => {
    db = await connectDatabase(testMongoUri('database'));
  });
  afterAll(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('answers a ping', async () => {
    await expect(pingDatabase(db)).resolves.toBeUndefined();
  });

  it('writes and reads documents', async () => {
    const User = db.model('User', userSchema);
    await User.init();
    await User.create({ email: 'li@example.com', name: '李雷' });
    const found = await User.findOne({ email: 'li@example.com' }).lean();
    expect(found?.name).toBe('李雷');
    expect(await User.countDocuments()).toBe(1);
  });

  it('has a unique index that rejects a duplicate', async () => {
    const User = db.model('User');
    const indexes = await User.listIndexes();
    expect(
      indexes.some(
        (ix: { key: Record<string, number>; unique?: boolean }) => ix.key['email'] === 1 && ix.unique,
      ),
    ).toBe(true);
    await expect(User.create({ email: 'li@example.com', name: 'again' })).rejects.toMatchObject({
      code: 11000,
    });
    expect(await User.countDocuments({ email: 'li@example.com' })).toBe(1);
  });

  // FerretDB 1.24 (SQLite) does NOT make findOneAndUpdate({$inc}) atomic under concurrency: measured here,
  // 20 parallel increments of one counter produced duplicate values. A unique index, enforced by SQLite
  // itself, is what serializes concurrent claims, so per-conversation seq and assignment claims are built
  // on "insert with a unique key, retry on 11000" (DESIGN.md §4 asks for code that is correct on both).
  it('lets exactly one of many concurrent inserts claim a unique key', async () => {
    const Claim = db.model(
      'Claim',
      new Schema({ conversation: String, seq: Number, by: String }).index(
        { conversation: 1, seq: 1 },
        { unique: true },
      ),
    );
    await Claim.init();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => Claim.create({ conversation: 'conv-1', seq: 1, by: String(i) })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(rejected).toHaveLength(19);
    for (const r of rejected) expect(r.reason).toMatchObject({ code: 11000 });
    expect(await Claim.countDocuments({ conversation: 'conv-1' })).toBe(1);
  });
});
