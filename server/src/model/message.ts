import { Schema, type Connection, type Model } from 'mongoose';

/**
 * `_id` = `<conversation id>:<seq, 10 digits>`: inserting it claims the seq (unique by construction, atomic
 * on MongoDB and FerretDB alike); a page of history is a run of known `_id`s.
 */
export interface MessageDoc {
  _id: string;
  conversation_id: string;
  seq: number;
  client_msg_id: string;
  sender_uid: string;
  /** c | a | bot | system */
  sender_role: string;
  sender_name?: string;
  /** The Protobuf-encoded `Content`: schema evolution and map fields stay intact (no `.`-keys issue). */
  content: Buffer;
  content_kind: string;
  /** Plain text of the content, for search and previews. */
  text?: string;
  quote_message_id?: string;
  internal_note: boolean;
  created_at: Date;
  recalled_at?: Date;
  /** A duplicate voided after a concurrent resend race: keeps the seq, shows nothing. */
  voided?: boolean;
}

/** The fields of a stored message. */
export const messageFields = {
  _id: { type: String, required: true },
  conversation_id: { type: String, required: true },
  seq: { type: Number, required: true },
  client_msg_id: { type: String, required: true },
  sender_uid: { type: String, required: true },
  sender_role: { type: String, required: true },
  sender_name: String,
  content: { type: Buffer, required: true },
  content_kind: { type: String, required: true },
  text: String,
  quote_message_id: String,
  internal_note: { type: Boolean, required: true, default: false },
  created_at: { type: Date, required: true },
  recalled_at: Date,
  voided: Boolean,
} as const;

const schema = new Schema<MessageDoc>(messageFields, { versionKey: false });

export function messageModel(conn: Connection): Model<MessageDoc> {
  return conn.models['Message'] ?? conn.model<MessageDoc>('Message', schema, 'messages');
}

/** `_id` = `<sender uid>:<client_msg_id>` → the stored message: the resend check is one `_id` lookup. */
export interface MessageKeyDoc {
  _id: string;
  message_id: string;
}

const keySchema = new Schema<MessageKeyDoc>(
  { _id: { type: String, required: true }, message_id: { type: String, required: true } },
  { versionKey: false },
);

export function messageKeyModel(conn: Connection): Model<MessageKeyDoc> {
  return conn.models['MessageKey'] ?? conn.model<MessageKeyDoc>('MessageKey', keySchema, 'message_keys');
}

/** Which devices of a user are online (`_id` = `<uid>:<device>`), from announcements and Last Wills. */
export interface PresenceDoc {
  _id: string;
  uid: string;
  role: string;
  online: boolean;
  agent_status?: string;
  updated_at: Date;
}

const presenceSchema = new Schema<PresenceDoc>(
  {
    _id: { type: String, required: true },
    uid: { type: String, required: true },
    role: { type: String, required: true },
    online: { type: Boolean, required: true },
    agent_status: String,
    updated_at: { type: Date, required: true },
  },
  { versionKey: false },
);
presenceSchema.index({ role: 1, online: 1 });
presenceSchema.index({ uid: 1 });

export function presenceModel(conn: Connection): Model<PresenceDoc> {
  return conn.models['Presence'] ?? conn.model<PresenceDoc>('Presence', presenceSchema, 'presence');
}
