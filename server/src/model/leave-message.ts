import { Schema, type Connection, type Model } from 'mongoose';

export const LEAVE_MESSAGE_STATUSES = ['new', 'handled'] as const;
export type LeaveMessageStatus = (typeof LEAVE_MESSAGE_STATUSES)[number];

/** A message a customer left (留言) while no agent was online. `_id` is a ULID, so it sorts by time. */
export interface LeaveMessageDoc {
  _id: string;
  customer_uid: string;
  customer_kind: 'customer' | 'visitor';
  name?: string;
  phone?: string;
  email?: string;
  content: string;
  conversation_id?: string;
  page_url?: string;
  page_title?: string;
  status: LeaveMessageStatus;
  created_at: Date;
  /** The conversation whose agent was shown it (once the customer was served again). */
  shown_in?: string;
}

const schema = new Schema<LeaveMessageDoc>(
  {
    _id: { type: String, required: true },
    customer_uid: { type: String, required: true },
    customer_kind: { type: String, required: true, enum: ['customer', 'visitor'] },
    name: String,
    phone: String,
    email: String,
    content: { type: String, required: true },
    conversation_id: String,
    page_url: String,
    page_title: String,
    status: { type: String, required: true, enum: LEAVE_MESSAGE_STATUSES },
    created_at: { type: Date, required: true },
    shown_in: String,
  },
  { versionKey: false },
);
// One index per query (checked by test/port/leave-message-form.test.ts):
schema.index({ customer_uid: 1, created_at: -1 }); // per-customer rate limit
schema.index({ status: 1, _id: -1 }); // agents' list by status, newest first; without status: `_id`

export function leaveMessageModel(conn: Connection): Model<LeaveMessageDoc> {
  return conn.models['LeaveMessage'] ?? conn.model<LeaveMessageDoc>('LeaveMessage', schema, 'leave_messages');
}
