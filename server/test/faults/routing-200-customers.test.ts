// The routing fault scenario (routing-load.ts), part two: 200 customers arrive at once and are served in
// rounds while the invariants are checked against the database after every round.
import { describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { claimModel, conversationModel } from '../../src/model/conversation.js';
import { seatModel } from '../../src/model/seat.js';
import {
  AGENTS,
  CAPACITY,
  CUSTOMERS,
  LIMITS,
  expectedPriority,
  sleep,
  useRoutingLoad,
  type Conversation,
} from './routing-load.js';

describe('routing with two server processes: 10 agents with limits, 200 customers', () => {
  const load = useRoutingLoad('fault_routing_200');
  const { customers, toldAgents, heardOwn, toldCustomer, setMode, conversations, live, closeChats } = load;

  it('200 customers at once: no agent over its limit, nobody assigned twice, served in priority order', async () => {
    await closeChats((await live()).filter((d) => d.status === 'open'));
    await setMode('saturation');
    const db = load.cluster.db;

    // Watches the whole run: no agent ever holds more open chats than its limit.
    const over: string[] = [];
    const watching = { on: true };
    const watcher = (async () => {
      while (watching.on) {
        const open = await conversationModel(db).find({ status: 'open' }, { agent_uid: 1 }).lean();
        for (const [i, uid] of AGENTS.entries()) {
          const n = open.filter((d) => d.agent_uid === uid).length;
          if (n > LIMITS[i]!) over.push(`${uid}: ${String(n)} open, limit ${String(LIMITS[i])}`);
        }
        await sleep(500);
      }
    })();

    try {
      const since = new Date();
      // Each client waits for its conversation's state (200 at once keep FerretDB busy for a while).
      await Promise.all(customers.map(async (c) => c.open({}, 90_000)));
      let s = await settled(since, CAPACITY, 0, 120_000);
      const arrivedMs = Date.now() - since.getTime();
      const scenario = new Map(s.docs.map((d) => [d._id, d]));
      expect(scenario.size).toBe(CUSTOMERS);
      // One conversation per customer, with the priority its signed identity gives.
      expect(new Set(s.docs.map((d) => d.customer_uid)).size).toBe(CUSTOMERS);
      for (const d of s.docs)
        expect(d.priority, d.customer_uid).toBe(expectedPriority(Number(d.customer_uid.slice(4))));
      const servedIn = new Map<string, number>(s.open.map((d) => [d._id, 0]));
      // Those left waiting span queue-first, VIP and ordinary customers.
      expect(new Set(s.queued.map((d) => d.priority ?? 0)).size).toBeGreaterThan(2);
      const priorities: number[] = [];

      let closed = 0;
      for (let round = 1; s.queued.length > 0; round++) {
        expect(round).toBeLessThan(40);
        // The 20 longest-served chats end, each closed by its agent's client (at once, through both
        // processes: each close frees a seat and sweeps the queue where it is handled).
        const closing = [...s.open]
          .sort((a, b) => (a.assigned_at?.getTime() ?? 0) - (b.assigned_at?.getTime() ?? 0))
          .slice(0, 20);
        const before = s;
        await closeChats(closing);
        closed += closing.length;
        s = await settled(
          since,
          Math.min(CAPACITY, before.open.length - closing.length + before.queued.length),
          closed,
        );
        const served = s.open.filter((d) => !servedIn.has(d._id));
        for (const d of served) servedIn.set(d._id, round);
        // Only the seats freed this round were refilled…
        expect(served).toHaveLength(Math.min(closing.length, before.queued.length));
        expect(before.queued.length - s.queued.length).toBe(served.length);
        // …in queue order: nobody still waiting is ahead (higher priority, or equal and queued earlier)
        // of anyone served this round.
        for (const q of s.queued)
          for (const d of served) expect(ahead(q, d), `${q._id} waits behind ${d._id}`).toBe(false);
        priorities.push(...served.map((d) => d.priority ?? 0).sort((a, b) => b - a));
      }
      expect(servedIn.size).toBe(CUSTOMERS);
      console.log(
        `200 arrivals: answered and settled after ${String(arrivedMs)} ms; all served in ` +
          `${String(Math.max(...servedIn.values()))} rounds of 20 closes, ${String(Date.now() - since.getTime())} ms`,
      );
      // Served from the queue in non-increasing priority (queue-first 1000+, VIP 100–104, others 0).
      expect(priorities).toEqual([...priorities].sort((a, b) => b - a));

      // Every agent's and every customer's client heard of each assignment from one agent only, the one
      // in the database.
      const agentOf = new Map((await conversations()).map((d) => [d._id, d.agent_uid ?? '']));
      await waitFor('every assignment announced to its agent and its customer', () =>
        [...scenario.keys()].every((id) => heardOwn.has(id) && toldCustomer.has(id)),
      );
      for (const id of scenario.keys()) {
        expect([...toldAgents.get(id)!], id).toEqual([agentOf.get(id)]);
        expect([...(heardOwn.get(id) ?? [])], id).toEqual([agentOf.get(id)]);
        expect([...toldCustomer.get(id)!], id).toEqual([agentOf.get(id)]);
      }

      const total = AGENTS.map((uid) => [...scenario.keys()].filter((id) => agentOf.get(id) === uid).length);
      console.log(
        'saturation, 200 customers (chats per agent follow which chats the rounds closed) — agent(limit) → chats:',
        AGENTS.map((uid, i) => `${uid}(${String(LIMITS[i])})→${String(total[i])}`).join(' '),
      );
      expect(total.reduce((a, b) => a + b, 0)).toBe(CUSTOMERS);

      await closeChats(s.open);
      const seats = await seatModel(db)
        .find({ _id: { $regex: '^a_rp' } })
        .lean();
      expect(seats).toEqual([]);
    } finally {
      watching.on = false;
      await watcher;
    }
    expect(over).toEqual([]);
  }, 300_000);

  const ahead = (a: Conversation, b: Conversation): boolean =>
    (a.priority ?? 0) > (b.priority ?? 0) ||
    ((a.priority ?? 0) === (b.priority ?? 0) &&
      (a.queued_at?.getTime() ?? 0) < (b.queued_at?.getTime() ?? 0));

  interface Snapshot {
    docs: Conversation[];
    open: Conversation[];
    queued: Conversation[];
  }

  /**
   * Waits until the scenario's 200 conversations (created since `since`) are there with `closed` of them
   * closed and `open` open — or more open than that, which nothing in the scenario could undo — and
   * nothing changes for a moment (late sweeps, in-flight assignments), or until nothing has changed for
   * 8 s short of that; then checks the invariants and the counts.
   */
  async function settled(since: Date, open: number, closed: number, timeoutMs = 60_000): Promise<Snapshot> {
    const read = async (): Promise<Snapshot> => {
      const docs = (await conversations()).filter((d) => d.created_at >= since);
      return {
        docs,
        open: docs.filter((d) => d.status === 'open'),
        queued: docs.filter((d) => d.status === 'queued'),
      };
    };
    const key = (s: Snapshot) => JSON.stringify(s.docs.map((d) => [d._id, d.status, d.agent_uid, d.seat]));
    let last = '';
    let lastChange = Date.now();
    const s = await waitFor(
      `${String(open)} open and ${String(closed)} closed, settled`,
      async () => {
        const s = await read();
        const now = key(s);
        const quiet = now === last;
        if (!quiet) lastChange = Date.now();
        last = now;
        const done = s.docs.filter((d) => d.status === 'closed').length;
        const reached = s.docs.length >= CUSTOMERS && done >= closed && s.open.length >= open;
        // Stuck short of it for longer than the periodic queue sweep (5 s): let the checks say why.
        const stuck = s.docs.length >= CUSTOMERS && Date.now() - lastChange > 8_000;
        return (reached && quiet) || stuck ? s : null;
      },
      { timeoutMs, intervalMs: 250 },
    );
    await checkInvariants(s);
    expect(s.docs).toHaveLength(CUSTOMERS);
    expect(s.docs.filter((d) => d.status === 'closed')).toHaveLength(closed);
    // Nobody waits while a seat is free, and no seat is taken twice.
    expect(s.open).toHaveLength(open);
    return s;
  }

  /**
   * Against the database: no agent over its limit, each open chat on its own seat below the limit and
   * holding that seat's claim, no stray seat; each open chat has the one `assign:` claim naming its agent,
   * a queued one none; no customer with two live conversations.
   */
  async function checkInvariants(s: Snapshot): Promise<void> {
    const claims = new Map(
      (await claimModel(load.cluster.db).find({}).lean()).map((c) => [c._id, c.value] as const),
    );
    const seatHolders = new Map(
      (await seatModel(load.cluster.db).find({}).lean()).map((c) => [c._id, c.conversation_id] as const),
    );
    for (const [i, uid] of AGENTS.entries()) {
      const mine = s.open.filter((d) => d.agent_uid === uid);
      expect(mine.length, `${uid} open chats`).toBeLessThanOrEqual(LIMITS[i]!);
      const seats = mine.map((d) => d.seat ?? -1);
      expect(new Set(seats).size, `${uid} seats`).toBe(seats.length);
      for (const d of mine) {
        expect(d.seat, d._id).toBeGreaterThanOrEqual(0);
        expect(d.seat, d._id).toBeLessThan(LIMITS[i]!);
        expect(seatHolders.get(`${uid}:${String(d.seat)}`), d._id).toBe(d._id);
      }
      const held = [...seatHolders.keys()].filter((k) => k.startsWith(`${uid}:`));
      expect(held.sort(), `${uid} seats`).toEqual(mine.map((d) => `${uid}:${String(d.seat)}`).sort());
    }
    // Queued first: the assignment was claimed for that agent. Seated on arrival: never queued, no claim.
    for (const d of s.open) expect([d.agent_uid, undefined], d._id).toContain(claims.get(`assign:${d._id}`));
    for (const d of s.queued) expect(claims.get(`assign:${d._id}`), d._id).toBeUndefined();
    const live = s.docs.filter((d) => d.status !== 'closed').map((d) => d.customer_uid);
    expect(new Set(live).size).toBe(live.length);
  }
});
