import type { Connection, Model } from 'mongoose';
import { conversationModel, type ConversationDoc } from '../model/conversation.js';
import { ratingModel, type RatingDoc } from '../model/rating.js';

/** The counts and samples the dashboard widgets are computed from (portable queries, no $lookup). */
export class DashboardRepository {
  private readonly conversations: Model<ConversationDoc>;
  private readonly ratings: Model<RatingDoc>;

  constructor(conn: Connection) {
    this.conversations = conversationModel(conn);
    this.ratings = ratingModel(conn);
  }

  async countConversations(status: 'queued' | 'open', agentUid?: string): Promise<number> {
    return this.conversations.countDocuments({ status, ...(agentUid ? { agent_uid: agentUid } : {}) });
  }

  async countClosedSince(agentUid: string, since: Date): Promise<number> {
    return this.conversations.countDocuments({
      status: 'closed',
      agent_uid: agentUid,
      closed_at: { $gte: since },
    });
  }

  /** Milliseconds from assignment to the agent's first visible message, for chats assigned since `since`. */
  async firstResponseTimes(agentUid: string, since: Date): Promise<number[]> {
    const docs = await this.conversations
      .find(
        { agent_uid: agentUid, assigned_at: { $gte: since }, first_response_at: { $exists: true } },
        { assigned_at: 1, first_response_at: 1 },
      )
      .lean<{ assigned_at: Date; first_response_at: Date }[]>();
    return docs.map((d) => Math.max(0, d.first_response_at.getTime() - d.assigned_at.getTime()));
  }

  /** Five-star scores (declines excluded) the agent received since `since`. */
  async fiveStarScores(agentUid: string, since: Date): Promise<number[]> {
    const docs = await this.ratings
      .find(
        { agent_uid: agentUid, created_at: { $gte: since }, scale: 'five_star', declined: false },
        { score: 1 },
      )
      .lean<{ score: number }[]>();
    return docs.map((d) => d.score);
  }
}
