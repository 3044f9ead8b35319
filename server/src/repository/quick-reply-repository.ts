import type { Connection, Model } from 'mongoose';
import { quickReplyModel, TEAM_OWNER, type QuickReplyDoc } from '../model/quick-reply.js';
import { isDuplicateKey } from './errors.js';

export interface QuickReply {
  id: string;
  scope: 'personal' | 'team';
  ownerUid: string | null;
  shortcut: string;
  title: string;
  text: string;
  updatedAt: Date;
}

function toQuickReply(d: QuickReplyDoc): QuickReply {
  return {
    id: d._id,
    scope: d.scope,
    ownerUid: d.scope === 'team' ? null : d.owner_uid,
    shortcut: d.shortcut,
    title: d.title,
    text: d.text,
    updatedAt: d.updated_at,
  };
}

/** At most this many per owner are read for the picker (a team keeps hundreds, not thousands). */
const MAX_PER_OWNER = 1000;

export class QuickReplyRepository {
  private readonly model: Model<QuickReplyDoc>;
  constructor(conn: Connection) {
    this.model = quickReplyModel(conn);
  }

  /** The agent's personal replies and the team's, by shortcut. */
  async listQuickReplies(agentUid: string): Promise<QuickReply[]> {
    const docs = await this.model
      .find({ owner_uid: { $in: [agentUid, TEAM_OWNER] } })
      .sort({ shortcut: 1 })
      .limit(2 * MAX_PER_OWNER)
      .lean();
    return docs.map(toQuickReply);
  }

  async findQuickReply(id: string): Promise<QuickReply | null> {
    const d = await this.model.findById(id).lean();
    return d ? toQuickReply(d) : null;
  }

  /** false when the owner already has this shortcut. */
  async createQuickReply(r: QuickReply, now = new Date()): Promise<boolean> {
    try {
      await this.model.create({
        _id: r.id,
        scope: r.scope,
        owner_uid: r.scope === 'team' ? TEAM_OWNER : (r.ownerUid ?? ''),
        shortcut: r.shortcut,
        title: r.title,
        text: r.text,
        created_at: now,
        updated_at: now,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** null: no such reply; false: the new shortcut is taken. */
  async saveQuickReply(
    id: string,
    changes: { shortcut?: string | undefined; title?: string | undefined; text?: string | undefined },
    now = new Date(),
  ): Promise<QuickReply | null | false> {
    const set: Record<string, unknown> = { updated_at: now };
    for (const key of ['shortcut', 'title', 'text'] as const)
      if (changes[key] !== undefined) set[key] = changes[key];
    try {
      const d = await this.model
        .findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' })
        .lean();
      return d ? toQuickReply(d) : null;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async removeQuickReply(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id });
  }
}
