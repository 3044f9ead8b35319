import type { kefu } from '@kefu/proto';
import { ValidationError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import type { Conversation, ConversationRepository } from '../../repository/conversation-repository.js';
import type { NoticeSender } from '../messaging/notices.js';
import type { Publisher } from '../messaging/publisher.js';
import type { Allocator } from '../routing/allocator.js';
import { overflow, resolveRoutes, type Route } from '../routing/policy.js';
import type { PriorityFacts } from '../routing/priority.js';
import type { NoticeCode, RoutingConfig } from '../routing/settings.js';
import type { AgentDirectory } from './agent-directory.js';
import { routeOf, type ConversationStates } from './conversation-state.js';
import { showLeftMessages, type LeftMessageSource } from './left-messages.js';
import type { QueuePositions } from './queue-positions.js';
import { tellQueueWatchers, type QueueWatcherDeps } from './queue-watchers.js';
import type { RoutingEventRecorder } from './routing-events.js';

export type PlannedRoute = Route & { overflowLevels?: number };

export interface PlacementDeps extends QueueWatcherDeps {
  conversations: ConversationRepository;
  allocator: Allocator;
  events: RoutingEventRecorder;
  notices: NoticeSender;
  states: ConversationStates;
  directory: AgentDirectory;
  positions: QueuePositions;
  publisher: Publisher;
  logger: Logger;
  /** Country, province and city of an address (smart routing by region). */
  regions?: ((ip: string) => string[]) | undefined;
  /** What customers left while nobody was online, shown to the agent who serves them. */
  leftMessages?: LeftMessageSource | undefined;
}

/**
 * Where conversations go (service/routing decides, this carries it out): the routes of a new chat, a seat
 * with an agent — claimed once across instances — or the queue, and everyone told.
 */
export class Placement {
  constructor(private readonly deps: PlacementDeps) {}

  /**
   * The routes to try (policy.ts): the designated group or agent (checked to exist: a wrong id from the
   * embedding code is a clear error, not a chat waiting forever), back to the last agent within the
   * window, then the first matching rule or the default; the last route is followed along its group's
   * overflow chain.
   */
  async routes(
    c: Conversation,
    customer: (PriorityFacts & { lastIp?: string | undefined }) | null | undefined,
    req: kefu.v1.IOpenConversation,
    config: RoutingConfig,
    now: Date,
  ): Promise<PlannedRoute[]> {
    const { allocator, conversations } = this.deps;
    const groups = await allocator.groupMap();
    const designated = {
      groupId: (req.groupId ?? '').slice(0, 64) || undefined,
      agentUid: (req.agentUid ?? '').slice(0, 64) || undefined,
      strict: req.strict === true,
    };
    if (designated.groupId && !groups.has(designated.groupId))
      throw new ValidationError(`Unknown skill group ${designated.groupId}`);
    if (designated.agentUid && !(await allocator.agentExists(designated.agentUid)))
      throw new ValidationError(`Unknown agent ${designated.agentUid}`);
    let lastAgent: string | undefined;
    if (config.returnToLastAgentMinutes > 0 && !designated.strict) {
      const last = await conversations.findLastServed(c.customerUid);
      const since = now.getTime() - config.returnToLastAgentMinutes * 60_000;
      if (last?.agentUid && (last.closedAt?.getTime() ?? 0) >= since) lastAgent = last.agentUid;
    }
    let regions: readonly string[] | undefined;
    const lookup = this.deps.regions;
    const routes: PlannedRoute[] = resolveRoutes(
      config,
      {
        channel: c.channel,
        entryUrl: c.entryUrl,
        vip: customer?.vip,
        level: customer?.level,
        tags: customer?.tags,
        regions: () => (regions ??= customer?.lastIp && lookup ? lookup(customer.lastIp) : []),
      },
      designated,
      lastAgent,
    );
    const last = routes[routes.length - 1];
    if (last) {
      const followed = await overflow(last.target, groups, (t) => allocator.targetState(t, now));
      routes[routes.length - 1] = { ...last, target: followed.target, overflowLevels: followed.levels };
    }
    return routes;
  }

  /**
   * A seat for a conversation about to be created: a non-strict route (designated, last agent) only if
   * it has a free seat now, else the final route; null when none has one (it will be queued).
   */
  async seatFirst(
    conversationId: string,
    routes: readonly Route[],
  ): Promise<{ agentUid: string; seat: number } | null> {
    for (const route of routes) {
      const seated = await this.deps.allocator.seat(conversationId, route.target);
      if (seated) return seated;
    }
    return null;
  }

  /** A new conversation seated with an agent, queued, or closed (queue full, with its notice). */
  async placed(c: Conversation, routes: PlannedRoute[], config: RoutingConfig): Promise<Conversation> {
    const { conversations, events } = this.deps;
    const text = (code: NoticeCode) => config.texts[code] ?? '';
    const final = routes[routes.length - 1];
    if (final?.overflowLevels)
      events.record(c.id, { ...events.fact(c, 'overflowed'), priority: final.overflowLevels });
    // Seated before it was stored (open): only the announcement is left.
    if (c.status === 'open' && c.agentUid) return this.assigned({ ...c, agentUid: c.agentUid }, true);
    for (const route of routes) {
      const assigned = await this.assign(c, true, route.target);
      if (assigned === 'elsewhere') return (await conversations.findConversation(c.id)) ?? c;
      if (assigned) return assigned;
    }
    const position =
      (await conversations.countQueuedAhead(c.priority ?? 0, c.queuedAt ?? c.createdAt, c.routeKey)) + 1;
    if (config.maxQueueLength > 0 && position > config.maxQueueLength) {
      // Over the limit: no queue, leave-a-message instead.
      const at = new Date();
      await conversations.setClosed(c.id, at, 'system', 'queue_full');
      await conversations.releaseClaim(`open:${c.customerUid}`);
      events.record(c.id, { ...events.fact(c, 'rejected'), reason: 'queue_full' });
      await this.deps.notices(c, { code: 'queue_full', text: text('queue_full') }, { from: 'system' });
      return { ...c, status: 'closed', closedAt: at, closedBy: 'system', closeReason: 'queue_full' };
    }
    events.record(c.id, { ...events.fact(c, 'queued'), priority: c.priority });
    // Queued: everyone behind it (lower priority) moves back one, and the agents who see that queue learn.
    this.deps.positions.changed();
    await tellQueueWatchers(this.deps, c, { queued: { position: 0 } });
    return (await conversations.findConversation(c.id)) ?? c;
  }

  /**
   * Seats the conversation with an agent (allocation mode, atomic seat claim), then claims the assignment
   * (`assign:<conversation>`, so only one instance assigns it). Null when no agent has a free seat.
   */
  async assign(
    c: Conversation,
    isNew = false,
    target = routeOf(c),
  ): Promise<Conversation | 'elsewhere' | null> {
    const { conversations, allocator } = this.deps;
    const seated = await allocator.seat(c.id, target);
    if (!seated) return null;
    const agentUid = seated.agentUid;
    if (!(await conversations.claim(`assign:${c.id}`, agentUid))) {
      await allocator.release(seated.agentUid, seated.seat, c.id);
      return 'elsewhere';
    }
    const at = new Date();
    await conversations.setAssigned(c.id, agentUid, at, seated.seat);
    return this.assigned({ ...c, agentUid, status: 'open', assignedAt: at, seat: seated.seat }, isNew);
  }

  /** A conversation just assigned: the statistics event, and everyone told. */
  private async assigned(c: Conversation & { agentUid: string }, isNew: boolean): Promise<Conversation> {
    const { agentUid } = c;
    const { events, publisher } = this.deps;
    const at = c.assignedAt ?? new Date();
    events.record(`${c.id}:${agentUid}`, {
      ...events.fact(c, 'assigned', at),
      waitMs: at.getTime() - (c.queuedAt ?? c.createdAt).getTime(),
      priority: c.priority,
    });
    const agent = await this.deps.directory.participant(agentUid);
    const event: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      conversationEvent: { conversationId: c.id, atMs: at.getTime(), assigned: { agent } },
    };
    const state = await this.deps.states.of(c, isNew);
    await Promise.all([
      publisher.toUser('c', c.customerUid, event, 1),
      publisher.toUser('a', agentUid, event, 1),
      publisher.toUser('a', agentUid, { id: newId(), sentAtMs: Date.now(), conversation: state }, 1),
    ]);
    // Left the queue: the other agents watching it drop it from their lists.
    if (!isNew) await tellQueueWatchers(this.deps, c, { assigned: { agent } }, agentUid);
    if (this.deps.leftMessages)
      await showLeftMessages(this.deps.leftMessages, this.deps.notices, c).catch((err: unknown) => {
        this.deps.logger.warn({ err, conversation: c.id }, 'left messages not shown');
      });
    return c;
  }
}
