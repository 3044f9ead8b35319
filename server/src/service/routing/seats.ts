import type { Logger } from '../../log.js';

/** The seat store (SeatRepository): `_id` inserts, the one write atomic on MongoDB and FerretDB. */
export interface SeatStore {
  claim(agentUid: string, seat: number, conversationId: string, at?: Date): Promise<boolean>;
  find(agentUid: string, seat: number): Promise<{ conversationId: string; createdAt: Date } | null>;
  remove(agentUid: string, seat: number, conversationId: string): Promise<void>;
  countByAgent(agentUids?: readonly string[]): Promise<Map<string, number>>;
}

/** Whether a conversation is still open with an agent (a seat held for anything else is stale). */
export type SeatHolderCheck = (conversationId: string, agentUid: string) => Promise<boolean>;

/** A seat claimed this long ago whose conversation is not open with its agent is given back. */
export const STALE_SEAT_MS = 30_000;

/**
 * Reception capacity (接待上限) as seats: an agent with limit L has seats 0…L−1, and taking a chat claims a
 * free one by inserting `<agent>:<k>` into `seats` (model/seat.ts, with the conversation). Two instances assigning at once can
 * never put an agent over the limit — a load count read before assigning can be stale, the insert cannot.
 * The conversation remembers its seat; closing or transferring it away gives the seat back. A seat left by
 * a crash between the claim and the assignment, or by a close that died half-way, is found when the agent
 * looks full: its conversation is not open with the agent, and it is older than STALE_SEAT_MS.
 */
export class Seats {
  constructor(
    private readonly store: SeatStore,
    private readonly isHeld: SeatHolderCheck,
    private readonly logger: Logger,
    private readonly staleMs = STALE_SEAT_MS,
  ) {}

  /**
   * Claims a free seat below `limit` for the conversation; null when every seat is taken. Seats are tried
   * from `from` on (where the caller expects a free one: Allocator's per-agent hint), wrapping.
   */
  async take(
    agentUid: string,
    limit: number,
    conversationId: string,
    from = 0,
    now = new Date(),
  ): Promise<number | null> {
    const seat = await this.tryEach(agentUid, limit, conversationId, from, now);
    if (seat !== null) return seat;
    // Full: give back stale seats, then try once more.
    let freed = false;
    for (let k = 0; k < limit; k++) {
      const held = await this.store.find(agentUid, k);
      if (!held || now.getTime() - held.createdAt.getTime() < this.staleMs) continue;
      if (await this.isHeld(held.conversationId, agentUid)) continue;
      this.logger.warn(
        { agentUid, seat: k, conversationId: held.conversationId },
        'releasing a stale reception seat',
      );
      await this.release(agentUid, k, held.conversationId);
      freed = true;
    }
    return freed ? this.tryEach(agentUid, limit, conversationId, 0, now) : null;
  }

  private async tryEach(
    agentUid: string,
    limit: number,
    conversationId: string,
    from: number,
    now: Date,
  ): Promise<number | null> {
    for (let i = 0; i < limit; i++) {
      const k = (Math.max(0, from) + i) % limit;
      if (await this.store.claim(agentUid, k, conversationId, now)) return k;
    }
    return null;
  }

  /** Seats held per agent — the open chats with each (only agents holding one appear; all without `agentUids`). */
  held(agentUids?: readonly string[]): Promise<Map<string, number>> {
    return this.store.countByAgent(agentUids);
  }

  /** Gives a seat back if it is still the conversation's (idempotent). */
  async release(agentUid: string, seat: number, conversationId: string): Promise<void> {
    await this.store.remove(agentUid, seat, conversationId);
  }
}
