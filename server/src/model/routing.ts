import { Schema, type Connection, type Model } from 'mongoose';

/** A blocked customer (黑名单): cannot get a session or open a conversation until removed or expired. */
export interface BlacklistDoc {
  /** The customer uid. */
  _id: string;
  reason: string;
  by: string;
  created_at: Date;
  expires_at?: Date;
}

const blacklistSchema = new Schema<BlacklistDoc>(
  {
    _id: { type: String, required: true },
    reason: { type: String, default: '' },
    by: { type: String, required: true },
    created_at: { type: Date, required: true },
    expires_at: Date,
  },
  { versionKey: false },
);
blacklistSchema.index({ created_at: -1 }); // the admin list, newest first

export function blacklistModel(conn: Connection): Model<BlacklistDoc> {
  return conn.models['Blacklist'] ?? conn.model<BlacklistDoc>('Blacklist', blacklistSchema, 'blacklist');
}

export const ROUTING_EVENT_TYPES = [
  'queued',
  'assigned',
  'transferred',
  'abandoned',
  'timed_out',
  'overflowed',
  'rejected',
] as const;
export type RoutingEventType = (typeof ROUTING_EVENT_TYPES)[number];

/**
 * Append-only routing facts for statistics (REFERENCE.md §B): wait time = assigned.wait_ms (entered the
 * queue → assigned), abandoned = the customer left while queued (with how long they waited), timed out
 * (queue, agent no-answer, customer silence), transfers, overflows and rejections (queue full, no agent,
 * blacklist). Each carries agent, skill group, channel and time, the dimensions every metric is sliced by.
 * `_id` is derived from the fact itself, so a retried write stores it once.
 */
export interface RoutingEventDoc {
  _id: string;
  type: RoutingEventType;
  conversation_id: string;
  customer_uid: string;
  channel: string;
  group_id?: string;
  agent_uid?: string;
  from_agent_uid?: string;
  /** queued/assigned: priority; overflowed: level reached. */
  priority?: number;
  /** assigned, abandoned, timed_out (queue): ms since the chat entered the queue. */
  wait_ms?: number;
  /** timed_out: queue | agent | customer; rejected: queue_full | no_agent | blacklisted; transferred: manual | agent_timeout. */
  reason?: string;
  at: Date;
}

const eventSchema = new Schema<RoutingEventDoc>(
  {
    _id: { type: String, required: true },
    type: { type: String, required: true, enum: ROUTING_EVENT_TYPES },
    conversation_id: { type: String, required: true },
    customer_uid: { type: String, required: true },
    channel: { type: String, required: true },
    group_id: String,
    agent_uid: String,
    from_agent_uid: String,
    priority: Number,
    wait_ms: Number,
    reason: String,
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
eventSchema.index({ at: 1, type: 1 }); // reports by time range
eventSchema.index({ conversation_id: 1, at: 1 }); // one conversation's routing history

export function routingEventModel(conn: Connection): Model<RoutingEventDoc> {
  return (
    conn.models['RoutingEvent'] ?? conn.model<RoutingEventDoc>('RoutingEvent', eventSchema, 'routing_events')
  );
}
