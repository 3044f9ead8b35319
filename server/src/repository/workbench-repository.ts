import type { Connection, Model } from 'mongoose';
import { agentModel, type AgentDoc } from '../model/agent.js';
import {
  conversationModel,
  readMarkModel,
  type ConversationDoc,
  type ConversationStatus,
  type ReadMarkDoc,
} from '../model/conversation.js';
import { customerModel, type CustomerDoc } from '../model/customer.js';
import { presenceModel, type PresenceDoc } from '../model/message.js';
import { toConversation, type Conversation } from './conversation-repository.js';
import { scopeQuery, type ScopeCondition } from './conversation-scope.js';
import { findByIds } from './by-ids.js';
import { ActivityWriter, type LastMessage, type MessageActivity } from './activity-writer.js';

export type { LastMessage, MessageActivity } from './activity-writer.js';

export interface ConversationSummaryNote {
  category: string;
  tags: string[];
  remark: string;
  by: string;
  at: Date;
}

export interface Transfer {
  from: string;
  to: string;
  toGroupId?: string | undefined;
  note?: string | undefined;
  at: Date;
}

/** A conversation with what the agent workbench shows about it. */
export interface WorkbenchConversation extends Conversation {
  lastMessage: LastMessage | null;
  lastActivityAt: Date;
  waitingSince: Date | null;
  customerSeqs: number[];
  summary: ConversationSummaryNote | null;
  transfers: Transfer[];
}

export interface WorkbenchFilter {
  status: ConversationStatus;
  agentUid?: string | undefined;
  customerUid?: string | undefined;
  /** last_activity_at < before (paging cursor) */
  before?: Date | undefined;
  /** Only what this visibility scope lets the caller list. */
  scope?: ScopeCondition | undefined;
}

/** What a stored message changes on its conversation. */

function toWorkbench(d: ConversationDoc): WorkbenchConversation {
  const lm = d.last_message;
  const s = d.summary;
  return {
    ...toConversation(d),
    lastMessage: lm ? { seq: lm.seq, preview: lm.preview, senderRole: lm.sender_role, at: lm.at } : null,
    lastActivityAt: d.last_activity_at ?? d.created_at,
    waitingSince: d.waiting_since ?? null,
    customerSeqs: d.customer_seqs ?? [],
    summary: s ? { category: s.category, tags: s.tags, remark: s.remark, by: s.by, at: s.at } : null,
    transfers: (d.transfers ?? []).map((t) => ({
      from: t.from,
      to: t.to,
      toGroupId: t.to_group_id,
      note: t.note,
      at: t.at,
    })),
  };
}

/**
 * Reads and single-document updates behind the agent workbench. Lists read related documents in batches:
 * parallel `_id` reads on large collections (customers, read marks: by-ids.ts), `$in` on the small agents
 * collection — never one query after another per row.
 */
export class WorkbenchRepository {
  private readonly conversations: Model<ConversationDoc>;
  private readonly reads: Model<ReadMarkDoc>;
  private readonly customers: Model<CustomerDoc>;
  private readonly agents: Model<AgentDoc>;
  private readonly presence: Model<PresenceDoc>;

  private readonly activity: ActivityWriter;

  constructor(conn: Connection) {
    this.presence = presenceModel(conn);
    this.conversations = conversationModel(conn);
    this.reads = readMarkModel(conn);
    this.customers = customerModel(conn);
    this.agents = agentModel(conn);
    this.activity = new ActivityWriter(this.conversations);
  }

  /** The conversation's snapshot after a stored message (batched: activity-writer.ts). */
  recordMessage(conversationId: string, a: MessageActivity): Promise<void> {
    return this.activity.record(conversationId, a);
  }

  /** The preview of the conversation's last message, if it is still message `seq` (read, then `_id` update). */
  async recordRecall(conversationId: string, seq: number, preview: string): Promise<void> {
    const d = await this.conversations.findById(conversationId, { last_message: 1 }).lean();
    if (d?.last_message?.seq !== seq) return;
    await this.conversations.updateOne(
      { _id: conversationId },
      { $set: { 'last_message.preview': preview } },
    );
  }

  async findConversation(id: string): Promise<WorkbenchConversation | null> {
    const d = await this.conversations.findById(id).lean();
    return d ? toWorkbench(d) : null;
  }

  /** Newest activity first. */
  async listConversations(f: WorkbenchFilter, limit: number): Promise<WorkbenchConversation[]> {
    const query: Record<string, unknown> = { status: f.status };
    if (f.agentUid !== undefined) query['agent_uid'] = f.agentUid;
    if (f.customerUid !== undefined) query['customer_uid'] = f.customerUid;
    if (f.before) query['last_activity_at'] = { $lt: f.before };
    if (f.scope) Object.assign(query, scopeQuery(f.scope));
    const docs = await this.conversations.find(query).sort({ last_activity_at: -1 }).limit(limit).lean();
    return docs.map(toWorkbench);
  }

  /** A customer's conversations in any status, newest first (paged by created_at < before). */
  async listCustomerConversations(
    customerUid: string,
    before: Date | undefined,
    limit: number,
    scope?: ScopeCondition,
  ): Promise<WorkbenchConversation[]> {
    const query: Record<string, unknown> = { customer_uid: customerUid };
    if (before) query['created_at'] = { $lt: before };
    if (scope) Object.assign(query, scopeQuery(scope));
    const docs = await this.conversations.find(query).sort({ created_at: -1 }).limit(limit).lean();
    return docs.map(toWorkbench);
  }

  /** The reader's read_seq in each conversation (absent = 0). */
  async readSeqs(uid: string, conversationIds: readonly string[]): Promise<Map<string, number>> {
    if (conversationIds.length === 0) return new Map();
    const docs = await findByIds(
      this.reads,
      conversationIds.map((id) => `${id}:${uid}`),
    );
    return new Map(docs.map((d) => [d.conversation_id, d.read_seq]));
  }

  /** How far each conversation's customer has read (absent = 0), by conversation id. */
  async customerReadSeqs(list: readonly { id: string; customerUid: string }[]): Promise<Map<string, number>> {
    if (list.length === 0) return new Map();
    const docs = await findByIds(
      this.reads,
      list.map((c) => `${c.id}:${c.customerUid}`),
    );
    return new Map(docs.map((d) => [d.conversation_id, d.read_seq]));
  }

  async findCustomers(uids: readonly string[]): Promise<Map<string, CustomerDoc>> {
    if (uids.length === 0) return new Map();
    const docs = await findByIds(this.customers, uids);
    return new Map(docs.map((d) => [d._id, d]));
  }

  async agentNames(uids: readonly string[]): Promise<Map<string, string>> {
    if (uids.length === 0) return new Map();
    const docs = await this.agents
      .find({ _id: { $in: [...new Set(uids)] } }, { display_name: 1 })
      .lean<{ _id: string; display_name: string }[]>();
    return new Map(docs.map((d) => [d._id, d.display_name]));
  }

  /** Enabled agents among `uids`, oldest account first. */
  async findEnabledAgents(
    uids: readonly string[],
  ): Promise<{ uid: string; displayName: string; maxConcurrent: number }[]> {
    if (uids.length === 0) return [];
    const docs = await this.agents
      .find({ _id: { $in: [...new Set(uids)] }, disabled: false })
      .sort({ created_at: 1 })
      .lean();
    return docs.map((d) => ({ uid: d._id, displayName: d.display_name, maxConcurrent: d.max_concurrent }));
  }

  /** Enabled members of a skill group, oldest account first. */
  async groupMembers(groupId: string): Promise<{ uid: string; maxConcurrent: number }[]> {
    const docs = await this.agents
      .find({ group_ids: groupId, disabled: false })
      .sort({ created_at: 1 })
      .lean();
    return docs.map((d) => ({ uid: d._id, maxConcurrent: d.max_concurrent }));
  }

  /**
   * Moves an open conversation from one agent to another, only if `from` still has it: the condition
   * makes the update a compare-and-set. (The caller also holds a claim, for FerretDB: see transfer.ts.)
   * `t.to` holds reception seat `seat` for it.
   */
  async transferConversation(id: string, from: string, t: Transfer, seat: number): Promise<boolean> {
    const record = {
      from: t.from,
      to: t.to,
      at: t.at,
      ...(t.toGroupId ? { to_group_id: t.toGroupId } : {}),
      ...(t.note ? { note: t.note } : {}),
    };
    const doc = await this.conversations.findOneAndUpdate(
      { _id: id, agent_uid: from, status: 'open' },
      {
        $set: { agent_uid: t.to, assigned_at: t.at, seat, ...(t.toGroupId ? { group_id: t.toGroupId } : {}) },
        $push: { transfers: record },
        // The new agent's first response is measured from the transfer (REFERENCE.md §B).
        $unset: { first_response_at: '' },
      },
      { returnDocument: 'after' },
    );
    return doc !== null;
  }

  async saveSummary(id: string, summary: ConversationSummaryNote): Promise<void> {
    await this.conversations.updateOne({ _id: id }, { $set: { summary } });
  }

  /** The agent's status over their online devices: online, else busy, else away; none: offline. */
  async agentStatus(uid: string): Promise<'online' | 'busy' | 'away' | 'offline'> {
    const docs = await this.presence.find({ uid, online: true }, { agent_status: 1 }).lean();
    const statuses = new Set(docs.map((d) => d.agent_status ?? 'online'));
    for (const s of ['online', 'busy', 'away'] as const) if (statuses.has(s)) return s;
    return 'offline';
  }
}
