import { Schema, type Connection, type Model } from 'mongoose';
import { messageFields, type MessageDoc } from './message.js';

/**
 * A conversation's newest messages in one document (`_id` = conversation id): the page a console or
 * widget opens with is one `_id` read instead of a range query. It is a cache, never the truth: every
 * reader checks it (service/messaging/message-history.ts) — `messages` must be a contiguous seq run
 * ending at `last_seq`, and `last_seq + 1` must not exist in `messages` — and re-reads from `messages` any
 * message named in `message_mutations`. Written by appends (conditional on `last_seq`) and rebuilt from
 * the range query when a check fails.
 */
export interface MessageTailDoc {
  _id: string;
  last_seq: number;
  messages: MessageDoc[];
  updated_at: Date;
}

const tailSchema = new Schema<MessageTailDoc>(
  {
    _id: { type: String, required: true },
    last_seq: { type: Number, required: true },
    messages: [new Schema<MessageDoc>(messageFields, { versionKey: false })],
    updated_at: { type: Date, required: true },
  },
  { versionKey: false },
);

export function messageTailModel(conn: Connection): Model<MessageTailDoc> {
  return conn.models['MessageTail'] ?? conn.model<MessageTailDoc>('MessageTail', tailSchema, 'message_tails');
}

/**
 * A message changed after it was stored (recalled, or voided as a duplicate), `_id` = message id. Written
 * *before* the message itself changes, so a reader that does not see the record reads a tail that is
 * still right; one that does re-reads the message.
 */
export interface MessageMutationDoc {
  _id: string;
  conversation_id: string;
  seq: number;
  kind: 'recall' | 'void';
  at: Date;
}

const mutationSchema = new Schema<MessageMutationDoc>(
  {
    _id: { type: String, required: true },
    conversation_id: { type: String, required: true },
    seq: { type: Number, required: true },
    kind: { type: String, required: true, enum: ['recall', 'void'] },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
mutationSchema.index({ conversation_id: 1 });

export function messageMutationModel(conn: Connection): Model<MessageMutationDoc> {
  return (
    conn.models['MessageMutation'] ??
    conn.model<MessageMutationDoc>('MessageMutation', mutationSchema, 'message_mutations')
  );
}
