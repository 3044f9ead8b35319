import { NotFoundError } from '../../errors.js';
import type { ConversationStatus } from '../../repository/conversation-repository.js';
import type { ScopeCondition } from '../../repository/conversation-scope.js';
import type { WorkbenchConversation, WorkbenchRepository } from '../../repository/workbench-repository.js';
import { nameFor } from './masking.js';

/** What a viewer may see of a conversation: `queue` is who waits and how long, never message text. */
export type ConversationAccess = 'full' | 'queue' | 'none';

/**
 * Who is looking: the agent's uid and permissions, and the visibility rule applied to them — decided by
 * the port (port/access), only used here.
 */
export interface Viewer {
  uid: string;
  perms: readonly string[];
  /** What the viewer may list; undefined: everything. */
  scope?: ScopeCondition | undefined;
  access(c: WorkbenchConversation): Promise<ConversationAccess>;
}

export type ListView = 'mine' | 'queued' | 'all';

export interface ListRequest {
  view: ListView;
  status?: ConversationStatus | undefined;
  limit: number;
  before?: Date | undefined;
}

export interface ConversationSummaryView {
  id: string;
  status: ConversationStatus;
  channel: string;
  customer: { uid: string; name: string; level: number | null; vip: boolean; tags: string[] };
  agent_uid: string | null;
  agent_name: string | null;
  unread: number;
  /** The last seq the customer has read (the agent's messages up to it show 已读). */
  customer_read_seq: number;
  last_message: { seq: number; preview: string; sender_role: string; at: string } | null;
  /** `queue`: a conversation waiting in the viewer's queue, shown without message text. */
  access: 'full' | 'queue';
  created_at: string;
  queued_at: string | null;
  assigned_at: string | null;
  closed_at: string | null;
  /** Why it closed: a system code (queue_timeout, customer_timeout, queue_full …) or free text. */
  close_reason: string | null;
  waiting_ms: number;
}

const iso = (d: Date | undefined | null): string | null => d?.toISOString() ?? null;

export function canSeePii(v: Viewer): boolean {
  return v.perms.includes('pii:view');
}

/** The conversation lists and details of the agent workbench (docs/console-api.md, Workbench). */
export class WorkbenchService {
  constructor(private readonly repository: WorkbenchRepository) {}

  async list(
    viewer: Viewer,
    req: ListRequest,
    now = Date.now(),
  ): Promise<{ conversations: ConversationSummaryView[]; next_before: string | null }> {
    const status = req.status ?? (req.view === 'queued' ? 'queued' : 'open');
    const list = await this.repository.listConversations(
      {
        status,
        before: req.before,
        ...(req.view === 'mine' ? { agentUid: viewer.uid } : { scope: viewer.scope }),
      },
      req.limit + 1,
    );
    const page = list.slice(0, req.limit);
    const last = page[page.length - 1];
    return {
      conversations: await this.summaries(viewer, page, now),
      next_before: list.length > req.limit && last ? last.lastActivityAt.toISOString() : null,
    };
  }

  async detail(
    viewer: Viewer,
    id: string,
    now = Date.now(),
  ): Promise<ConversationSummaryView & Record<string, unknown>> {
    const c = await this.find(viewer, id, 'queue');
    const [summary] = await this.summaries(viewer, [c], now);
    if (!summary) throw new NotFoundError('Unknown conversation');
    if (summary.access === 'queue') return { ...summary, attributes: {}, summary: null, transfers: [] };
    return {
      ...summary,
      entry_url: c.entryUrl ?? null,
      entry_title: c.entryTitle ?? null,
      attributes: c.attributes ?? {},
      summary: c.summary
        ? {
            category: c.summary.category,
            tags: c.summary.tags,
            remark: c.summary.remark,
            by: c.summary.by,
            at: iso(c.summary.at),
          }
        : null,
      transfers: c.transfers.map((t) => ({
        from: t.from,
        to: t.to,
        to_group_id: t.toGroupId ?? null,
        note: t.note ?? '',
        at: iso(t.at),
      })),
    };
  }

  /**
   * A conversation the viewer may see whole (or at least in their queue, with `need` = queue); 404 for
   * others (no existence leak), 403 never.
   */
  async find(viewer: Viewer, id: string, need: 'full' | 'queue' = 'full'): Promise<WorkbenchConversation> {
    const c = await this.repository.findConversation(id);
    const access = c ? await viewer.access(c) : 'none';
    if (!c || access === 'none' || (need === 'full' && access !== 'full'))
      throw new NotFoundError('Unknown conversation');
    return c;
  }

  /** Summaries of many conversations: customers, agent names and both read marks are read in four batches. */
  async summaries(
    viewer: Viewer,
    list: readonly WorkbenchConversation[],
    now = Date.now(),
  ): Promise<ConversationSummaryView[]> {
    const [customers, agentNames, reads, customerReads, access] = await Promise.all([
      this.repository.findCustomers(list.map((c) => c.customerUid)),
      this.repository.agentNames(list.flatMap((c) => (c.agentUid ? [c.agentUid] : []))),
      this.repository.readSeqs(
        viewer.uid,
        list.map((c) => c.id),
      ),
      this.repository.customerReadSeqs(list),
      Promise.all(list.map((c) => viewer.access(c))),
    ]);
    const reveal = canSeePii(viewer);
    return list.map((c, i) => {
      const customer = customers.get(c.customerUid);
      const whole = access[i] === 'full';
      const readSeq = reads.get(c.id) ?? 0;
      const lm = c.lastMessage;
      return {
        id: c.id,
        status: c.status,
        channel: c.channel,
        customer: {
          uid: c.customerUid,
          name: nameFor(customer?.name ?? c.customerName, reveal),
          level: customer?.level ?? null,
          vip: customer?.vip === true,
          tags: customer?.tags ?? [],
        },
        agent_uid: c.agentUid,
        agent_name: c.agentUid ? (agentNames.get(c.agentUid) ?? null) : null,
        unread: c.customerSeqs.filter((s) => s > readSeq).length,
        customer_read_seq: whole ? (customerReads.get(c.id) ?? 0) : 0,
        last_message:
          lm && whole
            ? { seq: lm.seq, preview: lm.preview, sender_role: lm.senderRole, at: lm.at.toISOString() }
            : null,
        created_at: c.createdAt.toISOString(),
        queued_at: iso(c.queuedAt),
        assigned_at: iso(c.assignedAt),
        closed_at: iso(c.closedAt),
        close_reason: c.status === 'closed' ? (c.closeReason ?? null) : null,
        access: whole ? 'full' : 'queue',
        waiting_ms: c.waitingSince && c.status !== 'closed' ? Math.max(0, now - c.waitingSince.getTime()) : 0,
      };
    });
  }

  /** `scope`: which of them the viewer may list (the port decides; undefined: all). */
  async customerConversations(
    viewer: Viewer,
    customerUid: string,
    before: Date | undefined,
    limit: number,
    scope: ScopeCondition | undefined,
  ): Promise<{ conversations: ConversationSummaryView[]; next_before: string | null }> {
    const list = await this.repository.listCustomerConversations(customerUid, before, limit + 1, scope);
    const page = list.slice(0, limit);
    const last = page[page.length - 1];
    return {
      conversations: await this.summaries(viewer, page),
      next_before: list.length > limit && last ? last.createdAt.toISOString() : null,
    };
  }
}
