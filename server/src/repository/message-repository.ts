import type { Connection, Model } from 'mongoose';
import {
  messageKeyModel,
  messageModel,
  presenceModel,
  type MessageDoc,
  type MessageKeyDoc,
  type PresenceDoc,
} from '../model/message.js';
import { isDuplicateKey } from './errors.js';

const SEQ_DIGITS = 10;

/** The id of the message at `seq` in a conversation (also its `_id`). */
export function messageId(conversationId: string, seq: number): string {
  return `${conversationId}:${String(seq).padStart(SEQ_DIGITS, '0')}`;
}

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
  voided?: boolean | undefined;
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
    voided: d.voided,
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
  private readonly keys: Model<MessageKeyDoc>;
  constructor(conn: Connection) {
    this.model = messageModel(conn);
    this.keys = messageKeyModel(conn);
  }

  /** Inserts at `m.seq` (m.id must be messageId(conversation, seq)); throws 11000 when the seq is taken. */
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

  /** Records which message a (sender, client_msg_id) became; false if another copy got there first. */
  async insertKey(senderUid: string, clientMsgId: string, id: string): Promise<boolean> {
    try {
      await this.keys.create({ _id: `${senderUid}:${clientMsgId}`, message_id: id });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async findKey(senderUid: string, clientMsgId: string): Promise<string | null> {
    const d = await this.keys.findById(`${senderUid}:${clientMsgId}`).lean();
    return d?.message_id ?? null;
  }

  async findMessage(id: string): Promise<StoredMessage | null> {
    const d = await this.model.findById(id).lean();
    return d ? toMessage(d) : null;
  }

  async seqExists(conversationId: string, seq: number): Promise<boolean> {
    return (await this.model.exists({ _id: messageId(conversationId, seq) })) !== null;
  }

  /**
   * Ascending by seq, seq > afterSeq. Read by `_id` (FerretDB's SQLite backend pushes down only `_id`
   * equality; a range on `_id` scans the whole collection, ~1 s at 10,000 messages). Seqs are contiguous
   * from 1, so the page ends at the first missing one; batches grow (4, 16, 64…) so a client that is up
   * to date costs a handful of point lookups, not `limit`.
   */
  async listMessagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    const out: StoredMessage[] = [];
    let next = afterSeq + 1;
    let batch = 4;
    while (out.length < limit) {
      const seqs = Array.from({ length: Math.min(batch, limit - out.length) }, (_, i) => next + i);
      const docs = await this.findBySeqs(conversationId, seqs);
      const firstGap = docs.findIndex((d) => d === null);
      const found = (firstGap === -1 ? docs : docs.slice(0, firstGap)) as MessageDoc[];
      out.push(...found.map(toMessage));
      if (firstGap !== -1) break;
      next += seqs.length;
      batch *= 4;
    }
    return out;
  }

  /**
   * Descending by seq, seq < beforeSeq (callers clamp beforeSeq to the frontier + 1: seqs are contiguous,
   * so every key below it exists). Point lookups by `_id`, see listMessagesAfter.
   */
  async listMessagesBefore(
    conversationId: string,
    beforeSeq: number,
    limit: number,
  ): Promise<StoredMessage[]> {
    const top = beforeSeq - 1;
    const seqs = Array.from({ length: Math.max(0, Math.min(limit, top)) }, (_, i) => top - i);
    const docs = await this.findBySeqs(conversationId, seqs);
    return docs.flatMap((d) => (d ? [toMessage(d)] : []));
  }

  private async findBySeqs(conversationId: string, seqs: readonly number[]): Promise<(MessageDoc | null)[]> {
    return Promise.all(
      seqs.map((seq) => this.model.findById(messageId(conversationId, seq)).lean<MessageDoc>().exec()),
    );
  }

  async markRecalled(id: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { recalled_at: at } });
  }

  /** Turns a duplicate into a placeholder: the seq stays taken, the content is gone. */
  async voidMessage(id: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { voided: true, content: Buffer.alloc(0), text: '' } });
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
