// The routing fault scenario (routing-load.ts), part one: every seat filled at once, then each allocation
// mode gets a short arrival wave from a known state (both processes restarted, so their ~1 s caches start
// from the database).
import { describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { SettingRepository } from '../../src/repository/setting-repository.js';
import { AGENTS, CAPACITY, CREATED, LIMITS, customerUid, useRoutingLoad } from './routing-load.js';

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

describe('routing with two server processes: 10 agents with limits, 200 customers', () => {
  const load = useRoutingLoad('fault_routing_modes');
  const { customers, setMode, modeSeen, live, closeChats, agentsAvailable } = load;

  /**
   * Restarts both server processes from the database: the wave that follows starts with every cache
   * empty. Between stop and start (so no late write of the processes can overwrite it) the known state is
   * written: each agent's last assignment (longest-idle's order) and the round-robin position (the last
   * agent assigned), where service/routing/allocator.ts keeps them (settings `routing_last_assigned` and
   * `routing_round_robin`).
   */
  async function restartFromKnownState(): Promise<void> {
    await Promise.all(load.cluster.servers.map(async (s) => s.proc?.stop()));
    const hourAgo = Date.now() - 3_600_000;
    const settings = new SettingRepository(load.cluster.db);
    await settings.saveSetting(
      'routing_last_assigned',
      Object.fromEntries(IDLE_ORDER.map((i, rank) => [AGENTS[i] ?? '', hourAgo + rank * 60_000] as const)),
    );
    await settings.saveSetting('routing_round_robin', {
      uid: AGENTS[RR_MARK],
      created_at_ms: CREATED[RR_MARK]!.getTime(),
      at_ms: hourAgo,
    });
    await Promise.all(load.cluster.servers.map(async (_, i) => load.cluster.startServer(i)));
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
});
