import type { Connection, Model } from 'mongoose';
import { messageModel, presenceModel, type MessageDoc, type PresenceDoc } from '../model/message.js';

export interface StoredMessage {
  id: string;
  conversationId: string;
  seq: number;
  clientMsgId: string;
  senderUid: string;
  senderRole: string;
  senderName?: string | undefined;
  content: Uint8Array;
  contentKind: string;
  text?: string | undefined;
  quoteMessageId?: string | undefined;
  internalNote: boolean;
  createdAt: Date;
  recalledAt?: Date | undefined;
}

function toMessage(d: MessageDoc): StoredMessage {
  return {
    id: d._id,
    conversationId: d.conversation_id,
    seq: d.seq,
    clientMsgId: d.client_msg_id,
    senderUid: d.sender_uid,
    senderRole: d.sender_role,
    senderName: d.sender_name,
    // lean() gives a BSON Binary or a Buffer depending on the driver path; normalise to bytes.
    content: toBytes(d.content),
    contentKind: d.content_kind,
    text: d.text,
    quoteMessageId: d.quote_message_id,
    internalNote: d.internal_note,
    createdAt: d.created_at,
    recalledAt: d.recalled_at,
  };
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const binary = value as { buffer?: unknown; value?: (asRaw?: boolean) => unknown };
  if (binary.buffer instanceof Uint8Array) return binary.buffer;
  throw new Error('stored message content is not binary');
}

export class MessageRepository {
  private readonly model: Model<MessageDoc>;
  constructor(conn: Connection) {
    this.model = messageModel(conn);
  }

  /** Throws a duplicate-key error (11000) when the seq or the sender's client_msg_id is taken. */
  async insertMessage(m: StoredMessage): Promise<void> {
    await this.model.create({
      _id: m.id,
      conversation_id: m.conversationId,
      seq: m.seq,
      client_msg_id: m.clientMsgId,
      sender_uid: m.senderUid,
      sender_role: m.senderRole,
      sender_name: m.senderName,
      content: Buffer.from(m.content),
      content_kind: m.contentKind,
      text: m.text,
      quote_message_id: m.quoteMessageId,
      internal_note: m.internalNote,
      created_at: m.createdAt,
    });
  }

  async findByClientMsgId(senderUid: string, clientMsgId: string): Promise<StoredMessage | null> {
    const d = await this.model.findOne({ sender_uid: senderUid, client_msg_id: clientMsgId }).lean();
    return d ? toMessage(d) : null;
  }

  async findMessage(id: string): Promise<StoredMessage | null> {
    const d = await this.model.findById(id).lean();
    return d ? toMessage(d) : null;
  }

  /** Highest seq stored in a conversation (0 when empty), from the unique (conversation_id, seq) index. */
  async lastSeq(conversationId: string): Promise<number> {
    const d = await this.model
      .findOne({ conversation_id: conversationId }, { seq: 1 })
      .sort({ seq: -1 })
      .lean();
    return d?.seq ?? 0;
  }

  /** Ascending by seq, seq > afterSeq. */
  async listMessagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    const docs = await this.model
      .find({ conversation_id: conversationId, seq: { $gt: afterSeq } })
      .sort({ seq: 1 })
      .limit(limit)
      .lean();
    return docs.map(toMessage);
  }

  /** Descending by seq, seq < beforeSeq (history paging from the newest). */
  async listMessagesBefore(
    conversationId: string,
    beforeSeq: number,
    limit: number,
  ): Promise<StoredMessage[]> {
    const docs = await this.model
      .find({ conversation_id: conversationId, seq: { $lt: beforeSeq } })
      .sort({ seq: -1 })
      .limit(limit)
      .lean();
    return docs.map(toMessage);
  }

  async markRecalled(id: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { recalled_at: at } });
  }
}

export class PresenceRepository {
  private readonly model: Model<PresenceDoc>;
  constructor(conn: Connection) {
    this.model = presenceModel(conn);
  }

  async savePresence(
    p: { uid: string; device: string; role: string; online: boolean; agentStatus?: string },
    at = new Date(),
  ): Promise<void> {
    await this.model.updateOne(
      { _id: `${p.uid}:${p.device}` },
      {
        $set: {
          uid: p.uid,
          role: p.role,
          online: p.online,
          updated_at: at,
          ...(p.agentStatus ? { agent_status: p.agentStatus } : {}),
        },
      },
      { upsert: true },
    );
  }

  /** Agents with at least one online device whose status is online (or unspecified). */
  async listAvailableAgents(): Promise<string[]> {
    const docs = await this.model.find({ role: 'a', online: true }, { uid: 1, agent_status: 1 }).lean();
    return [...new Set(docs.filter((d) => !d.agent_status || d.agent_status === 'online').map((d) => d.uid))];
  }

  async isOnline(uid: string): Promise<boolean> {
    return (await this.model.countDocuments({ uid, online: true })) > 0;
  }
}
