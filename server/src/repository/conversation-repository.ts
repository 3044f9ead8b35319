import type { Connection, Model } from 'mongoose';
import { conversationModel, type ConversationDoc, type ConversationStatus } from '../model/conversation.js';
import { ClaimRepository } from './claim-repository.js';
import { scopeQuery, type ScopeCondition } from './conversation-scope.js';
import { ReadMarkRepository } from './read-mark-repository.js';

export type { ConversationStatus };

export interface Conversation {
  id: string;
  customerUid: string;
  customerName?: string | undefined;
  agentUid: string | null;
  status: ConversationStatus;
  channel: string;
  entryUrl?: string | undefined;
  entryTitle?: string | undefined;
  createdAt: Date;
  queuedAt?: Date | undefined;
  /** Queue priority: higher first, then the longest waiting. */
  priority?: number | undefined;
  assignedAt?: Date | undefined;
  /** The agent's reception seat for it (service/routing/seats.ts). */
  seat?: number | undefined;
  closedAt?: Date | undefined;
  closedBy?: string | undefined;
  closeReason?: string | undefined;
  attributes?: Record<string, string> | undefined;
  /** Where routing sent it (service/routing/policy.ts); its queue is `routeKey`. */
  routeGroupId?: string | undefined;
  routeAgentUid?: string | undefined;
  routeStrict?: boolean | undefined;
  routeKey?: string | undefined;
  /** The skill group the chat belongs to (greeting, rating template): designated, routed or transferred to. */
  groupId?: string | undefined;
  /** 'bot': robot only (no human joins). */
  handler?: string | undefined;
  /** The customer asked to keep waiting at this time (the queue timeout restarts). */
  queueKeptAt?: Date | undefined;
  /** Workbench facts the timeouts read: the customer waits for an answer since; the last message. */
  waitingSince?: Date | null | undefined;
  lastMessageAt?: Date | undefined;
  lastMessageRole?: string | undefined;
  /** An agent's first visible message in it (never reset): it was answered. */
  answeredAt?: Date | undefined;
  /** Who handed it to whom (the agents who served it; the visibility rule reads them). */
  transfers?: { from: string; to: string; toGroupId?: string | undefined }[] | undefined;
}

/** The queue a conversation waits in (its routing target). */
export function routeKeyOf(target: { groupId?: string | undefined; agentUid?: string | undefined }): string {
  if (target.agentUid) return `a:${target.agentUid}`;
  if (target.groupId) return `g:${target.groupId}`;
  return '*';
}

export interface ConversationFilter {
  customerUid?: string;
  agentUid?: string;
  status?: ConversationStatus;
  /** created_at ≥ from */
  from?: Date;
  /** created_at < to (also the paging cursor: pass the last item's createdAt) */
  to?: Date;
  /** Only what this visibility scope lets the caller list. */
  scope?: ScopeCondition;
}

export function toConversation(d: ConversationDoc): Conversation {
  return {
    id: d._id,
    customerUid: d.customer_uid,
    customerName: d.customer_name,
    agentUid: d.agent_uid ?? null,
    status: d.status,
    channel: d.channel,
    entryUrl: d.entry_url,
    entryTitle: d.entry_title,
    createdAt: d.created_at,
    queuedAt: d.queued_at,
    priority: d.priority,
    assignedAt: d.assigned_at,
    seat: d.seat,
    closedAt: d.closed_at,
    closedBy: d.closed_by,
    closeReason: d.close_reason,
    attributes: d.attributes ? Object.fromEntries(d.attributes.map((a) => [a.key, a.value])) : undefined,
    routeGroupId: d.route_group_id,
    routeAgentUid: d.route_agent_uid,
    routeStrict: d.route_strict,
    routeKey: d.route_key,
    groupId: d.group_id,
    handler: d.handler,
    queueKeptAt: d.queue_kept_at,
    waitingSince: d.waiting_since,
    lastMessageAt: d.last_message?.at,
    lastMessageRole: d.last_message?.sender_role,
    transfers: d.transfers?.map((t) => ({ from: t.from, to: t.to, toGroupId: t.to_group_id })),
    answeredAt: d.answered_at,
  };
}

/**
 * Conversations (`conversations`). Their claims (claim-repository.ts) and read marks
 * (read-mark-repository.ts) are stored apart and answered here too, for the services that take this one
 * repository.
 */
export class ConversationRepository {
  private readonly model: Model<ConversationDoc>;
  private readonly claims: ClaimRepository;
  private readonly reads: ReadMarkRepository;

  constructor(conn: Connection) {
    this.model = conversationModel(conn);
    this.claims = new ClaimRepository(conn);
    this.reads = new ReadMarkRepository(conn);
  }

  async saveConversation(c: Conversation): Promise<void> {
    await this.model.create({
      _id: c.id,
      customer_uid: c.customerUid,
      customer_name: c.customerName,
      agent_uid: c.agentUid,
      status: c.status,
      channel: c.channel,
      entry_url: c.entryUrl,
      entry_title: c.entryTitle,
      created_at: c.createdAt,
      queued_at: c.queuedAt,
      assigned_at: c.assignedAt,
      seat: c.seat,
      priority: c.priority ?? 0,
      last_activity_at: c.createdAt,
      attributes: c.attributes
        ? Object.entries(c.attributes).map(([key, value]) => ({ key, value }))
        : undefined,
      route_group_id: c.routeGroupId,
      route_agent_uid: c.routeAgentUid,
      route_strict: c.routeStrict,
      route_key: c.routeKey ?? '*',
      group_id: c.groupId,
      handler: c.handler,
    });
  }

  async findConversation(id: string): Promise<Conversation | null> {
    const d = await this.model.findById(id).lean();
    return d ? toConversation(d) : null;
  }

  async removeConversation(id: string): Promise<void> {
    await this.model.deleteOne({ _id: id });
  }

  async setAssigned(id: string, agentUid: string, at: Date, seat: number): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      { $set: { agent_uid: agentUid, status: 'open', assigned_at: at, seat } },
    );
  }

  async setClosed(id: string, at: Date, by?: string, reason?: string): Promise<void> {
    await this.model.updateOne(
      { _id: id },
      { $set: { status: 'closed', closed_at: at, closed_by: by, close_reason: reason } },
    );
  }

  /** Newest first; page with `filter.to` = the last item's createdAt. */
  async listConversations(filter: ConversationFilter, limit: number): Promise<Conversation[]> {
    const query: Record<string, unknown> = {};
    if (filter.customerUid !== undefined) query['customer_uid'] = filter.customerUid;
    if (filter.agentUid !== undefined) query['agent_uid'] = filter.agentUid;
    if (filter.status !== undefined) query['status'] = filter.status;
    if (filter.from || filter.to) {
      query['created_at'] = {
        ...(filter.from ? { $gte: filter.from } : {}),
        ...(filter.to ? { $lt: filter.to } : {}),
      };
    }
    const docs = await this.model
      .find(filter.scope ? { ...query, ...scopeQuery(filter.scope) } : query)
      .sort({ created_at: -1 })
      .limit(limit)
      .lean();
    return docs.map(toConversation);
  }

  /** The agent has an open conversation with this customer now. */
  async isServing(agentUid: string, customerUid: string): Promise<boolean> {
    const d = await this.model
      .findOne({ customer_uid: customerUid, agent_uid: agentUid, status: 'open' }, { _id: 1 })
      .lean();
    return d !== null;
  }

  /**
   * Conversations ahead of one with this priority, queued at `queuedAt`, in its queue (`routeKey`; its
   * position is this + 1).
   */
  async countQueuedAhead(priority: number, queuedAt: Date, routeKey = '*'): Promise<number> {
    return this.model.countDocuments({
      status: 'queued',
      route_key: routeKey === '*' ? { $in: ['*', null] } : routeKey,
      $or: [{ priority: { $gt: priority } }, { priority, queued_at: { $lt: queuedAt } }],
    });
  }

  /** How many wait in one queue (the maximum queue length). */
  async countQueuedIn(routeKey: string): Promise<number> {
    return this.model.countDocuments({
      status: 'queued',
      route_key: routeKey === '*' ? { $in: ['*', null] } : routeKey,
    });
  }

  /** The customer asked to keep waiting: the queue timeout counts from `at`. */
  async keepWaiting(id: string, at: Date): Promise<void> {
    await this.model.updateOne({ _id: id, status: 'queued' }, { $set: { queue_kept_at: at } });
  }

  /** The customer's most recent conversation an agent took part in and that is closed (back to the same agent). */
  async findLastServed(customerUid: string): Promise<Conversation | null> {
    const d = await this.model
      .findOne({ customer_uid: customerUid, status: 'closed', agent_uid: { $ne: null } })
      .sort({ created_at: -1 })
      .lean();
    return d ? toConversation(d) : null;
  }

  /** Open conversations, newest first (the timeout scan). */
  async listOpen(limit: number): Promise<Conversation[]> {
    const docs = await this.model.find({ status: 'open' }).sort({ created_at: -1 }).limit(limit).lean();
    return docs.map(toConversation);
  }

  /** The queue in serving order: highest priority first, then the longest waiting. */
  async listQueued(limit: number): Promise<Conversation[]> {
    const docs = await this.model
      .find({ status: 'queued' })
      .sort({ priority: -1, queued_at: 1, _id: 1 })
      .limit(limit)
      .lean();
    return docs.map(toConversation);
  }

  /** Assigned → closed of the most recently closed conversations (ms), for queue wait estimates. */
  async recentHandlingTimes(limit: number): Promise<number[]> {
    const docs = await this.model
      .find({ status: 'closed', assigned_at: { $exists: true } }, { assigned_at: 1, closed_at: 1 })
      .sort({ closed_at: -1 })
      .limit(limit)
      .lean();
    return docs
      .filter((d) => d.assigned_at && d.closed_at)
      .map((d) => (d.closed_at?.getTime() ?? 0) - (d.assigned_at?.getTime() ?? 0));
  }

  /** Inserts a claim; false if someone else holds it already. */
  claim(key: string, value: string, at?: Date): Promise<boolean> {
    return this.claims.claim(key, value, at);
  }

  findClaimDoc(key: string): Promise<{ value: string; createdAt: Date } | null> {
    return this.claims.findClaimDoc(key);
  }

  findClaim(key: string): Promise<string | null> {
    return this.claims.findClaim(key);
  }

  releaseClaim(key: string): Promise<void> {
    return this.claims.releaseClaim(key);
  }

  /** Moves a read mark forward (never back); returns the stored value. */
  saveReadMark(conversationId: string, uid: string, readSeq: number, at?: Date): Promise<number> {
    return this.reads.saveReadMark(conversationId, uid, readSeq, at);
  }

  listReadMarks(conversationId: string): Promise<{ uid: string; readSeq: number }[]> {
    return this.reads.listReadMarks(conversationId);
  }
}
