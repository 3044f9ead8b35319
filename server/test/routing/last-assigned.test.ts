import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mongoose from 'mongoose';
import { testMongoUri } from '@kefu/tools/testing';
import { SettingRepository } from '../../src/repository/setting-repository.js';

// Longest-idle's last assignment per agent is one settings document every instance raises (`$max`), one
// write per flush instead of one per agent; checked on the real database (FerretDB runs the `$max`).
describe('last assignments as raised numbers', () => {
  let db: mongoose.Connection;
  let settings: SettingRepository;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('routing_last_assigned')).asPromise();
    settings = new SettingRepository(db);
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  it('creates the document, raises each number, and never lowers one', async () => {
    await settings.raiseNumbers('times', { a_1: 100, a_2: 200 });
    expect(await settings.findSetting('times')).toEqual({ a_1: 100, a_2: 200 });
    // Another instance knows an older time for a_1 and a newer one for a_2, and a new agent.
    await settings.raiseNumbers('times', { a_1: 50, a_2: 300, a_3: 10 });
    expect(await settings.findSetting('times')).toEqual({ a_1: 100, a_2: 300, a_3: 10 });
  });

  it('leaves out field names that are not plain words (a path or an operator)', async () => {
    await settings.raiseNumbers('names', { 'a.b': 1, $where: 2, 'a_ok-1': 3 });
    expect(await settings.findSetting('names')).toEqual({ 'a_ok-1': 3 });
    await settings.raiseNumbers('nothing', { 'x.y': 1 });
    expect(await settings.findSetting('nothing')).toBeNull();
  });
});
