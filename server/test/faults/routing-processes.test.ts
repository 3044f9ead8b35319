import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import {
  createCustomerClient,
  createMemoryStorage,
  type AgentClient,
  type CustomerClient,
} from '@kefu/sdk-core';
import { DEV_IDENTITY_SECRET } from '../../src/config.js';
import { claimModel, conversationModel, type ConversationDoc } from '../../src/model/conversation.js';
import { seatModel } from '../../src/model/seat.js';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import { PresenceRepository } from '../../src/repository/message-repository.js';
import { SettingRepository } from '../../src/repository/setting-repository.js';
import { signIdentity } from '../../src/service/auth/identity.js';
import { hashPassword } from '../../src/service/auth/password.js';
import { agent, http, online, transport } from '../messaging/harness.js';
import { ADMIN_PASSWORD, faultScope, startCluster, type Cluster } from './cluster.js';

// The routing engine scaled out: two real server processes (one shared subscription on Mosquitto, one
// FerretDB database), 10 agents with reception limits and 200 mall customers, all real sdk-core clients.
// Which process handles a customer's `open` is the broker's choice; agents close chats through their own
// clients. Each allocation mode gets a short arrival wave from a known state (both processes restarted,
// so their ~1 s caches start from the database); then 200 customers arrive at once and are served in
// rounds while the invariants are checked against the database after every round.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const LIMITS = [2, 3, 4, 5, 6, 2, 3, 4, 5, 6];
const CAPACITY = LIMITS.reduce((a, b) => a + b, 0);
const AGENTS = LIMITS.map((_, i) => `a_rp${String(i)}`);
/** Account creation order = index order (round-robin's order). */
const CREATED = LIMITS.map((_, i) => new Date(Date.UTC(2026, 0, 1, 0, i)));
const PASSWORD = 'agent-pass-123';

const CUSTOMERS = 200;
const customerUid = (i: number) => `u_rp${String(i).padStart(3, '0')}`;
/** Mall-signed facts: every 10th customer a VIP (levels 0–4), every 25th carries the queue-first tag. */
const QUEUE_FIRST_TAG = '急单';
const identityFacts = (i: number) => ({
  level: i % 5,
  vip: i % 10 === 3,
  tags: i % 25 === 7 ? [QUEUE_FIRST_TAG] : ['普通'],
});
const expectedPriority = (i: number) => (i % 25 === 7 ? 1000 : 0) + (i % 10 === 3 ? 100 + (i % 5) : 0);

/**
 * The load the mode waves start from: odd agents at half their limit or more (open ÷ limit 0.67, 0.6, 0.5,
 * 0.5, 0.5), even agents empty. Free seats: a_rp0 2, a_rp1 1, a_rp2 4, a_rp3 2, a_rp4 6, a_rp5 1, a_rp6 3,
 * a_rp7 2, a_rp8 5, a_rp9 3 (29).
 */
const BASE = [0, 2, 0, 3, 0, 1, 0, 2, 0, 3];
/** Last assignment times for the waves, most idle first (longest-idle's order). */
const IDLE_ORDER = [4, 3, 1, 9, 5, 7, 0, 2, 6, 8];
/** The last agent assigned before each wave: round-robin continues at a_rp4. */
const RR_MARK = 3;
/** Customers per mode wave (fewer than the 11 that would lift every even agent to half its limit). */
const WAVE = 8;

const indexOfAgent = (uid: string | null | undefined) => AGENTS.indexOf(uid ?? '');

/** Stops every client, each given at most 10 s (cleanup must not hang on one stuck connection). */
async function stopAll(clients: (AgentClient | CustomerClient)[]): Promise<void> {
  await Promise.all(clients.map((c) => Promise.race([c.stop().catch(() => undefined), sleep(10_000)])));
}

/** What the checks read of a conversation. */
type Conversation = Pick<
  ConversationDoc,
  | '_id'
  | 'customer_uid'
  | 'status'
  | 'agent_uid'
  | 'seat'
  | 'priority'
  | 'queued_at'
  | 'created_at'
  | 'assigned_at'
>;

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

describe('routing with two server processes: 10 agents with limits, 200 customers', () => {
  const scope = faultScope();
  let cluster: Cluster;
  let adminToken = '';
  const agents: AgentClient[] = [];
  const customers: CustomerClient[] = [];
  /** Conversation → the agents whose clients were told it is theirs. */
  const toldAgents = new Map<string, Set<string>>();
  const heardOwn = new Map<string, Set<string>>();
  /** Conversation → the agents its customer's client was told about. */
  const toldCustomer = new Map<string, Set<string>>();

  beforeAll(async () => {
    // 210 clients sign in from one address: above the default 60 session requests a minute per instance.
    process.env['SESSION_REQUESTS_PER_IP_PER_MINUTE'] = '10000';
    cluster = scope.cluster = await startCluster('fault_routing', 2);
    scope.extra.push({ stop: () => stopAll([...agents, ...customers]) });
    const hash = await hashPassword(PASSWORD);
    const repo = new AgentRepository(cluster.db);
    for (const [i, uid] of AGENTS.entries()) {
      await repo.createAgent({
        uid,
        username: uid.slice(2),
        displayName: uid,
        role: 'agent',
        passwordHash: hash,
        maxConcurrent: LIMITS[i]!,
        disabled: false,
        createdAt: CREATED[i]!,
      });
    }

    const res = await fetch(`${cluster.url(0)}/api/v1/agent/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(201);
    adminToken = ((await res.json()) as { token: string }).token;
    await setMode('saturation');

    // Agents sign in on both servers alternately and go online (status online).
    for (const [i, uid] of AGENTS.entries()) {
      const a = agent(cluster.url(i % 2), uid.slice(2), PASSWORD);
      a.on('event', (e) => {
        // The agents watching the queue hear of the assignment too (queue-watchers.ts): what counts is
        // whom it names, and that the chosen agent heard it.
        if (!e.assigned || !e.conversationId) return;
        add(toldAgents, e.conversationId, e.assigned.agent?.uid ?? '');
        if (e.assigned.agent?.uid === uid) add(heardOwn, e.conversationId, uid);
      });
      agents.push(a);
    }
    await Promise.all(agents.map(async (a) => a.start()));
    await Promise.all(agents.map(online));
    await agentsAvailable();

    for (let i = 0; i < CUSTOMERS; i++) {
      const c = createCustomerClient({
        baseUrl: cluster.url(i % 2),
        transport,
        http,
        storage: createMemoryStorage(),
        identify: () => {
          const identity = {
            user_id: customerUid(i).slice(2),
            ts: Math.floor(Date.now() / 1000),
            ...identityFacts(i),
          };
          return Promise.resolve({ identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) });
        },
      });
      c.on('event', (e) => {
        if (e.assigned && e.conversationId) add(toldCustomer, e.conversationId, e.assigned.agent?.uid ?? '');
      });
      customers.push(c);
    }
    for (let k = 0; k < CUSTOMERS; k += 25)
      await Promise.all(customers.slice(k, k + 25).map(async (c) => c.start()));
    await Promise.all(customers.map(online));
  }, 180_000);

  afterAll(() => {
    delete process.env['SESSION_REQUESTS_PER_IP_PER_MINUTE'];
  });

  async function agentsAvailable(): Promise<void> {
    const presence = new PresenceRepository(cluster.db);
    await waitFor('all 10 agents available', async () => {
      const available = await presence.listAvailableAgents();
      return AGENTS.every((uid) => available.includes(uid));
    });
  }

  async function routing(i: number, method: 'GET' | 'PUT', body?: unknown): Promise<{ mode?: string }> {
    const res = await fetch(`${cluster.url(i)}/api/v1/admin/routing`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { mode?: string };
  }

  /**
   * Sets the allocation mode (and the queue-first tag) through the admin API, then waits until both
   * processes answer with it (see modeSeen).
   */
  async function setMode(mode: string): Promise<void> {
    await routing(0, 'PUT', { mode, queue_first_tags: [QUEUE_FIRST_TAG] });
    await modeSeen(mode);
  }

  /**
   * Both processes answer with `mode`: each has read the setting since it changed (a cached setting is
   * answered while it is read again, so the first answer may be the old one).
   */
  async function modeSeen(mode: string): Promise<void> {
    await waitFor(
      `both processes use ${mode}`,
      async () => {
        for (const i of [0, 1]) if ((await routing(i, 'GET')).mode !== mode) return false;
        return true;
      },
      { intervalMs: 50 },
    );
  }

  /** Every conversation, with the fields these checks read (FerretDB: a projection keeps polls cheap). */
  const conversations = () =>
    conversationModel(cluster.db)
      .find(
        {},
        {
          customer_uid: 1,
          status: 1,
          agent_uid: 1,
          seat: 1,
          priority: 1,
          queued_at: 1,
          created_at: 1,
          assigned_at: 1,
        },
      )
      .lean<Conversation[]>();
  const live = async () => (await conversations()).filter((d) => d.status !== 'closed');

  /** Closes chats through their agents' clients and waits until the database has them closed. */
  async function closeChats(docs: Conversation[]): Promise<void> {
    await Promise.all(docs.map((d) => agents[indexOfAgent(d.agent_uid)]!.close(d._id, 'done')));
    const ids = new Set(docs.map((d) => d._id));
    await waitFor(
      `${String(ids.size)} chats closed`,
      async () => (await conversations()).every((d) => !ids.has(d._id) || d.status === 'closed'),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }

  /**
   * Restarts both server processes from the database: the wave that follows starts with every cache
   * empty. Between stop and start (so no late write of the processes can overwrite it) the known state is
   * written: each agent's last assignment (longest-idle's order) and the round-robin position (the last
   * agent assigned), where service/routing/allocator.ts keeps them (settings `routing_last_assigned` and
   * `routing_round_robin`).
   */
  async function restartFromKnownState(): Promise<void> {
    await Promise.all(cluster.servers.map(async (s) => s.proc?.stop()));
    const hourAgo = Date.now() - 3_600_000;
    const settings = new SettingRepository(cluster.db);
    await settings.saveSetting(
      'routing_last_assigned',
      Object.fromEntries(IDLE_ORDER.map((i, rank) => [AGENTS[i] ?? '', hourAgo + rank * 60_000] as const)),
    );
    await settings.saveSetting('routing_round_robin', {
      uid: AGENTS[RR_MARK],
      created_at_ms: CREATED[RR_MARK]!.getTime(),
      at_ms: hourAgo,
    });
    await Promise.all(cluster.servers.map(async (_, i) => cluster.startServer(i)));
    await agentsAvailable();
  }

  /**
   * One mode's wave: known state, both processes restarted, the mode set, then WAVE customers open at
   * once. Returns the new chats per agent and how long the wave took (first conversation created → last
   * assigned), which bounds how often a process can have re-read its caches meanwhile.
   */
  async function wave(mode: string): Promise<{ per: number[]; spanMs: number }> {
    await setMode(mode);
    await restartFromKnownState();
    await modeSeen(mode);
    const uids = new Set(customers.slice(0, WAVE).map((_, i) => customerUid(i)));
    await Promise.all(customers.slice(0, WAVE).map(async (c) => c.open()));
    const docs = await waitFor(`${mode}: the wave assigned`, async () => {
      const mine = (await live()).filter((d) => uids.has(d.customer_uid));
      return mine.length === WAVE && mine.every((d) => d.status === 'open') ? mine : null;
    });
    const per = AGENTS.map((uid) => docs.filter((d) => d.agent_uid === uid).length);
    const spanMs =
      Math.max(...docs.map((d) => d.assigned_at?.getTime() ?? 0)) -
      Math.min(...docs.map((d) => d.created_at.getTime()));
    console.log(
      `${mode} wave (${String(WAVE)} customers, ${String(spanMs)} ms) — agent(limit, base load) +new:`,
      AGENTS.map((uid, i) => `${uid}(${String(LIMITS[i])},${String(BASE[i])})+${String(per[i])}`).join(' '),
    );
    await closeChats(docs);
    return { per, spanMs };
  }

  /**
   * How many chats one agent may get in a wave of 8. Within one cache period a process's round-robin turn
   * and longest-idle order follow its own choices, so it gives each agent at most one chat per pass over
   * the agents (8 chats make no more than one pass). A re-read of the cache (at most one per second, plus
   * one that may already be under way when the wave starts) can start a new pass from what the database
   * says. Two processes: twice that.
   */
  const perAgentBound = (spanMs: number) => 2 * (2 + Math.floor(spanMs / 1000));

  it('fills every seat when as many customers arrive at once as there are seats, and queues nobody', async () => {
    const uids = new Set(customers.slice(100, 100 + CAPACITY).map((_, i) => customerUid(100 + i)));
    await Promise.all(customers.slice(100, 100 + CAPACITY).map(async (c) => c.open()));
    const docs = await waitFor(
      'the 40 conversations assigned',
      async () => {
        const mine = (await live()).filter((d) => uids.has(d.customer_uid));
        return mine.length === CAPACITY && mine.every((d) => d.status === 'open') ? mine : null;
      },
      { timeoutMs: 30_000 },
    );
    for (const [i, uid] of AGENTS.entries())
      expect(
        docs.filter((d) => d.agent_uid === uid),
        uid,
      ).toHaveLength(LIMITS[i]!);
    // Down to the base load for the mode waves.
    await closeChats(AGENTS.flatMap((uid, i) => docs.filter((d) => d.agent_uid === uid).slice(BASE[i])));
    const open = (await live()).filter((d) => d.status === 'open');
    expect(AGENTS.map((uid) => open.filter((d) => d.agent_uid === uid).length)).toEqual(BASE);
  }, 60_000);

  it('saturation: a wave goes only to the agents below half their limit', async () => {
    const { per } = await wave('saturation');
    // Odd agents are at ≥ 0.5 open ÷ limit, even ones at 0. Lifting every even agent to 0.5 takes 11
    // chats (1+2+3+2+3), so none of the 8 may go to an odd agent. Stale caches cannot change that: a
    // process never counts fewer chats than the base it read after its restart, nor more new chats than
    // were made. Round-robin (continuing at a_rp4, then a_rp5) and longest-idle (a_rp4, then a_rp3) would
    // both give an odd agent a chat.
    expect(per.reduce((a, b) => a + b, 0)).toBe(WAVE);
    expect(per.filter((_, i) => i % 2 === 1)).toEqual([0, 0, 0, 0, 0]);
  }, 60_000);

  it('round_robin: a wave continues after the last agent assigned, in creation order, one each', async () => {
    const { per, spanMs } = await wave('round_robin');
    // Every choice is the next agent with a free seat after the last one assigned (a_rp3 before the
    // wave, then a chosen one): the agents that got chats are a run in creation order from a_rp4 (an
    // agent is passed over only when full, i.e. it got chats). Saturation would choose only even agents;
    // longest-idle a_rp4 then a_rp3.
    const got = per.flatMap((n, i) => (n > 0 ? [i] : []));
    const run = Array.from({ length: got.length }, (_, k) => (RR_MARK + 1 + k) % AGENTS.length);
    expect(got.sort((a, b) => a - b)).toEqual(run.sort((a, b) => a - b));
    expect(got.length).toBeGreaterThanOrEqual(2);
    // Spread: concurrent arrivals on one process must not all take the same turn.
    expect(Math.max(...per)).toBeLessThanOrEqual(perAgentBound(spanMs));
  }, 60_000);

  it('longest_idle: a wave goes to the most idle agents first, one each', async () => {
    const { per, spanMs } = await wave('longest_idle');
    // Every choice is the agent with the oldest last assignment that has a free seat; a chosen agent's
    // last assignment becomes the newest. So the agents that got chats are the first ones of the idle
    // order (a_rp4, a_rp3, a_rp1, a_rp9, …). Saturation would skip a_rp3; round-robin would take a_rp5
    // after a_rp4.
    const got = per.flatMap((n, i) => (n > 0 ? [i] : []));
    expect(got.sort((a, b) => a - b)).toEqual(IDLE_ORDER.slice(0, got.length).sort((a, b) => a - b));
    expect(got.length).toBeGreaterThanOrEqual(2);
    expect(Math.max(...per)).toBeLessThanOrEqual(perAgentBound(spanMs));
  }, 60_000);

  it('200 customers at once: no agent over its limit, nobody assigned twice, served in priority order', async () => {
    await closeChats((await live()).filter((d) => d.status === 'open'));
    await setMode('saturation');
    const db = cluster.db;

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
      (await claimModel(cluster.db).find({}).lean()).map((c) => [c._id, c.value] as const),
    );
    const seatHolders = new Map(
      (await seatModel(cluster.db).find({}).lean()).map((c) => [c._id, c.conversation_id] as const),
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
