import type { Connection, Model } from 'mongoose';
import { ratingModel, type RatingDoc } from '../model/rating.js';

export interface Rating {
  conversationId: string;
  inviteId: string;
  customerUid: string;
  agentUid: string | null;
  /** Every agent who served the conversation (transfers): they share the rating; `agentUid` is the last. */
  servedBy?: string[] | undefined;
  scale: 'five_star' | 'nps' | 'two_level';
  score: number;
  tags: string[];
  comment?: string | undefined;
  solved: 'yes' | 'no' | 'unknown';
  declined: boolean;
  clientMsgId: string;
  createdAt: Date;
}

function toRating(d: RatingDoc): Rating {
  return {
    conversationId: d.conversation_id,
    inviteId: d.invite_id,
    customerUid: d.customer_uid,
    agentUid: d.agent_uid ?? null,
    servedBy: d.served_by,
    scale: d.scale as Rating['scale'],
    score: d.score,
    tags: d.tags,
    comment: d.comment,
    solved: d.solved as Rating['solved'],
    declined: d.declined,
    clientMsgId: d.client_msg_id,
    createdAt: d.created_at,
  };
}

export class RatingRepository {
  private readonly model: Model<RatingDoc>;

  constructor(conn: Connection) {
    this.model = ratingModel(conn);
  }

  /** Stores the rating of an invite, replacing an earlier answer to the same invite. */
  async saveRating(r: Rating): Promise<void> {
    const doc: RatingDoc = {
      _id: `${r.conversationId}:${r.inviteId}`,
      conversation_id: r.conversationId,
      invite_id: r.inviteId,
      customer_uid: r.customerUid,
      agent_uid: r.agentUid,
      ...(r.servedBy?.length ? { served_by: r.servedBy } : {}),
      scale: r.scale,
      score: r.score,
      tags: r.tags,
      comment: r.comment,
      solved: r.solved,
      declined: r.declined,
      client_msg_id: r.clientMsgId,
      created_at: r.createdAt,
    };
    await this.model.replaceOne({ _id: doc._id }, doc, { upsert: true });
  }

  /** Any rating (or declined one) stored for the conversation: one `_id` range read. */
  async hasRating(conversationId: string): Promise<boolean> {
    const doc = await this.model
      .findOne({ _id: { $gte: `${conversationId}:`, $lt: `${conversationId};` } }, { _id: 1 })
      .lean();
    return doc !== null;
  }

  async listForConversation(conversationId: string): Promise<Rating[]> {
    const docs = await this.model
      .find({ _id: { $gte: `${conversationId}:`, $lt: `${conversationId};` } })
      .sort({ _id: 1 })
      .lean();
    return docs.map(toRating);
  }
}
