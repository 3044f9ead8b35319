import type { kefu } from '@kefu/proto';
import { ConflictError, NotFoundError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { ConversationRepository } from '../../repository/conversation-repository.js';
import type { PresenceRepository } from '../../repository/message-repository.js';
import type { WorkbenchRepository } from '../../repository/workbench-repository.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { QueueSweeper } from '../conversations/queue-sweeper.js';
import type { RoutingEventRecorder } from '../conversations/routing-events.js';
import type { NoticeSender } from '../messaging/notices.js';
import type { Publisher } from '../messaging/publisher.js';
import type { Allocator } from '../routing/allocator.js';
import type { RouteTarget } from '../routing/settings.js';

export interface TransferDeps {
  workbench: WorkbenchRepository;
  conversations: ConversationRepository;
  presence: PresenceRepository;
  /** Reception seats: the new agent takes one, the old agent's is given back. */
  allocator: Allocator;
  agents: AgentRepository;
  groups: { listGroups(): Promise<{ id: string; name: string }[]> };
  conversationService: ConversationService;
  sweeper: QueueSweeper;
  events: RoutingEventRecorder;
  /** Posts the transfer lines (NoticePoster.say: a failure is logged). */
  notices: NoticeSender;
  publisher: Publisher;
}

export interface TransferRequest {
  conversationId: string;
  toAgentUid?: string | undefined;
  toGroupId?: string | undefined;
  note?: string | undefined;
  /** Statistics: manual (an agent or supervisor) or agent_timeout (the automatic transfer). */
  reason?: 'manual' | 'agent_timeout' | undefined;
}

/**
 * Transfer (转接) of an open conversation to an online agent with room, or to the least-loaded such member
 * of a skill group. Two transfers of the same assignment race for one claim (an `_id` insert, atomic on
 * FerretDB too, whose updates are not); the winner's update is also conditional on the agent it moves from.
 */
export class TransferService {
  constructor(private readonly deps: TransferDeps) {}

  /** Agents online (status online) with room, the caller excluded, and every skill group. */
  async targets(callerUid: string): Promise<{
    agents: { uid: string; display_name: string; status: 'online'; open: number; max_concurrent: number }[];
    groups: { id: string; name: string }[];
  }> {
    const available = (await this.deps.presence.listAvailableAgents()).filter((uid) => uid !== callerUid);
    const [agents, load, groups] = await Promise.all([
      this.deps.workbench.findEnabledAgents(available),
      this.deps.allocator.openChats(available),
      this.deps.groups.listGroups(),
    ]);
    return {
      agents: agents
        .map((a) => ({
          uid: a.uid,
          display_name: a.displayName,
          status: 'online' as const,
          open: load.get(a.uid) ?? 0,
          max_concurrent: a.maxConcurrent,
        }))
        .filter((a) => a.open < a.max_concurrent),
      groups: groups.map((g) => ({ id: g.id, name: g.name })),
    };
  }

  /** `anyConversation`: the caller may move conversations that are not theirs (port: `monitor`). */
  async transfer(actorUid: string, anyConversation: boolean, req: TransferRequest): Promise<{ to: string }> {
    const { workbench, conversations } = this.deps;
    const c = await workbench.findConversation(req.conversationId);
    if (!c || (c.agentUid !== actorUid && !anyConversation)) throw new NotFoundError('Unknown conversation');
    if (c.status !== 'open' || !c.agentUid)
      throw new ConflictError('Only open conversations can be transferred');
    const from = c.agentUid;
    const target = req.toAgentUid
      ? await this.checkAgent(req.toAgentUid, from)
      : await this.pickMember(req.toGroupId ?? '', from);
    const to = target.uid;
    const { allocator } = this.deps;
    const seat = await allocator.seatWith(to, target.limit, target.open, c.id);
    if (seat === null) throw new ConflictError('The agent has reached their reception limit');

    const epoch = `transfer:${c.id}:${from}:${String(c.assignedAt?.getTime() ?? 0)}`;
    const at = new Date();
    let moved = false;
    try {
      if (!(await conversations.claim(epoch, to, at)))
        throw new ConflictError('The conversation is being transferred by someone else');
      moved = await workbench.transferConversation(
        c.id,
        from,
        { from, to, toGroupId: req.toGroupId, note: req.note, at },
        seat,
      );
      if (!moved) throw new ConflictError('The conversation has changed; reload it');
    } finally {
      if (!moved) await allocator.release(to, seat, c.id);
    }
    if (c.seat !== undefined) await allocator.release(from, c.seat, c.id);
    await this.announce({ ...c, agentUid: to, assignedAt: at, seat }, from, to, req, at);
    const { events } = this.deps;
    events.record(`${c.id}:${from}:${String(c.assignedAt?.getTime() ?? 0)}`, {
      ...events.fact({ ...c, agentUid: to }, 'transferred', at),
      fromAgentUid: from,
      groupId: req.toGroupId ?? c.routeGroupId,
      reason: req.reason ?? 'manual',
    });
    // The old agent has a free seat now: the queue may move (the transfer's answer does not wait for it).
    this.deps.sweeper.soon();
    return { to };
  }

  /**
   * The automatic transfer when the agent has not answered in time: to the best other agent of the
   * conversation's route (its skill group, or everyone) by the allocation mode; the next one when a
   * candidate filled up meanwhile. null when nobody else can take it (it stays).
   */
  async reassign(conversationId: string, from: string, route: RouteTarget): Promise<string | null> {
    // A route of one agent (designated strict) has nobody else: the normal flow takes over.
    const target = route.agentUid ? {} : route;
    for (const uid of await this.deps.allocator.rank(target, from)) {
      try {
        return (await this.transfer(from, true, { conversationId, toAgentUid: uid, reason: 'agent_timeout' }))
          .to;
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err;
        // Closed, answered or moved meanwhile: nothing to do. Otherwise that agent filled up: the next.
        const now = await this.deps.workbench.findConversation(conversationId);
        if (now?.status !== 'open' || now.agentUid !== from) return null;
      }
    }
    return null;
  }

  /** The chosen agent with their reception limit and open chats. */
  private async checkAgent(uid: string, from: string): Promise<{ uid: string; limit: number; open: number }> {
    const agent = await this.deps.agents.findAgent(uid);
    if (!agent || agent.disabled) throw new NotFoundError(`Unknown agent ${uid}`);
    if (uid === from) throw new ConflictError('The conversation is already with this agent');
    const available = await this.deps.presence.listAvailableAgents();
    if (!available.includes(uid)) throw new ConflictError(`${agent.displayName} is not online`);
    const load = (await this.deps.allocator.openChats([uid])).get(uid) ?? 0;
    if (load >= agent.maxConcurrent)
      throw new ConflictError(`${agent.displayName} has reached their reception limit`);
    return { uid, limit: agent.maxConcurrent, open: load };
  }

  /** The online member with the lowest load ÷ limit (the current agent excluded). */
  private async pickMember(
    groupId: string,
    from: string,
  ): Promise<{ uid: string; limit: number; open: number }> {
    const members = (await this.deps.workbench.groupMembers(groupId)).filter((m) => m.uid !== from);
    const available = new Set(await this.deps.presence.listAvailableAgents());
    const online = members.filter((m) => available.has(m.uid) && m.maxConcurrent > 0);
    const load = await this.deps.allocator.openChats(online.map((m) => m.uid));
    let best: { uid: string; limit: number; open: number } | undefined;
    for (const m of online) {
      const open = load.get(m.uid) ?? 0;
      if (open >= m.maxConcurrent) continue;
      if (!best || open / m.maxConcurrent < best.open / best.limit)
        best = { uid: m.uid, limit: m.maxConcurrent, open };
    }
    if (!best) throw new ConflictError('No agent of this group is online with room');
    return best;
  }

  /** The event to everyone (the note to agents only), the new state to everyone: the old agent's list drops it. */
  private async announce(
    moved: Parameters<ConversationService['state']>[0],
    from: string,
    to: string,
    req: TransferRequest,
    at: Date,
  ): Promise<void> {
    const { conversationService: service, publisher, notices } = this.deps;
    const transferred: kefu.v1.ConversationEvent.ITransferred = {
      from: await service.agentParticipant(from),
      to: await service.agentParticipant(to),
      toGroupId: req.toGroupId ?? '',
      note: req.note ?? '',
    };
    const event = (note: boolean): kefu.v1.IEnvelope => ({
      id: newId(),
      sentAtMs: Date.now(),
      conversationEvent: {
        conversationId: moved.id,
        atMs: at.getTime(),
        transferred: note ? transferred : { ...transferred, note: '' },
      },
    });
    const state: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      conversation: await service.state(moved),
    };
    await Promise.all([
      publisher.toUser('c', moved.customerUid, event(false), 1),
      publisher.toUser('a', from, event(true), 1),
      publisher.toUser('a', to, event(true), 1),
    ]);
    await Promise.all([
      publisher.toUser('c', moved.customerUid, state, 1),
      publisher.toUser('a', from, state, 1),
      publisher.toUser('a', to, state, 1),
    ]);
    // A line in the conversation for both sides, and the note for agents only (stored: the agent who takes
    // the chat reads it in the thread, also after a reload).
    const names = { from: transferred.from?.name ?? '', to: transferred.to?.name ?? '' };
    await notices(
      moved,
      { code: 'transferred', text: `会话已转接给客服 ${names.to}`, params: names },
      { from: 'system' },
    );
    if (req.note)
      await notices(
        moved,
        {
          code: 'transfer_note',
          text: `${names.from} 的转接备注：${req.note}`,
          params: { from: names.from, note: req.note },
        },
        { from: 'system', agentsOnly: true },
      );
  }
}
