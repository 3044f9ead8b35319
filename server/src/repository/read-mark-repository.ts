import type { Connection, Model } from 'mongoose';
import { readMarkModel, type ReadMarkDoc } from '../model/conversation.js';

/** Read marks (`read_marks`): how far each participant has read a conversation, by `_id` `<conversation>:<uid>`. */
export class ReadMarkRepository {
  private readonly model: Model<ReadMarkDoc>;

  constructor(conn: Connection) {
    this.model = readMarkModel(conn);
  }

  /** Moves a read mark forward (never back); returns the stored value. */
  async saveReadMark(conversationId: string, uid: string, readSeq: number, at = new Date()): Promise<number> {
    const _id = `${conversationId}:${uid}`;
    const existing = await this.model.findById(_id).lean();
    if (existing && existing.read_seq >= readSeq) return existing.read_seq;
    await this.model.updateOne(
      { _id },
      { $set: { conversation_id: conversationId, uid, read_seq: readSeq, updated_at: at } },
      { upsert: true },
    );
    return readSeq;
  }

  async listReadMarks(conversationId: string): Promise<{ uid: string; readSeq: number }[]> {
    const docs = await this.model.find({ conversation_id: conversationId }).lean();
    return docs.map((d) => ({ uid: d.uid, readSeq: d.read_seq }));
  }
}
