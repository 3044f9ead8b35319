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

function toDoc(m: StoredMessage): MessageDoc {
  return {
    _id: m.id,
    conversation_id: m.conversationId,
    seq: m.seq,
    client_msg_id: m.clientMsgId,
    sender_uid: m.senderUid,
    sender_role: m.senderRole,
    ...(m.senderName !== undefined ? { sender_name: m.senderName } : {}),
    content: Buffer.from(m.content),
    content_kind: m.contentKind,
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.quoteMessageId !== undefined ? { quote_message_id: m.quoteMessageId } : {}),
    internal_note: m.internalNote,
    created_at: m.createdAt,
    ...(m.recalledAt ? { recalled_at: m.recalledAt } : {}),
    ...(m.voided ? { voided: true } : {}),
  };
}

function toBytes(value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  const binary = value as { buffer?: unknown; value?: (asRaw?: boolean) => unknown };
  if (binary.buffer instanceof Uint8Array) return binary.buffer;
  throw new Error('stored message content is not binary');
}

/** insertMany, unordered: per document `true`, or `false` for a duplicate key; other errors throw. */
async function insertEach(
  model: { collection: { insertMany(docs: object[], options: { ordered: boolean }): Promise<unknown> } },
  docs: object[],
): Promise<boolean[]> {
  const stored = docs.map(() => true);
  if (docs.length === 0) return stored;
  try {
    await model.collection.insertMany(docs, { ordered: false });
  } catch (err) {
    const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
    if (writeErrors === undefined) throw err;
    for (const e of [writeErrors].flat() as { index: number; code?: number; errmsg?: string }[]) {
      if (!isDuplicateKey(e)) throw err;
      stored[e.index] = false;
    }
  }
  return stored;
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
    await this.model.create(toDoc(m));
  }

  /**
   * Inserts many messages with one command (group commit); per message `true`, or `false` where its
   * `_id` (the seq) was taken. Any other failure rejects the whole call.
   */
  async insertMessages(list: readonly StoredMessage[]): Promise<boolean[]> {
    return insertEach(this.model, list.map(toDoc));
  }

  /** Keys for many stored messages with one command; per key `false` where another copy holds it. */
  async insertKeys(
    list: readonly { senderUid: string; clientMsgId: string; id: string }[],
  ): Promise<boolean[]> {
    return insertEach(
      this.keys,
      list.map((k) => ({ _id: `${k.senderUid}:${k.clientMsgId}`, message_id: k.id })),
    );
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

  /**
   * Seqs `from..to` of a conversation by `_id`, in parallel (null where none is stored). Not one `$in`:
   * FerretDB answers `$in` by decoding the whole collection (README.md).
   */
  async findMessagesBySeq(
    conversationId: string,
    from: number,
    to: number,
  ): Promise<(StoredMessage | null)[]> {
    const seqs = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
    return Promise.all(seqs.map((seq) => this.findMessage(messageId(conversationId, seq))));
  }

  async seqExists(conversationId: string, seq: number): Promise<boolean> {
    return (await this.model.exists({ _id: messageId(conversationId, seq) })) !== null;
  }

  /** Ascending by seq, seq > afterSeq: an `_id` range. */
  async listMessagesAfter(conversationId: string, afterSeq: number, limit: number): Promise<StoredMessage[]> {
    const docs = await this.model
      .find({ _id: { $gt: messageId(conversationId, afterSeq), $lt: `${conversationId};` } })
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
    return docs.map(toMessage);
  }

  /** Descending by seq, seq < beforeSeq. */
  async listMessagesBefore(
    conversationId: string,
    beforeSeq: number,
    limit: number,
  ): Promise<StoredMessage[]> {
    const docs = await this.model
      .find({ _id: { $gt: `${conversationId}:`, $lt: messageId(conversationId, beforeSeq) } })
      .sort({ _id: -1 })
      .limit(limit)
      .lean();
    return docs.map(toMessage);
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

  /** Agents with at least one online device, whatever their status (busy and away agents watch queues too). */
  async listOnlineAgents(): Promise<string[]> {
    const docs = await this.model.find({ role: 'a', online: true }, { uid: 1 }).lean();
    return [...new Set(docs.map((d) => d.uid))];
  }

  async isOnline(uid: string): Promise<boolean> {
    return (await this.model.countDocuments({ uid, online: true })) > 0;
  }
}
