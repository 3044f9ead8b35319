import type { Logger } from '../../log.js';
import type { Agent } from '../../repository/agent-repository.js';
import type { Group } from '../../repository/group-repository.js';
import { rankCandidates, type AllocationMode } from './allocation.js';
import { onDuty } from './business-hours.js';
import { LastAssignments } from './last-assignments.js';
import { OpenCounts } from './open-counts.js';
import type { TargetState } from './policy.js';
import { members, modeOf } from './route-target.js';
import { RoutingCache, type StoredRouting } from './routing-cache.js';
import type { Seats } from './seats.js';
import type { RouteTarget, RoutingConfig } from './settings.js';

// The cache lifetimes are part of the allocator's contract: tests in other packages wait them out.
export { ASSIGNED_FLUSH_MS } from './last-assignments.js';
export { OPEN_COUNTS_MS } from './open-counts.js';
export { PRESENCE_CACHE_MS, ROUTING_CACHE_MS } from './routing-cache.js';

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

/**
 * Chooses the agent for a conversation: the online agents (status online) below their reception limit,
 * ranked by the configured allocation mode, each tried in turn for a free seat (seats.ts: the hard limit,
 * atomic across instances).
 *
 * What the ranking reads is cached per instance (routing-cache.ts): agents, groups and the routing
 * setting for up to ROUTING_CACHE_MS, so an admin's change applies within a second on every instance,
 * without a restart; the open chats per agent (open-counts.ts: seats held, one read of `seats` instead of
 * one per arrival) for up to OPEN_COUNTS_MS. The open counts are kept current between reads by this
 * instance's own decisions: a chat counts for its agent the moment it is chosen (so concurrent arrivals
 * here spread out instead of all taking the same "least loaded" agent), a seat found taken by another
 * instance raises the count, and a released seat lowers it before the backlog sweep runs. Before anyone is
 * queued for want of a seat, everything is read afresh. Who is online is reused for PRESENCE_CACHE_MS
 * (cleared by a presence change on this instance): an agent who turns busy on another instance may still
 * get a chat in that window. The turn and last assignments live in last-assignments.ts.
 */
export class Allocator {
  private readonly cache: RoutingCache;
  private readonly counts: OpenCounts;
  private readonly last: LastAssignments;
  /**
   * Per agent, the seat this instance tries first next time: two past the last one it took (the first
   * time: the open count). Two instances giving the same agent chats in turn then take every other seat
   * rather than racing for the same next one — where each would find the seat just taken by the other,
   * a failed insert and another try for nearly every chat. One instance alone fills the even seats, then
   * (one failed try as it wraps around) the odd ones; seats given back are found as the tries come round.
   */
  private readonly nextSeat = new Map<string, number>();

  constructor(private readonly deps: AllocatorDeps) {
    this.last = new LastAssignments(deps);
    this.cache = new RoutingCache(deps, this.last);
    this.counts = new OpenCounts(deps.seats);
  }

  /** The routing setting (cached up to ROUTING_CACHE_MS). */
  async config(): Promise<RoutingConfig> {
    return (await this.cache.settings.get()).config;
  }

  /** Changes the fields given (read afresh first: another instance may have changed others). */
  saveConfig(changes: Partial<RoutingConfig>): Promise<RoutingConfig> {
    return this.cache.saveConfig(changes);
  }

  /** Skill groups with their routing settings (cached up to ROUTING_CACHE_MS). */
  groupMap(): Promise<Map<string, Group>> {
    return this.cache.groups.get();
  }

  /** Whether an enabled agent has this uid (an agent created within the last second is read afresh). */
  agentExists(uid: string): Promise<boolean> {
    return this.cache.agentExists(uid);
  }

  /** Agents (limits, groups, accounts) or groups changed on this instance: the next read is fresh. */
  capacityChanged(): void {
    this.cache.groups.clear();
    this.cache.agents.clear();
  }

  /** An agent's presence or status changed on this instance. */
  presenceChanged(): void {
    this.cache.available.clear();
  }

  /** Seats (reception limits) of the agents of `target` who can take chats now (queue wait estimates). */
  async onlineCapacity(target: RouteTarget = {}): Promise<number> {
    const [available, agents] = await Promise.all([this.cache.available.get(), this.cache.agents.get()]);
    return members(target, agents, available).reduce((sum, a) => sum + a.maxConcurrent, 0);
  }

  /** Who of `target` takes chats now, how many have room, and whether it is within business hours. */
  async targetState(target: RouteTarget, now = new Date()): Promise<TargetState> {
    const [available, agents, counts, groups] = await Promise.all([
      this.cache.available.get(),
      this.cache.agents.get(),
      this.counts.read(),
      this.cache.groups.get(),
    ]);
    const online = members(target, agents, available);
    const group = target.groupId && !target.agentUid ? groups.get(target.groupId) : undefined;
    const freeOf = (c: Map<string, number>) =>
      online.filter((a) => this.counts.openOf(c, a.uid) < a.maxConcurrent).length;
    let free = freeOf(counts);
    // All busy by the cached counts: read again (another instance's releases), as overflow goes by it.
    if (free === 0 && online.length > 0) free = freeOf(await this.counts.read(true));
    return { online: online.length, free, onDuty: onDuty(group?.businessHours, now) };
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
      const available = await this.cache.available.get(recheck);
      if (available.length === 0) continue;
      const seated = await this.trySeat(available, conversationId, target, now, options.exclude, recheck);
      if (seated) return seated;
    }
    return null;
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
    const mode = modeOf(target, stored.config, groups);
    const candidates = members(target, agents, available).filter((a) => a.uid !== exclude);
    const tried = new Set<string>();
    for (;;) {
      // Ranked again after every miss: the counts moved.
      const [best] = this.ranked(
        mode,
        candidates.filter((a) => !tried.has(a.uid)),
        counts,
        stored,
      );
      if (!best) return null;
      tried.add(best.uid);
      // Counted now, before the claim: concurrent arrivals on this instance see it. So do the turn
      // (round-robin) and the last assignment (longest-idle): the next arrival here ranks after this
      // choice instead of taking the same agent while this claim is under way.
      this.counts.bump(best.uid, 1);
      const chosenAt = new Date();
      this.last.chosen(best, mode === 'round_robin', chosenAt);
      const next = this.nextSeat.get(best.uid);
      const from = next === undefined ? best.open : next % best.limit;
      const seat = await this.deps.seats.take(best.uid, best.limit, conversationId, from, now);
      if (seat === null) {
        // Full after all (chats from other instances): counted exactly full until the next read.
        this.counts.setOpen(best.uid, best.limit);
        continue;
      }
      // Seats found taken on the way are not counted: they may be counted already (the last read, or
      // this instance's own), and a count must never err high. Other instances' chats show at the next
      // read, or when this agent turns out full.
      this.nextSeat.set(best.uid, seat + 2);
      this.last.record(best.uid, best.createdAt, mode === 'round_robin', chosenAt);
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
        this.cache.available.get(recheck),
        this.rankingInputs(recheck),
      ]);
      const ranked = this.ranked(
        modeOf(target, stored.config, groups),
        members(target, agents, available).filter((a) => a.uid !== exclude),
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
      this.cache.settings.get(),
      this.counts.read(recheck),
      this.cache.agents.get(recheck),
      this.cache.groups.get(),
    ]);
    return { stored, counts, agents, groups };
  }

  /** Agents as the mode ranks them, with this instance's counts, turn and last assignments. */
  private ranked(
    mode: AllocationMode,
    agents: readonly Agent[],
    counts: Map<string, number>,
    stored: Pick<StoredRouting, 'roundRobin' | 'lastAssigned'>,
  ) {
    const candidates = agents.map((a) => ({
      uid: a.uid,
      open: this.counts.openOf(counts, a.uid),
      limit: a.maxConcurrent,
      createdAt: a.createdAt,
      lastAssignedAt: this.last.lastAssigned(a.uid, stored.lastAssigned),
    }));
    return rankCandidates(mode, candidates, {
      roundRobin: this.last.mark(stored.roundRobin),
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
    if (seat !== null) this.counts.bump(agentUid, 1);
    return seat;
  }

  /**
   * Gives a seat back (a chat closed or transferred away, or a choice that went unused) and uncounts it
   * here at once, so the backlog sweep that follows sees the room.
   */
  async release(agentUid: string, seat: number, conversationId: string): Promise<void> {
    await this.deps.seats.release(agentUid, seat, conversationId);
    this.counts.bump(agentUid, -1);
  }

  /** Writes the last assignments recorded in the background (also called at shutdown and by tests). */
  flushAssigned(): Promise<void> {
    return this.last.flush();
  }
}
