import type { Logger } from '../../log.js';
import type { Agent } from '../../repository/agent-repository.js';
import type { Group } from '../../repository/group-repository.js';
import { ALLOCATION_MODES, rankCandidates, type AllocationMode, type RoundRobinMark } from './allocation.js';
import { onDuty } from './business-hours.js';
import type { TargetState } from './policy.js';
import type { Seats } from './seats.js';
import { routingFromStored, routingToStored, type RouteTarget, type RoutingConfig } from './settings.js';

const CONFIG_KEY = 'routing';
const ROUND_ROBIN_KEY = 'routing_round_robin';
/** Each agent's last assignment (ms), for longest-idle: one document every instance raises. */
const LAST_ASSIGNED_KEY = 'routing_last_assigned';

export interface AllocatorDeps {
  presence: { listAvailableAgents(): Promise<string[]> };
  agents: {
    listAgents(): Promise<Agent[]>;
  };
  groups: { listGroups(): Promise<Group[]> };
  settings: {
    findSetting(key: string): Promise<Record<string, unknown> | null>;
    saveSetting(key: string, value: Record<string, unknown>): Promise<void>;
    raiseNumbers(key: string, numbers: Record<string, number>): Promise<void>;
  };
  seats: Seats;
  logger: Logger;
  random?: () => number;
}

/** How long an instance reuses what it read: agents, groups, the routing setting. */
export const ROUTING_CACHE_MS = 1_000;

/**
 * How long an instance reuses the open chats per agent (seats held, read from `seats` — on FerretDB a read
 * of every seat, the one read here that grows with the load). In between, its own choices, releases and
 * seats found taken keep them current; another instance's releases show at the next read.
 */
export const OPEN_COUNTS_MS = 30_000;

/**
 * Round-robin marks and last-assignment times are written at most this often (coalesced): two writes per
 * period at most, not one per arrival. Other instances see them within this plus ROUTING_CACHE_MS; this
 * instance at once.
 */
export const ASSIGNED_FLUSH_MS = 1_000;

/** How long an instance reuses who is online (cleared when this instance records a presence change). */
export const PRESENCE_CACHE_MS = 250;

/** A cached value up to this many TTLs old is answered while it is re-read; older ones are waited for. */
const STALE_FACTOR = 3;

/**
 * A value read at most once per `ttlMs`, shared by concurrent callers. Once it has a value, one expired
 * less than STALE_FACTOR × ttlMs ago is still answered while the fresh read runs in the background
 * (arrivals on a busy instance never wait for the refresh); an older one is waited for; `clear()` makes
 * the next caller wait for a fresh read.
 */
class Cached<T> {
  private value: { at: number; value: T } | undefined;
  private loading: Promise<T> | undefined;
  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
  ) {}
  /** `fresh`: the read under way, if any, else a new one (concurrent callers share it), never the cache. */
  async get(fresh = false): Promise<T> {
    if (fresh) return this.refresh();
    const current = this.value;
    const age = current ? Date.now() - current.at : Infinity;
    if (current && age <= this.ttlMs) return current.value;
    const loading = this.refresh();
    // Slightly stale (a busy instance): answered while the fresh read runs. Stale for longer (an idle
    // one): waited for, so a change made a while ago is never decided on with the old value.
    if (current && age <= this.ttlMs * STALE_FACTOR) {
      loading.catch(() => undefined); // the next call tries again
      return current.value;
    }
    return loading;
  }
  /** The value read last, if any (not refreshed). */
  peek(): T | undefined {
    return this.value?.value;
  }
  private refresh(): Promise<T> {
    if (!this.loading) {
      const started = Date.now();
      this.loading = this.load().then(
        (value) => {
          this.value = { at: started, value };
          this.loading = undefined;
          return value;
        },
        (err: unknown) => {
          this.loading = undefined;
          throw err;
        },
      );
    }
    return this.loading;
  }
  clear(): void {
    this.value = undefined;
  }
}

/**
 * Chooses the agent for a conversation: the online agents (status online) below their reception limit,
 * ranked by the configured allocation mode, each tried in turn for a free seat (seats.ts: the hard limit,
 * atomic across instances).
 *
 * What the ranking reads is cached per instance: for up to ROUTING_CACHE_MS agents (limits, creation
 * times), groups and the routing setting (with the round-robin mark and last-assignment times), so an
 * admin's change applies within a second on every instance, without a restart; the open chats per agent
 * (seats held, one read of `seats` instead of one per arrival) for up to OPEN_COUNTS_MS. The open counts
 * are kept current between reads by this instance's own decisions: a chat counts for its agent the moment
 * it is chosen (so concurrent arrivals here spread out instead of all taking the same "least loaded"
 * agent), a seat found taken by another instance raises the count, and a released seat lowers it before
 * the backlog sweep runs. Before anyone is queued for want of a seat, everything is read afresh. Who is
 * online is reused for PRESENCE_CACHE_MS (cleared by a presence change on this instance): an agent who
 * turns busy on another instance may still get a chat in that window.
 */
export class Allocator {
  private readonly agents: Cached<Map<string, Agent>>;
  private readonly settings: Cached<{
    config: RoutingConfig;
    roundRobin: (RoundRobinMark & { atMs: number }) | null;
    lastAssigned: Map<string, Date>;
  }>;
  private readonly openCounts: Cached<Map<string, number>>;
  private readonly available: Cached<string[]>;
  private readonly groups: Cached<Map<string, Group>>;
  /**
   * Changes to the open counts since they were read (this instance's choices, seats found taken, and
   * releases). A fresh read replaces them, keeping only the releases made while it ran: it may have seen
   * those seats still held. So a count can only err low (a choice made while the read ran may be missing
   * from it) — the safe side: the seat claim is the truth, and a miss corrects the count; a count too high
   * could keep a customer queued while a seat is free.
   */
  private adjust = new Map<string, number>();
  private releasedWhileReading: Map<string, number> | undefined;
  /**
   * This instance's own latest assignments, newer than what a cache refresh may bring while the
   * background writes of `record()` are still on their way: the round-robin mark and each agent's last
   * assignment (longest-idle). The newer of local and stored wins.
   */
  private roundRobinLocal: (RoundRobinMark & { atMs: number }) | null = null;
  private readonly lastAssignedLocal = new Map<string, Date>();
  /**
   * Per agent, the seat this instance tries first next time: two past the last one it took (the first
   * time: the open count). Two instances giving the same agent chats in turn then take every other seat
   * rather than racing for the same next one — where each would find the seat just taken by the other,
   * a failed insert and another try for nearly every chat. One instance alone fills the even seats, then
   * (one failed try as it wraps around) the odd ones; seats given back are found as the tries come round.
   */
  private readonly nextSeat = new Map<string, number>();

  constructor(private readonly deps: AllocatorDeps) {
    this.agents = new Cached(ROUTING_CACHE_MS, async () => {
      const list = await deps.agents.listAgents();
      return new Map(list.map((a) => [a.uid, a]));
    });
    this.settings = new Cached(ROUTING_CACHE_MS, async () => {
      const [config, roundRobin, lastAssigned] = await Promise.all([
        this.readConfig(),
        this.readRoundRobin(),
        this.readLastAssigned(),
      ]);
      return { config, roundRobin, lastAssigned };
    });
    this.available = new Cached(PRESENCE_CACHE_MS, () => deps.presence.listAvailableAgents());
    this.groups = new Cached(ROUTING_CACHE_MS, async () => {
      const list = await deps.groups.listGroups();
      return new Map(list.map((g) => [g.id, g]));
    });
    this.openCounts = new Cached(OPEN_COUNTS_MS, async () => {
      const released = new Map<string, number>();
      this.releasedWhileReading = released;
      try {
        const counts = await deps.seats.held();
        this.adjust = released;
        return counts;
      } finally {
        this.releasedWhileReading = undefined;
      }
    });
  }

  /** The routing setting (cached up to ROUTING_CACHE_MS). */
  async config(): Promise<RoutingConfig> {
    return (await this.settings.get()).config;
  }

  private async readConfig(): Promise<RoutingConfig> {
    return routingFromStored(await this.deps.settings.findSetting(CONFIG_KEY));
  }

  /** Changes the fields given (read afresh first: another instance may have changed others). */
  async saveConfig(changes: Partial<RoutingConfig>): Promise<RoutingConfig> {
    const config = { ...(await this.readConfig()), ...changes };
    await this.deps.settings.saveSetting(CONFIG_KEY, routingToStored(config));
    this.settings.clear();
    return config;
  }

  /** Skill groups with their routing settings (cached up to ROUTING_CACHE_MS). */
  groupMap(): Promise<Map<string, Group>> {
    return this.groups.get();
  }

  /** Whether an enabled agent has this uid (an agent created within the last second is read afresh). */
  async agentExists(uid: string): Promise<boolean> {
    let agent = (await this.agents.get()).get(uid);
    if (!agent) {
      this.agents.clear();
      agent = (await this.agents.get()).get(uid);
    }
    return agent !== undefined && !agent.disabled;
  }

  /** Agents (limits, groups, accounts) or groups changed on this instance: the next read is fresh. */
  capacityChanged(): void {
    this.groups.clear();
    this.agents.clear();
  }

  /** The agents a target takes in: one agent, a group's members, or everyone (`exclude` left out). */
  private members(target: RouteTarget, agents: Map<string, Agent>, uids: readonly string[]): Agent[] {
    return uids
      .map((uid) => agents.get(uid))
      .filter(
        (a): a is Agent =>
          a !== undefined &&
          !a.disabled &&
          a.maxConcurrent > 0 &&
          (!target.agentUid || a.uid === target.agentUid) &&
          (!target.groupId || (a.groupIds ?? []).includes(target.groupId)),
      );
  }

  /** Seats (reception limits) of the agents of `target` who can take chats now (queue wait estimates). */
  async onlineCapacity(target: RouteTarget = {}): Promise<number> {
    const [available, agents] = await Promise.all([this.available.get(), this.agents.get()]);
    return this.members(target, agents, available).reduce((sum, a) => sum + a.maxConcurrent, 0);
  }

  /** Who of `target` takes chats now, how many have room, and whether it is within business hours. */
  async targetState(target: RouteTarget, now = new Date()): Promise<TargetState> {
    const [available, agents, counts, groups] = await Promise.all([
      this.available.get(),
      this.agents.get(),
      this.openCounts.get(),
      this.groups.get(),
    ]);
    const online = this.members(target, agents, available);
    const group = target.groupId && !target.agentUid ? groups.get(target.groupId) : undefined;
    const freeOf = (c: Map<string, number>) =>
      online.filter((a) => this.openOf(c, a.uid) < a.maxConcurrent).length;
    let free = freeOf(counts);
    // All busy by the cached counts: read again (another instance's releases), as overflow goes by it.
    if (free === 0 && online.length > 0) free = freeOf(await this.openCounts.get(true));
    return { online: online.length, free, onDuty: onDuty(group?.businessHours, now) };
  }

  private openOf(counts: Map<string, number>, uid: string): number {
    return Math.max(0, (counts.get(uid) ?? 0) + (this.adjust.get(uid) ?? 0));
  }

  /** Counts an agent's open chats as exactly `open` until the next read. */
  private setOpen(uid: string, open: number): void {
    this.adjust.set(uid, open - (this.openCounts.peek()?.get(uid) ?? 0));
  }

  private bump(uid: string, by: number): void {
    this.adjust.set(uid, (this.adjust.get(uid) ?? 0) + by);
    const released = this.releasedWhileReading;
    if (by < 0 && released) released.set(uid, (released.get(uid) ?? 0) + by);
  }

  /**
   * Seats the conversation with an agent; null when no online agent has a free seat. Before answering
   * null it tries once more on who is online, the agents and the counts read afresh (one read shared by
   * the arrivals waiting for it): a cached count may be too high (another instance's release, a seat
   * found taken that was not the one counted) or an agent too new for the cache, and nobody may wait in
   * the queue while a seat is free.
   */
  async seat(
    conversationId: string,
    target: RouteTarget = {},
    options: { now?: Date; exclude?: string } = {},
  ): Promise<{ agentUid: string; seat: number } | null> {
    const now = options.now ?? new Date();
    for (const recheck of [false, true]) {
      const available = await this.available.get(recheck);
      if (available.length === 0) continue;
      const seated = await this.trySeat(available, conversationId, target, now, options.exclude, recheck);
      if (seated) return seated;
    }
    return null;
  }

  /** The allocation mode of a target: its group's, else the global one. */
  private modeOf(target: RouteTarget, config: RoutingConfig, groups: Map<string, Group>): AllocationMode {
    const own = target.groupId ? groups.get(target.groupId)?.mode : undefined;
    return (ALLOCATION_MODES as readonly unknown[]).includes(own) ? (own as AllocationMode) : config.mode;
  }

  /** An agent's presence or status changed on this instance. */
  presenceChanged(): void {
    this.available.clear();
  }

  private async trySeat(
    available: readonly string[],
    conversationId: string,
    target: RouteTarget,
    now: Date,
    exclude: string | undefined,
    recheck: boolean,
  ): Promise<{ agentUid: string; seat: number } | null> {
    const { stored, counts, agents, groups } = await this.rankingInputs(recheck);
    const mode = this.modeOf(target, stored.config, groups);
    const members = this.members(target, agents, available).filter((a) => a.uid !== exclude);
    const tried = new Set<string>();
    for (;;) {
      // Ranked again after every miss: the counts moved.
      const [best] = this.ranked(
        mode,
        members.filter((a) => !tried.has(a.uid)),
        counts,
        stored,
      );
      if (!best) return null;
      tried.add(best.uid);
      // Counted now, before the claim: concurrent arrivals on this instance see it. So do the turn
      // (round-robin) and the last assignment (longest-idle): the next arrival here ranks after this
      // choice instead of taking the same agent while this claim is under way.
      this.bump(best.uid, 1);
      const chosenAt = new Date();
      if (mode === 'round_robin')
        this.roundRobinLocal = {
          uid: best.uid,
          createdAtMs: best.createdAt.getTime(),
          atMs: chosenAt.getTime(),
        };
      this.lastAssignedLocal.set(best.uid, chosenAt);
      const next = this.nextSeat.get(best.uid);
      const from = next === undefined ? best.open : next % best.limit;
      const seat = await this.deps.seats.take(best.uid, best.limit, conversationId, from, now);
      if (seat === null) {
        // Full after all (chats from other instances): counted exactly full until the next read.
        this.setOpen(best.uid, best.limit);
        continue;
      }
      // Seats found taken on the way are not counted: they may be counted already (the last read, or
      // this instance's own), and a count must never err high. Other instances' chats show at the next
      // read, or when this agent turns out full.
      this.nextSeat.set(best.uid, seat + 2);
      this.record(best.uid, best.createdAt, mode === 'round_robin', chosenAt);
      return { agentUid: best.uid, seat };
    }
  }

  /**
   * The agents of `target` who could take a chat now, best first by its mode (`exclude` left out), without
   * taking a seat: for an automatic transfer, which claims its seat itself.
   */
  async rank(target: RouteTarget, exclude?: string): Promise<string[]> {
    for (const recheck of [false, true]) {
      const [available, { stored, counts, agents, groups }] = await Promise.all([
        this.available.get(recheck),
        this.rankingInputs(recheck),
      ]);
      const ranked = this.ranked(
        this.modeOf(target, stored.config, groups),
        this.members(target, agents, available).filter((a) => a.uid !== exclude),
        counts,
        stored,
      ).map((c) => c.uid);
      // Nobody with room by the cached values: read afresh once (another instance's releases).
      if (ranked.length > 0 || recheck) return ranked;
    }
    return [];
  }

  /** What ranking reads besides who is online; `recheck`: the agents and counts read afresh. */
  private async rankingInputs(recheck: boolean) {
    const [stored, counts, agents, groups] = await Promise.all([
      this.settings.get(),
      this.openCounts.get(recheck),
      this.agents.get(recheck),
      this.groups.get(),
    ]);
    return { stored, counts, agents, groups };
  }

  /** Agents as the mode ranks them, with this instance's counts, turn and last assignments. */
  private ranked(
    mode: AllocationMode,
    agents: readonly Agent[],
    counts: Map<string, number>,
    stored: {
      roundRobin: (RoundRobinMark & { atMs: number }) | null;
      lastAssigned: Map<string, Date>;
    },
  ) {
    const candidates = agents.map((a) => ({
      uid: a.uid,
      open: this.openOf(counts, a.uid),
      limit: a.maxConcurrent,
      createdAt: a.createdAt,
      lastAssignedAt: this.lastAssigned(a.uid, stored.lastAssigned),
    }));
    return rankCandidates(mode, candidates, {
      roundRobin: this.mark(stored.roundRobin),
      ...(this.deps.random ? { random: this.deps.random } : {}),
    });
  }

  /** Open chats (seats held) of these agents, read now rather than cached: a transfer's choices. */
  openChats(agentUids: readonly string[]): Promise<Map<string, number>> {
    return this.deps.seats.held(agentUids);
  }

  /** Claims a seat of one given agent (a transfer) and counts it here at once; null when they are full. */
  async seatWith(
    agentUid: string,
    limit: number,
    open: number,
    conversationId: string,
  ): Promise<number | null> {
    const seat = await this.deps.seats.take(agentUid, limit, conversationId, open);
    if (seat !== null) this.bump(agentUid, 1);
    return seat;
  }

  /**
   * Gives a seat back (a chat closed or transferred away, or a choice that went unused) and uncounts it
   * here at once, so the backlog sweep that follows sees the room.
   */
  async release(agentUid: string, seat: number, conversationId: string): Promise<void> {
    await this.deps.seats.release(agentUid, seat, conversationId);
    this.bump(agentUid, -1);
  }

  private pendingAssigned = new Map<string, Date>();
  private pendingMark: { uid: string; created_at_ms: number; at_ms: number } | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * A choice made here (its seat claimed): the agent's last assignment (longest-idle), and where
   * round-robin continues when that was the mode. Written in the background, coalesced over
   * ASSIGNED_FLUSH_MS (only the latest of each matters: one mark and one time per agent per flush instead
   * of writes per arrival). This instance uses its own newer values meanwhile; other instances see them
   * after the flush and their cache refresh. Best effort — the assignment stands either way; a lost update
   * only shifts whose turn is next.
   */
  private record(agentUid: string, createdAt: Date, roundRobin: boolean, at: Date): void {
    const previous = this.pendingAssigned.get(agentUid);
    if (!previous || previous < at) this.pendingAssigned.set(agentUid, at);
    if (roundRobin && (!this.pendingMark || this.pendingMark.at_ms <= at.getTime()))
      this.pendingMark = { uid: agentUid, created_at_ms: createdAt.getTime(), at_ms: at.getTime() };
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        void this.flushAssigned();
      }, ASSIGNED_FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  /** Writes what `record()` collected (also called at shutdown and by tests). */
  async flushAssigned(): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const times = [...this.pendingAssigned];
    const mark = this.pendingMark;
    this.pendingAssigned = new Map();
    this.pendingMark = undefined;
    try {
      // Two writes at most, one after the other: a burst of writes stalls the arrivals' own (SQLite,
      // under FerretDB, has one writer and makes the others sleep and retry).
      if (times.length > 0)
        await this.deps.settings.raiseNumbers(
          LAST_ASSIGNED_KEY,
          Object.fromEntries(times.map(([uid, at]) => [uid, at.getTime()])),
        );
      if (mark) await this.deps.settings.saveSetting(ROUND_ROBIN_KEY, mark);
    } catch (err) {
      this.deps.logger.warn({ err }, 'could not record assignments for round-robin / longest-idle');
    }
  }

  private async readRoundRobin(): Promise<(RoundRobinMark & { atMs: number }) | null> {
    const stored = await this.deps.settings.findSetting(ROUND_ROBIN_KEY);
    const uid = stored?.['uid'];
    const createdAtMs = stored?.['created_at_ms'];
    const atMs = stored?.['at_ms'];
    return typeof uid === 'string' && typeof createdAtMs === 'number'
      ? { uid, createdAtMs, atMs: typeof atMs === 'number' ? atMs : 0 }
      : null;
  }

  /** Where round-robin continues: the newer of this instance's last assignment and the stored mark. */
  private mark(stored: (RoundRobinMark & { atMs: number }) | null): RoundRobinMark | null {
    const local = this.roundRobinLocal;
    return local && (!stored || local.atMs >= stored.atMs) ? local : stored;
  }

  private async readLastAssigned(): Promise<Map<string, Date>> {
    const stored = (await this.deps.settings.findSetting(LAST_ASSIGNED_KEY)) ?? {};
    return new Map(
      Object.entries(stored).flatMap(([uid, ms]) =>
        typeof ms === 'number' && Number.isFinite(ms) ? [[uid, new Date(ms)] as const] : [],
      ),
    );
  }

  /** An agent's last assignment: the newer of this instance's and the stored one. */
  private lastAssigned(uid: string, stored: Map<string, Date>): Date | undefined {
    const local = this.lastAssignedLocal.get(uid);
    const saved = stored.get(uid);
    return local && (!saved || local > saved) ? local : saved;
  }
}
