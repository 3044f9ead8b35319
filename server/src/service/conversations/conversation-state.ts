import { kefu } from '@kefu/proto';
import type { Conversation } from '../../repository/conversation-repository.js';
import { inviteFrom, type RatingTemplate } from '../ratings/rating-templates.js';
import type { RouteTarget } from '../routing/settings.js';
import type { AgentDirectory } from './agent-directory.js';
import type { WaitEstimator } from './wait-estimate.js';

const { ConversationStatus, Role } = kefu.v1;

const STATUS: Record<Conversation['status'], kefu.v1.ConversationStatus> = {
  queued: ConversationStatus.CONVERSATION_STATUS_QUEUED,
  open: ConversationStatus.CONVERSATION_STATUS_OPEN,
  closed: ConversationStatus.CONVERSATION_STATUS_CLOSED,
};

/** Where a conversation is routed (its queue). */
export function routeOf(c: Conversation): RouteTarget {
  return { groupId: c.routeGroupId, agentUid: c.routeAgentUid };
}

export interface ConversationStateDeps {
  /** The highest stored seq of a conversation (the message store's). */
  lastSeq: (conversationId: string) => Promise<number>;
  conversations: {
    listReadMarks(conversationId: string): Promise<{ uid: string; readSeq: number }[]>;
    countQueuedAhead(priority: number, queuedAt: Date, routeKey: string | undefined): Promise<number>;
  };
  targetState(target: RouteTarget): Promise<{ online: number }>;
  waits: WaitEstimator;
  agents: AgentDirectory;
  /** Whether a chat was rated, and how its group asks (the at-close rating in its state). */
  ratings?:
    | {
        hasRating(conversationId: string): Promise<boolean>;
        templateFor(groupId: string | undefined): Promise<RatingTemplate>;
      }
    | undefined;
}

/** The state of a conversation as its participants' devices see it (status, seqs, reads, queue, rating). */
export class ConversationStates {
  constructor(private readonly deps: ConversationStateDeps) {}

  /** `isNew`: created in this very request, so no message and no read mark can exist yet. */
  async of(c: Conversation, isNew = false): Promise<kefu.v1.IConversationState> {
    const [lastSeq, reads, queue] = await Promise.all([
      isNew ? 0 : this.deps.lastSeq(c.id),
      isNew ? [] : this.deps.conversations.listReadMarks(c.id),
      c.status === 'queued'
        ? Promise.all([
            this.deps.conversations.countQueuedAhead(c.priority ?? 0, c.queuedAt ?? c.createdAt, c.routeKey),
            this.deps.targetState(routeOf(c)),
          ])
        : undefined,
    ]);
    const estimatedWaitMs = queue ? await this.deps.waits.estimate(queue[0] + 1, routeOf(c)) : 0;
    return {
      id: c.id,
      status: STATUS[c.status],
      // Personal data: the publisher masks it for agents without pii:view (workbench/agent-permissions.ts).
      customer: { role: Role.ROLE_CUSTOMER, uid: c.customerUid, name: c.customerName ?? '' },
      agent: c.agentUid ? await this.deps.agents.participant(c.agentUid) : null,
      lastSeq,
      reads: reads.map((r) => ({ uid: r.uid, readSeq: r.readSeq })),
      createdAtMs: c.createdAt.getTime(),
      assignedAtMs: c.assignedAt?.getTime() ?? 0,
      closedAtMs: c.closedAt?.getTime() ?? 0,
      channel: c.channel,
      queuePosition: queue ? queue[0] + 1 : 0,
      estimatedWaitMs,
      onlineAgents: queue ? queue[1].online : 0,
      closeReason: c.status === 'closed' ? (c.closeReason ?? '') : '',
      robotOnly: c.handler === 'bot',
      ...(await this.rating(c)),
    };
  }

  /**
   * A closed chat that an agent answered and nobody rated offers its group's rating (REFERENCE.md §A):
   * asked once, whichever device rates, and never for a chat no agent answered.
   */
  private async rating(c: Conversation): Promise<Pick<kefu.v1.IConversationState, 'rated' | 'closeRating'>> {
    const ratings = this.deps.ratings;
    if (!ratings || c.status !== 'closed') return {};
    if (await ratings.hasRating(c.id)) return { rated: true };
    if (!c.answeredAt) return {};
    return { closeRating: inviteFrom(await ratings.templateFor(c.groupId), `close:${c.id}`) };
  }
}
