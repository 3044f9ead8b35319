import type { Connection, Model } from 'mongoose';
import { seatModel, type SeatDoc } from '../model/seat.js';
import { isDuplicateKey } from './errors.js';

const seatId = (agentUid: string, seat: number): string => `${agentUid}:${String(seat)}`;

/** Reception seats (model/seat.ts): claimed by `_id` insert, read and given back by `_id`. */
export class SeatRepository {
  private readonly model: Model<SeatDoc>;

  constructor(conn: Connection) {
    this.model = seatModel(conn);
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

  async remove(agentUid: string, seat: number): Promise<void> {
    await this.model.deleteOne({ _id: seatId(agentUid, seat) });
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
