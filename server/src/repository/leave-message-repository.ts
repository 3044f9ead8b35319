import type { Connection, Model } from 'mongoose';
import { leaveMessageModel, type LeaveMessageDoc, type LeaveMessageStatus } from '../model/leave-message.js';

export type { LeaveMessageStatus };

export interface LeaveMessage {
  id: string;
  customerUid: string;
  customerKind: 'customer' | 'visitor';
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  content: string;
  conversationId?: string | undefined;
  pageUrl?: string | undefined;
  pageTitle?: string | undefined;
  status: LeaveMessageStatus;
  createdAt: Date;
}

export interface LeaveMessageFilter {
  status?: LeaveMessageStatus | undefined;
  /** Only ids below this one (paging cursor: the last id of the previous page). */
  beforeId?: string | undefined;
}

function toLeaveMessage(d: LeaveMessageDoc): LeaveMessage {
  return {
    id: d._id,
    customerUid: d.customer_uid,
    customerKind: d.customer_kind,
    name: d.name,
    phone: d.phone,
    email: d.email,
    content: d.content,
    conversationId: d.conversation_id,
    pageUrl: d.page_url,
    pageTitle: d.page_title,
    status: d.status,
    createdAt: d.created_at,
  };
}

export class LeaveMessageRepository {
  private readonly model: Model<LeaveMessageDoc>;
  constructor(conn: Connection) {
    this.model = leaveMessageModel(conn);
  }

  async saveLeaveMessage(m: LeaveMessage): Promise<void> {
    const doc: LeaveMessageDoc = {
      _id: m.id,
      customer_uid: m.customerUid,
      customer_kind: m.customerKind,
      content: m.content,
      status: m.status,
      created_at: m.createdAt,
    };
    if (m.name !== undefined) doc.name = m.name;
    if (m.phone !== undefined) doc.phone = m.phone;
    if (m.email !== undefined) doc.email = m.email;
    if (m.conversationId !== undefined) doc.conversation_id = m.conversationId;
    if (m.pageUrl !== undefined) doc.page_url = m.pageUrl;
    if (m.pageTitle !== undefined) doc.page_title = m.pageTitle;
    await this.model.create(doc);
  }

  /** Creation times of the customer's messages since `since`, oldest first, at most `limit`. */
  async listRecentTimes(customerUid: string, since: Date, limit: number): Promise<Date[]> {
    const docs = await this.model
      .find({ customer_uid: customerUid, created_at: { $gt: since } }, { created_at: 1 })
      .sort({ created_at: 1 })
      .limit(limit)
      .lean();
    return docs.map((d) => d.created_at);
  }

  async findLeaveMessage(id: string): Promise<LeaveMessage | null> {
    const doc = await this.model.findById(id).lean();
    return doc ? toLeaveMessage(doc) : null;
  }

  /** The customer's messages since `since` not yet shown to an agent in a chat, oldest first. */
  async listUnshown(customerUid: string, since: Date, limit: number): Promise<LeaveMessage[]> {
    const docs = await this.model
      .find({ customer_uid: customerUid, created_at: { $gte: since }, shown_in: { $exists: false } })
      .sort({ created_at: 1 })
      .limit(limit)
      .lean();
    return docs.map(toLeaveMessage);
  }

  async markShown(ids: readonly string[], conversationId: string): Promise<void> {
    if (ids.length)
      await this.model.updateMany({ _id: { $in: [...ids] } }, { $set: { shown_in: conversationId } });
  }

  /** Newest first. */
  async listLeaveMessages(filter: LeaveMessageFilter, limit: number): Promise<LeaveMessage[]> {
    const query: Record<string, unknown> = {};
    if (filter.status !== undefined) query['status'] = filter.status;
    if (filter.beforeId !== undefined) query['_id'] = { $lt: filter.beforeId };
    const docs = await this.model.find(query).sort({ _id: -1 }).limit(limit).lean();
    return docs.map(toLeaveMessage);
  }
}
