import { stat, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureFerretDbBinary, startFerretDb } from '../src/ferretdb.js';
import { waitFor } from '../src/testing.js';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
  });
}

describe('FerretDB launcher', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('reuses the cached binary when its sources did not change', async () => {
    const bin = await ensureFerretDbBinary();
    const before = await stat(bin);
    const started = Date.now();
    expect(await ensureFerretDbBinary()).toBe(bin);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await stat(bin)).mtimeMs).toBe(before.mtimeMs);
  });

  it('starts on a free port with its data directory and stops on request', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kefu-ferret-'));
    dirs.push(dir);
    const db = await startFerretDb({ dataDir: dir });
    expect(db.uri).toBe(`mongodb://127.0.0.1:${String(db.port)}/`);
    expect(await accepts(db.port)).toBe(true);
    await db.stop();
    expect(db.process.child.exitCode).toBe(0);
    expect(await accepts(db.port)).toBe(false);
  });

  it('answers _id lookups from the _id index (the build patches the expression FerretDB 1.24.2 filters with)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kefu-ferret-'));
    dirs.push(dir);
    const db = await startFerretDb({ dataDir: dir });
    const client = new MongoClient(db.uri);
    try {
      const things = client.db('explain').collection<{ _id: string; v: number }>('things');
      await things.insertMany([
        { _id: 'a', v: 1 },
        { _id: 'b', v: 2 },
      ]);
      expect(await things.findOne({ _id: 'b' })).toEqual({ _id: 'b', v: 2 });
      // FerretDB's explain carries SQLite's EXPLAIN QUERY PLAN: SEARCH … USING INDEX, not SCAN.
      const plan = JSON.stringify((await things.find({ _id: 'b' }).explain()).queryPlanner);
      expect(plan).toMatch(/SEARCH \S+ USING INDEX \S+__id_/);
      expect(plan).not.toMatch(/\bSCAN\b/);
      // A range on _id is still a scan (not pushed down): our storage design never relies on one.
      const range = JSON.stringify((await things.find({ _id: { $gt: 'a' } }).explain()).queryPlanner);
      expect(range).toMatch(/\bSCAN\b/);
    } finally {
      await client.close();
      await db.stop();
    }
  });

  it('finishes an update command of many statements and many concurrent updates (the build patches the pool deadlock)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kefu-ferret-'));
    dirs.push(dir);
    const db = await startFerretDb({ dataDir: dir });
    // Unpatched, FerretDB 1.24.2 keeps one connection per statement until the command returns (its pool
    // has 100): the 101st statement waits forever and so does every later command. The timeouts turn
    // that hang into a failure.
    const client = new MongoClient(db.uri, { serverSelectionTimeoutMS: 5_000, socketTimeoutMS: 20_000 });
    try {
      const rows = client.db('deadlock').collection<{ _id: string; v: number }>('rows');
      await rows.insertMany(Array.from({ length: 150 }, (_, i) => ({ _id: `r${String(i)}`, v: 0 })));
      const bulk = await rows.bulkWrite(
        Array.from({ length: 150 }, (_, i) => ({
          updateOne: { filter: { _id: `r${String(i)}` }, update: { $set: { v: 1 } } },
        })),
        { ordered: false },
      );
      expect(bulk.modifiedCount).toBe(150);
      const each = await Promise.all(
        Array.from({ length: 120 }, (_, i) => rows.updateOne({ _id: `r${String(i)}` }, { $set: { v: 2 } })),
      );
      expect(each.every((r) => r.modifiedCount === 1)).toBe(true);
      expect(await rows.countDocuments({ v: 2 })).toBe(120);
    } finally {
      await client.close();
      await db.stop();
    }
  });

  it('exits by itself when the process that started it goes away (its stdin closes)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kefu-ferret-'));
    dirs.push(dir);
    const db = await startFerretDb({ dataDir: dir });
    db.process.child.stdin?.end();
    await waitFor('the launcher to exit', () => db.process.child.exitCode !== null);
    expect(await accepts(db.port)).toBe(false);
  });
});
