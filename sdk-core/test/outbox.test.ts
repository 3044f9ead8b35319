// The outbox's storage: what it costs (the 10,000-connection benchmark's agents rewrote their whole
// outbox on every add, send and ack) and what survives a reload at any moment (DESIGN.md §2, step 1).
import { describe, expect, it } from 'vitest';
import { Outbox, createMemoryStorage, type KeyValueStorage, type OutboxItem } from '../src/index.js';

const KEY = 'kefu:u_agent:outbox';

function item(i: number): OutboxItem {
  return {
    id: `01JQ${String(i).padStart(22, '0')}`,
    conversationId: `cv_${String(i % 7)}`,
    content: { text: { text: `第 ${String(i)} 条消息，请查收` } },
    createdAt: 1_780_000_000_000 + i,
    sentAt: 0,
  };
}

/** Memory storage that counts what is written, and can copy itself after every write (a crash there). */
function recordingStorage(initial: Record<string, string> = {}) {
  const memory = createMemoryStorage(initial);
  const stats = { sets: 0, bytes: 0 };
  const states: { data: Record<string, string>; at: number }[] = [];
  let clock = 0;
  const storage: KeyValueStorage = {
    get: (key) => memory.get(key),
    set: async (key, value) => {
      stats.sets += 1;
      stats.bytes += value.length;
      await memory.set(key, value);
      states.push({ data: memory.dump(), at: ++clock });
    },
    remove: async (key) => {
      await memory.remove(key);
      states.push({ data: memory.dump(), at: ++clock });
    },
  };
  return { storage, stats, states, dump: () => memory.dump(), clock: () => clock };
}

async function reload(data: Record<string, string>, compactAfter?: number): Promise<OutboxItem[]> {
  const outbox = new Outbox(createMemoryStorage(data), KEY, { compactAfter });
  await outbox.load();
  return [...outbox.list()];
}

const ids = (items: readonly OutboxItem[]): string[] => items.map((i) => i.id);
const bytesOf = (data: Record<string, string>): number =>
  Object.values(data).reduce((n, v) => n + v.length, 0);

describe('Outbox', () => {
  it('writes in proportion to the change: 500 adds, 500 sends and 500 acks', async () => {
    const { storage, stats, dump } = recordingStorage();
    const outbox = new Outbox(storage, KEY);
    await outbox.load();
    const items = Array.from({ length: 500 }, (_, i) => item(i));
    const itemBytes = items.reduce((n, i) => n + JSON.stringify(i).length, 0);
    for (const i of items) await outbox.add(i);
    for (const i of items) outbox.markSent(i.id, 1_780_000_001_000);
    await Promise.resolve();
    for (const i of items) expect(await outbox.remove(i.id)).toBe(true);
    // Each item's bytes a few times over (its record, its share of snapshots), not once per change: the
    // whole outbox on every change wrote ~250 times as much.
    expect(stats.bytes).toBeLessThan(6 * itemBytes);
    expect(stats.sets).toBeLessThan(1_600);
    expect(outbox.list()).toEqual([]);
    // Empty again: one small snapshot is all that is left in storage.
    expect(Object.keys(dump())).toEqual([KEY]);
    expect(bytesOf(dump())).toBeLessThan(100);
    expect(await reload(dump())).toEqual([]);
  });

  it('writes changes made in the same turn together (a fan-out of 500 sends)', async () => {
    const { storage, stats, dump } = recordingStorage();
    const outbox = new Outbox(storage, KEY);
    await outbox.load();
    const items = Array.from({ length: 500 }, (_, i) => item(i));
    await Promise.all(items.map((i) => outbox.add(i)));
    expect(stats.sets).toBeLessThanOrEqual(2);
    expect(ids(await reload(dump()))).toEqual(ids(items));
    await Promise.all(items.slice(0, 499).map((i) => outbox.remove(i.id)));
    expect(stats.sets).toBeLessThanOrEqual(4);
    expect(ids(await reload(dump()))).toEqual([items[499]?.id]);
  });

  it('loses no unacknowledged message and revives no acknowledged one, whenever it stops', async () => {
    const { storage, states, clock } = recordingStorage();
    const compactAfter = 4;
    const outbox = new Outbox(storage, KEY, { compactAfter });
    await outbox.load();
    // When (storage clock) each add resolved, each ack began and each ack resolved: from an add's end to
    // its ack's start the item must be in storage; from the ack's end it must not.
    const stored = new Map<string, number>();
    const acking = new Map<string, number>();
    const acked = new Map<string, number>();
    let next = 0;
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % n;
    };
    for (let step = 0; step < 400; step += 1) {
      const pending = outbox.list();
      const pick = pending[random(Math.max(pending.length, 1))];
      const roll = random(10);
      if (roll < 5 || !pick) {
        const i = item(next++);
        await outbox.add(i);
        stored.set(i.id, clock());
      } else if (roll < 7) {
        outbox.markSent(pick.id, 1_780_000_000_000 + step);
      } else {
        acking.set(pick.id, clock());
        await outbox.remove(pick.id);
        acked.set(pick.id, clock());
      }
    }
    await outbox.add(item(next)); // the last markSent's write is done once this one is
    expect(states.length).toBeGreaterThan(400);
    for (const state of states) {
      const loaded = new Set(ids(await reload(state.data, compactAfter)));
      for (const [id, at] of stored) {
        const ackStart = acking.get(id) ?? Infinity;
        if (at <= state.at && state.at <= ackStart) expect(loaded.has(id)).toBe(true);
      }
      for (const [id, at] of acked) if (at <= state.at) expect(loaded.has(id)).toBe(false);
    }
    const final = await reload(states.at(-1)?.data ?? {}, compactAfter);
    expect(final.map((i) => [i.id, i.sentAt > 0])).toEqual(outbox.list().map((i) => [i.id, i.sentAt > 0]));
  });

  it('reads an outbox stored in the earlier format (the whole outbox as one JSON array)', async () => {
    const earlier = [item(1), { ...item(2), sentAt: 1_780_000_000_500, attempts: 2 }];
    const { storage, dump } = recordingStorage({ [KEY]: JSON.stringify(earlier) });
    const outbox = new Outbox(storage, KEY, { compactAfter: 2 });
    await outbox.load();
    expect(outbox.list()).toEqual(earlier);
    await outbox.add(item(3));
    expect(await outbox.remove(item(1).id)).toBe(true);
    expect(ids(await reload(dump(), 2))).toEqual(ids([item(2), item(3)]));
    // More records than items: a snapshot in the new format replaces the array and the records.
    await outbox.add(item(4));
    expect(await outbox.remove(item(3).id)).toBe(true);
    expect(Object.keys(dump())).toEqual([KEY]);
    expect(JSON.parse(dump()[KEY] ?? '')).toMatchObject({ v: 2 });
    const reloaded = await reload(dump(), 2);
    expect(ids(reloaded)).toEqual(ids([item(2), item(4)]));
    expect(reloaded[0]).toEqual(earlier[1]);
  });

  it('skips what it cannot read and keeps the rest', async () => {
    expect(await reload({ [KEY]: '{not json' })).toEqual([]);
    expect(await reload({ [KEY]: '{"v":3}' })).toEqual([]);
    const { storage, dump } = recordingStorage();
    const outbox = new Outbox(storage, KEY);
    await outbox.load();
    for (let i = 0; i < 3; i += 1) await outbox.add(item(i));
    const data = { ...dump(), [`${KEY}:1`]: 'garbage' };
    expect(ids(await reload(data))).toEqual(ids([item(0), item(2)]));
  });

  it('stores a change the storage refused with the next one', async () => {
    const memory = createMemoryStorage();
    let refuse = 1;
    const flaky: KeyValueStorage = {
      ...memory,
      set: (key, value) => (refuse-- > 0 ? Promise.reject(new Error('quota')) : memory.set(key, value)),
    };
    const outbox = new Outbox(flaky, KEY);
    await outbox.load();
    await outbox.add(item(1));
    await outbox.add(item(2));
    expect(ids(await reload(memory.dump()))).toEqual(ids([item(1), item(2)]));
  });

  it('tells a duplicate ack from the first', async () => {
    const outbox = new Outbox(createMemoryStorage(), KEY);
    await outbox.load();
    await outbox.add(item(1));
    expect(outbox.has(item(1).id)).toBe(true);
    expect(await outbox.remove(item(1).id)).toBe(true);
    expect(await outbox.remove(item(1).id)).toBe(false);
    expect(outbox.has(item(1).id)).toBe(false);
  });
});
