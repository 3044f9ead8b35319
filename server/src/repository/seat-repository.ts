import type { Connection, Model } from 'mongoose';
import { claimModel, type ClaimDoc } from '../model/conversation.js';
import { seatModel, type SeatDoc } from '../model/seat.js';
import { isDuplicateKey } from './errors.js';

const seatId = (agentUid: string, seat: number): string => `${agentUid}:${String(seat)}`;

/** Reception seats (model/seat.ts): claimed by `_id` insert, read and given back by `_id`. */
export class SeatRepository {
  private readonly model: Model<SeatDoc>;
  private readonly claims: Model<ClaimDoc>;

  constructor(conn: Connection) {
    this.model = seatModel(conn);
    this.claims = claimModel(conn);
  }

  /**
   * Moves seats held under the earlier layout — `seat:<agent>:<k>` claims in `claims` (value: the
   * conversation) — into `seats`, so chats open across an upgrade keep counting against their agent's
   * limit. Run at start; a no-op once moved. Returns how many were moved.
   */
  async adoptLegacyClaims(): Promise<number> {
    const legacy = await this.claims.find({ _id: { $regex: '^seat:' } }).lean();
    let moved = 0;
    for (const claim of legacy) {
      const key = claim._id.slice('seat:'.length);
      const split = key.lastIndexOf(':');
      const seat = Number(key.slice(split + 1));
      if (split > 0 && Number.isInteger(seat) && seat >= 0)
        if (await this.claim(key.slice(0, split), seat, claim.value, claim.created_at)) moved += 1;
      await this.claims.deleteOne({ _id: claim._id });
    }
    return moved;
  }

  /** Claims seat `seat` of the agent for the conversation; false if it is taken. */
  async claim(agentUid: string, seat: number, conversationId: string, at = new Date()): Promise<boolean> {
    try {
      await this.model.create({
        _id: seatId(agentUid, seat),
        agent_uid: agentUid,
        conversation_id: conversationId,
        created_at: at,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Who holds the seat, since when; null when it is free. */
  async find(agentUid: string, seat: number): Promise<{ conversationId: string; createdAt: Date } | null> {
    const d = await this.model.findById(seatId(agentUid, seat)).lean();
    return d ? { conversationId: d.conversation_id, createdAt: d.created_at } : null;
  }

  /** Gives the seat back if the conversation holds it (one conditional delete: never another's seat). */
  async remove(agentUid: string, seat: number, conversationId: string): Promise<void> {
    await this.model.deleteOne({ _id: seatId(agentUid, seat), conversation_id: conversationId });
  }

  /** Seats held per agent (only agents holding one appear); all agents without `agentUids`. */
  async countByAgent(agentUids?: readonly string[]): Promise<Map<string, number>> {
    const rows = await this.model.aggregate<{ _id: string; n: number }>([
      ...(agentUids ? [{ $match: { agent_uid: { $in: [...agentUids] } } }] : []),
      { $group: { _id: '$agent_uid', n: { $sum: 1 } } },
    ]);
    return new Map(rows.map((r) => [r._id, r.n] as const));
  }
}
