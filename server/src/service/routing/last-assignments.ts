import type { Logger } from '../../log.js';
import type { RoundRobinMark } from './allocation.js';

const ROUND_ROBIN_KEY = 'routing_round_robin';
/** Each agent's last assignment (ms), for longest-idle: one document every instance raises. */
const LAST_ASSIGNED_KEY = 'routing_last_assigned';

/**
 * Round-robin marks and last-assignment times are written at most this often (coalesced): two writes per
 * period at most, not one per arrival. Other instances see them within this plus ROUTING_CACHE_MS; this
 * instance at once.
 */
export const ASSIGNED_FLUSH_MS = 1_000;

/** A round-robin mark with when it was made (the newer of two marks wins). */
export type TimedMark = RoundRobinMark & { atMs: number };

export interface LastAssignmentsDeps {
  settings: {
    findSetting(key: string): Promise<Record<string, unknown> | null>;
    saveSetting(key: string, value: Record<string, unknown>): Promise<void>;
    raiseNumbers(key: string, numbers: Record<string, number>): Promise<void>;
  };
  logger: Logger;
}

/**
 * The last assignments the modes rank by: where round-robin continues (the last agent it chose) and each
 * agent's last assignment (longest-idle). Stored in `settings` for every instance, and kept here as this
 * instance's own latest choices, newer than what a cache refresh may bring while the background writes
 * of `record()` are still on their way: the newer of local and stored wins.
 */
export class LastAssignments {
  private roundRobinLocal: TimedMark | null = null;
  private readonly lastAssignedLocal = new Map<string, Date>();
  private pendingAssigned = new Map<string, Date>();
  private pendingMark: { uid: string; created_at_ms: number; at_ms: number } | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: LastAssignmentsDeps) {}

  /**
   * An agent chosen here (before its seat is claimed): concurrent arrivals on this instance rank after
   * this choice — the turn (round-robin) and the last assignment (longest-idle) — at once.
   */
  chosen(agent: { uid: string; createdAt: Date }, roundRobin: boolean, at: Date): void {
    if (roundRobin)
      this.roundRobinLocal = { uid: agent.uid, createdAtMs: agent.createdAt.getTime(), atMs: at.getTime() };
    this.lastAssignedLocal.set(agent.uid, at);
  }

  /**
   * A choice made here (its seat claimed): the agent's last assignment (longest-idle), and where
   * round-robin continues when that was the mode. Written in the background, coalesced over
   * ASSIGNED_FLUSH_MS (only the latest of each matters: one mark and one time per agent per flush instead
   * of writes per arrival). This instance uses its own newer values meanwhile; other instances see them
   * after the flush and their cache refresh. Best effort — the assignment stands either way; a lost update
   * only shifts whose turn is next.
   */
  record(agentUid: string, createdAt: Date, roundRobin: boolean, at: Date): void {
    const previous = this.pendingAssigned.get(agentUid);
    if (!previous || previous < at) this.pendingAssigned.set(agentUid, at);
    if (roundRobin && (!this.pendingMark || this.pendingMark.at_ms <= at.getTime()))
      this.pendingMark = { uid: agentUid, created_at_ms: createdAt.getTime(), at_ms: at.getTime() };
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        void this.flush();
      }, ASSIGNED_FLUSH_MS);
      this.flushTimer.unref();
    }
  }

  /** Writes what `record()` collected (also called at shutdown and by tests). */
  async flush(): Promise<void> {
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

  /** The stored round-robin mark (another instance's or this one's, once flushed). */
  async readRoundRobin(): Promise<TimedMark | null> {
    const stored = await this.deps.settings.findSetting(ROUND_ROBIN_KEY);
    const uid = stored?.['uid'];
    const createdAtMs = stored?.['created_at_ms'];
    const atMs = stored?.['at_ms'];
    return typeof uid === 'string' && typeof createdAtMs === 'number'
      ? { uid, createdAtMs, atMs: typeof atMs === 'number' ? atMs : 0 }
      : null;
  }

  /** The stored last assignment of each agent. */
  async readLastAssigned(): Promise<Map<string, Date>> {
    const stored = (await this.deps.settings.findSetting(LAST_ASSIGNED_KEY)) ?? {};
    return new Map(
      Object.entries(stored).flatMap(([uid, ms]) =>
        typeof ms === 'number' && Number.isFinite(ms) ? [[uid, new Date(ms)] as const] : [],
      ),
    );
  }

  /** Where round-robin continues: the newer of this instance's last assignment and the stored mark. */
  mark(stored: TimedMark | null): RoundRobinMark | null {
    const local = this.roundRobinLocal;
    return local && (!stored || local.atMs >= stored.atMs) ? local : stored;
  }

  /** An agent's last assignment: the newer of this instance's and the stored one. */
  lastAssigned(uid: string, stored: Map<string, Date>): Date | undefined {
    const local = this.lastAssignedLocal.get(uid);
    const saved = stored.get(uid);
    return local && (!saved || local > saved) ? local : saved;
  }
}
