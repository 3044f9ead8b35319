import { Schema, type Connection, type Model } from 'mongoose';

export type ConversationStatus = 'queued' | 'open' | 'closed';

export interface ConversationDoc {
  _id: string;
  customer_uid: string;
  customer_name?: string;
  agent_uid?: string | null;
  status: ConversationStatus;
  channel: string;
  entry_url?: string;
  entry_title?: string;
  created_at: Date;
  queued_at?: Date;
  /** Queue priority (higher first, then the longest waiting): queue_first, VIP and level (service/routing/priority.ts). */
  priority?: number;
  /** Where routing sent it (a skill group and/or one agent; strict: no one else) — its queue too. */
  route_group_id?: string;
  route_agent_uid?: string;
  route_strict?: boolean;
  /** The chat's queue: `g:<group>`, `a:<agent>` or `*` (every agent), for the queue length limit. */
  route_key?: string;
  /**
   * The skill group the chat belongs to (its greeting, its rating template): designated or routed to,
   * or the group it was transferred to — even when an agent outside it took the chat.
   */
  group_id?: string;
  /** `bot`: robot only, no human joins. */
  handler?: string;
  /** The customer said to keep waiting (the queue timeout counts from here). */
  queue_kept_at?: Date;
  assigned_at?: Date;
  /** The reception seat the assigned agent holds for it (service/routing/seats.ts). */
  seat?: number;
  closed_at?: Date;
  closed_by?: string;
  close_reason?: string;
  /** Host-page key-values (an array, not a map: keys may contain "." or "$"). */
  attributes?: { key: string; value: string }[];
  // Workbench facts, kept by atomic single-document updates when a message is stored (workbench/activity.ts):
  last_message?: { seq: number; preview: string; sender_role: string; at: Date };
  /** Newest message (or creation) time: the workbench list's order. */
  last_activity_at?: Date;
  /** The customer's oldest message not yet answered by an agent; unset once an agent replies. */
  waiting_since?: Date;
  /** The assigned agent's first visible message (reset by a transfer): first response time = this − assigned_at. */
  first_response_at?: Date;
  /** The first visible message of any agent (never reset): the chat was answered, so a rating makes sense. */
  answered_at?: Date;
  /** Seqs of the customer's latest messages (at most 100): unread counts without reading messages. */
  customer_seqs?: number[];
  /** 会话小结 written by the agent at or after close. */
  summary?: { category: string; tags: string[]; remark: string; by: string; at: Date };
  transfers?: { from: string; to: string; to_group_id?: string; note?: string; at: Date }[];
}

const schema = new Schema<ConversationDoc>(
  {
    _id: { type: String, required: true },
    customer_uid: { type: String, required: true },
    customer_name: String,
    agent_uid: { type: String, default: null },
    status: { type: String, required: true, enum: ['queued', 'open', 'closed'] },
    channel: { type: String, required: true },
    entry_url: String,
    entry_title: String,
    created_at: { type: Date, required: true },
    queued_at: Date,
    priority: Number,
    route_group_id: String,
    route_agent_uid: String,
    route_strict: Boolean,
    route_key: String,
    group_id: String,
    handler: String,
    queue_kept_at: Date,
    assigned_at: Date,
    seat: Number,
    closed_at: Date,
    closed_by: String,
    close_reason: String,
    attributes: { type: [{ _id: false, key: String, value: String }], default: undefined },
    last_message: { type: { _id: false, seq: Number, preview: String, sender_role: String, at: Date } },
    last_activity_at: Date,
    waiting_since: Date,
    first_response_at: Date,
    answered_at: Date,
    customer_seqs: { type: [Number], default: undefined },
    summary: {
      type: { _id: false, category: String, tags: [String], remark: String, by: String, at: Date },
    },
    transfers: {
      type: [{ _id: false, from: String, to: String, to_group_id: String, note: String, at: Date }],
      default: undefined,
    },
  },
  { versionKey: false },
);
// One index per query (checked by test/port/history-routes.test.ts):
schema.index({ customer_uid: 1, status: 1, created_at: -1 }); // a customer's conversations
schema.index({ agent_uid: 1, status: 1, created_at: -1 }); // an agent's conversations
schema.index({ status: 1, created_at: -1 }); // supervisor lists
schema.index({ status: 1, priority: -1, queued_at: 1 }); // the queue: highest priority, then longest waiting
schema.index({ status: 1, route_key: 1 }); // queue length per queue (maximum queue length)
schema.index({ status: 1, closed_at: -1 }); // recent handling times (queue wait estimate)
schema.index({ created_at: -1 }); // all conversations by time
schema.index({ agent_uid: 1, status: 1, last_activity_at: -1 }); // workbench: my chats by activity
schema.index({ status: 1, last_activity_at: -1 }); // workbench: queue and monitor lists by activity

export function conversationModel(conn: Connection): Model<ConversationDoc> {
  return conn.models['Conversation'] ?? conn.model<ConversationDoc>('Conversation', schema, 'conversations');
}

/**
 * Claims made by inserting a document with a unique _id (the one write FerretDB and MongoDB both make
 * atomic): `open:<customer uid>` — the customer's one open conversation; `assign:<conversation id>` —
 * who assigned it first.
 */
export interface ClaimDoc {
  _id: string;
  value: string;
  created_at: Date;
}

const claimSchema = new Schema<ClaimDoc>(
  {
    _id: { type: String, required: true },
    value: { type: String, required: true },
    created_at: { type: Date, required: true },
  },
  { versionKey: false },
);

export function claimModel(conn: Connection): Model<ClaimDoc> {
  return conn.models['Claim'] ?? conn.model<ClaimDoc>('Claim', claimSchema, 'claims');
}

/** Read position of one participant in one conversation (`_id` = `<conversation>:<uid>`). */
export interface ReadMarkDoc {
  _id: string;
  conversation_id: string;
  uid: string;
  read_seq: number;
  updated_at: Date;
}

const readMarkSchema = new Schema<ReadMarkDoc>(
  {
    _id: { type: String, required: true },
    conversation_id: { type: String, required: true },
    uid: { type: String, required: true },
    read_seq: { type: Number, required: true },
    updated_at: { type: Date, required: true },
  },
  { versionKey: false },
);
readMarkSchema.index({ conversation_id: 1 });

export function readMarkModel(conn: Connection): Model<ReadMarkDoc> {
  return conn.models['ReadMark'] ?? conn.model<ReadMarkDoc>('ReadMark', readMarkSchema, 'read_marks');
}
