import { kefu, type EventNoticeCode } from '@kefu/proto';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { Conversation, ConversationRepository } from '../../repository/conversation-repository.js';
import type { PresenceRepository } from '../../repository/message-repository.js';
import type { Actor, Publisher } from './publisher.js';
import { greetingText } from './greeting.js';
import { inviteFrom, type RatingTemplate } from '../ratings/rating-templates.js';
import { showLeftMessages, type LeftMessageSource } from './left-messages.js';
import { tellQueueWatchers } from './queue-watchers.js';
import type { Allocator } from '../routing/allocator.js';
import { overflow, resolveRoutes, type Route } from '../routing/policy.js';
import { queuePriority, type PriorityFacts } from '../routing/priority.js';
import {
  RECEPTION_MODES,
  type NoticeCode,
  type ReceptionMode,
  type RouteTarget,
  type RoutingConfig,
} from '../routing/settings.js';
import { routeKeyOf } from '../../repository/conversation-repository.js';
import type { RoutingEvent } from '../../repository/routing-repository.js';
import { BLOCKED_MESSAGE } from '../auth/auth-service.js';

/** Without recent closed chats to learn from, a chat is assumed to take this long (queue wait estimate). */
const DEFAULT_HANDLING_MS = 5 * 60_000;
/** Statistics events are written together at most this long after they happen. */
const EVENT_FLUSH_MS = 50;
/** Queue position pushes are coalesced over this long. */
const QUEUE_NOTIFY_DELAY_MS = 100;

const { ConversationStatus, Role } = kefu.v1;

export interface ConversationDeps {
  conversations: ConversationRepository;
  presence: PresenceRepository;
  agents: AgentRepository;
  publisher: Publisher;
  logger: Logger;
  /** The highest stored seq of a conversation (the message store's). */
  lastSeq: (conversationId: string) => Promise<number>;
  /** Chooses and seats the agent, and takes seats back (service/routing). */
  allocator: Allocator;
  /** The customer's name goes on the conversation (masked per recipient by the publisher); VIP, level
   * and tags give its queue priority. */
  customers?: {
    findCustomer(
      uid: string,
    ): Promise<(PriorityFacts & { name?: string | undefined; lastIp?: string | undefined }) | null>;
  };
  /** The blacklist and the statistics events (service/routing). */
  routing?: {
    findBlocked(customerUid: string): Promise<unknown>;
    recordEvents(events: readonly { key: string; event: RoutingEvent }[]): Promise<void>;
  };
  /** Country, province and city of an address (smart routing by region). */
  regions?: (ip: string) => string[];
  /** What customers left while nobody was online, shown to the agent who serves them (left-messages.ts). */
  leftMessages?: LeftMessageSource;
  /** Whether a chat was rated, and how its group asks (the at-close rating in its state). */
  ratings?: {
    hasRating(conversationId: string): Promise<boolean>;
    templateFor(groupId: string | undefined): Promise<RatingTemplate>;
  };
}

/** Posts a system or robot notice into a conversation (MessageService.notice, attached after it exists). */
export type NoticeSender = (
  c: Conversation,
  notice: { code: NoticeCode | EventNoticeCode; text: string; params?: Record<string, string> | undefined },
  options: { from: 'system' | 'bot'; agentsOnly?: boolean | undefined },
) => Promise<unknown>;

/** Where a conversation is routed (its queue). */
export function routeOf(c: Conversation): RouteTarget {
  return { groupId: c.routeGroupId, agentUid: c.routeAgentUid };
}

const STATUS: Record<Conversation['status'], kefu.v1.ConversationStatus> = {
  queued: ConversationStatus.CONVERSATION_STATUS_QUEUED,
  open: ConversationStatus.CONVERSATION_STATUS_OPEN,
  closed: ConversationStatus.CONVERSATION_STATUS_CLOSED,
};

/**
 * Conversation lifecycle: one open conversation per customer, assigned to an online agent with a free
 * reception seat in the configured allocation mode (service/routing), else queued until one frees up.
 */
export class ConversationService {
  private readonly agentNames = new Map<string, { name: string; at: number }>();
  private readonly sweeps = new Set<Promise<unknown>>();

  constructor(private readonly deps: ConversationDeps) {}

  /** Customer opens (or gets back) their conversation; the state goes to all their devices. */
  async open(actor: Actor, req: kefu.v1.IOpenConversation, requestId: string): Promise<Conversation> {
    if (actor.role !== 'c') throw new ForbiddenError('Only customers open conversations');
    const { conversations, allocator } = this.deps;
    const claimKey = `open:${actor.uid}`;
    let conversation: Conversation | null = null;
    let createdId: string | undefined;
    // The customer's open conversation and what a new one needs, read at once (each by `_id` or cached).
    const [existingId, blocked, customer, config] = await Promise.all([
      conversations.findClaim(claimKey),
      this.deps.routing?.findBlocked(actor.uid),
      this.deps.customers?.findCustomer(actor.uid),
      allocator.config(),
    ]);
    if (existingId) conversation = await conversations.findConversation(existingId);

    if (!conversation) {
      if (blocked) throw new ForbiddenError(BLOCKED_MESSAGE);
      const now = new Date();
      const reception = receptionOf(config, req.receptionMode);
      const fresh: Conversation = {
        id: newId(now.getTime()),
        customerUid: actor.uid,
        customerName: customer?.name,
        priority: queuePriority(customer, config.queueFirstTags),
        agentUid: null,
        status: reception === 'robot_only' ? 'open' : 'queued',
        channel: (req.channel ?? '').slice(0, 32) || 'web',
        entryUrl: (req.entryUrl ?? '').slice(0, 2048) || undefined,
        entryTitle: (req.entryTitle ?? '').slice(0, 200) || undefined,
        attributes: checkAttributes(req.attributes),
        createdAt: now,
        queuedAt: now,
        ...(reception === 'robot_only' ? { handler: 'bot' } : {}),
      };
      // Where it goes (designation, back to the last agent, rules, overflow): decided before it exists.
      const routes = reception === 'robot_only' ? [] : await this.routes(fresh, customer, req, config, now);
      const final = routes[routes.length - 1];
      fresh.groupId = routes.find((r) => r.target.groupId)?.target.groupId;
      if (final) {
        fresh.routeGroupId = final.target.groupId;
        fresh.routeAgentUid = final.target.agentUid;
        fresh.routeStrict = final.strict;
        fresh.routeKey = routeKeyOf(final.target);
      }
      // Humans first: the seat is claimed before the conversation exists, and it is stored assigned.
      // Never queued, no instance's backlog sweep can reach it, so it needs no assignment claim. (The
      // robot greets first otherwise; then it is stored queued and assigned like any queued chat.)
      const seated =
        reception === 'human_only' || reception === 'human_first'
          ? await this.seatFirst(fresh.id, routes)
          : null;
      if (seated) {
        Object.assign(fresh, {
          status: 'open',
          agentUid: seated.agentUid,
          assignedAt: new Date(),
          seat: seated.seat,
        } satisfies Partial<Conversation>);
      }
      let claimed: boolean;
      try {
        await conversations.saveConversation(fresh);
        claimed = await conversations.claim(claimKey, fresh.id, now);
      } catch (err) {
        // Not stored or not claimed (the database failed): the seat goes back at once, not after
        // STALE_SEAT_MS. A conversation stored without its claim is removed.
        if (seated) await allocator.release(seated.agentUid, seated.seat, fresh.id).catch(() => undefined);
        await conversations.removeConversation(fresh.id).catch(() => undefined);
        throw err;
      }
      if (claimed) {
        createdId = fresh.id;
        conversation = await this.started(fresh, routes, reception, config);
      } else {
        // Another device or instance opened one at the same moment: theirs wins.
        await conversations.removeConversation(fresh.id);
        if (seated) {
          await allocator.release(seated.agentUid, seated.seat, fresh.id);
          await this.sweepQueue();
        }
        const winner = await conversations.findClaim(claimKey);
        conversation = winner ? await conversations.findConversation(winner) : null;
        if (!conversation) throw new NotFoundError('The conversation could not be opened; retry');
      }
    }
    await this.deps.publisher.toUser(
      'c',
      actor.uid,
      {
        id: newId(),
        sentAtMs: Date.now(),
        conversation: await this.state(conversation, conversation.id === createdId),
      },
      1,
    );
    this.deps.logger.debug({ conversation: conversation.id, requestId }, 'conversation opened');
    return conversation;
  }

  /**
   * A seat for a conversation about to be created: a non-strict route (designated, last agent) only if
   * it has a free seat now, else the final route; null when none has one (it will be queued).
   */
  private async seatFirst(
    conversationId: string,
    routes: readonly Route[],
  ): Promise<{ agentUid: string; seat: number } | null> {
    for (const route of routes) {
      const seated = await this.deps.allocator.seat(conversationId, route.target);
      if (seated) return seated;
    }
    return null;
  }

  /**
   * The routes to try (policy.ts): the designated group or agent (checked to exist: a wrong id from the
   * embedding code is a clear error, not a chat waiting forever), back to the last agent within the
   * window, then the first matching rule or the default; the last route is followed along its group's
   * overflow chain.
   */
  private async routes(
    c: Conversation,
    customer: (PriorityFacts & { lastIp?: string | undefined }) | null | undefined,
    req: kefu.v1.IOpenConversation,
    config: RoutingConfig,
    now: Date,
  ): Promise<(Route & { overflowLevels?: number })[]> {
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
    const routes: (Route & { overflowLevels?: number })[] = resolveRoutes(
      config,
      {
        channel: c.channel,
        entryUrl: c.entryUrl,
        vip: customer?.vip,
        level: customer?.level,
        tags: customer?.tags,
        regions: () =>
          (regions ??= customer?.lastIp && this.deps.regions ? this.deps.regions(customer.lastIp) : []),
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
   * A conversation just created (and claimed): seated already (humans first: announced), or the robot's
   * greeting, then an agent — a non-strict route (designated, last agent) only if it has a free seat now,
   * else the final route — or the queue, unless the queue is full (leave-a-message) — and the notices
   * that go with it.
   */
  private async started(
    c: Conversation,
    routes: (Route & { overflowLevels?: number })[],
    reception: ReceptionMode,
    config: RoutingConfig,
  ): Promise<Conversation> {
    const robot = reception === 'robot_only' || reception === 'robot_first';
    if (robot) await this.greet(c, config, { from: 'bot' });
    if (reception === 'robot_only') return c;
    const placed = await this.placed(c, routes, config);
    // Human reception: the customer is greeted at once, by the agent's name when one took the chat.
    if (!robot && placed.status !== 'closed') {
      const agentName = placed.agentUid ? (await this.agentParticipant(placed.agentUid)).name : undefined;
      await this.greet(placed, config, { from: 'system', agentName: agentName ?? undefined });
    }
    // Queued with nobody online: the state's online_agents = 0 already tells clients (the widget offers
    // leave-a-message); a notice only carries the admin's own text.
    const noAgent = config.texts.no_agent;
    if (
      placed.status === 'queued' &&
      noAgent &&
      (await this.deps.allocator.targetState(routeOf(placed))).online === 0
    )
      await this.notice(placed, { code: 'no_agent', text: noAgent }, { from: 'system' });
    return placed;
  }

  /** A new conversation seated with an agent, queued, or closed (queue full, with its notice). */
  private async placed(
    c: Conversation,
    routes: (Route & { overflowLevels?: number })[],
    config: RoutingConfig,
  ): Promise<Conversation> {
    const { conversations } = this.deps;
    const text = (code: NoticeCode) => config.texts[code] ?? '';
    const final = routes[routes.length - 1];
    if (final?.overflowLevels)
      this.event(c.id, { ...this.fact(c, 'overflowed'), priority: final.overflowLevels });
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
      this.event(c.id, { ...this.fact(c, 'rejected'), reason: 'queue_full' });
      await this.notice(c, { code: 'queue_full', text: text('queue_full') }, { from: 'system' });
      return { ...c, status: 'closed', closedAt: at, closedBy: 'system', closeReason: 'queue_full' };
    }
    this.event(c.id, { ...this.fact(c, 'queued'), priority: c.priority });
    // Queued: everyone behind it (lower priority) moves back one, and the agents who see that queue learn.
    this.queueChanged();
    await tellQueueWatchers(this.deps, c, { queued: { position: 0 } });
    return (await conversations.findConversation(c.id)) ?? c;
  }

  /** The greeting (欢迎语) of the chat (greeting.ts), from `how.from`. */
  private async greet(
    c: Conversation,
    config: RoutingConfig,
    how: { from: 'system' | 'bot'; agentName?: string | undefined },
  ): Promise<void> {
    const group = c.groupId ? (await this.deps.allocator.groupMap()).get(c.groupId) : undefined;
    const text = greetingText(group?.greeting ?? config.texts.greeting, how.agentName);
    const params: Record<string, string> = how.agentName ? { agent: how.agentName } : {};
    await this.notice(c, { code: 'greeting', text, params }, { from: how.from });
  }

  private notices: NoticeSender | undefined;

  /** MessageService posts the notices (it is built after this service). */
  attachNotices(sender: NoticeSender): void {
    this.notices = sender;
  }

  async notice(...args: Parameters<NoticeSender>): Promise<void> {
    if (!this.notices) return;
    try {
      await this.notices(...args);
    } catch (err) {
      this.deps.logger.warn({ err, conversation: args[0].id, code: args[1].code }, 'notice not posted');
    }
  }

  /** The dimensions every routing event carries. */
  fact(c: Conversation, type: RoutingEvent['type'], at = new Date()): RoutingEvent {
    return {
      type,
      conversationId: c.id,
      customerUid: c.customerUid,
      channel: c.channel,
      groupId: c.routeGroupId,
      agentUid: c.agentUid ?? undefined,
      at,
    };
  }

  private readonly pendingEvents = new Set<Promise<void>>();
  private eventBatch: { key: string; event: RoutingEvent }[] = [];
  private eventTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * Records a statistics event in the background (`key` makes a retried fact a no-op). Events are
   * written together every EVENT_FLUSH_MS, one insert per batch rather than one per event: off every
   * arrival's path, and fewer writes for the database's one writer (SQLite under FerretDB).
   */
  event(key: string, e: RoutingEvent): void {
    this.eventBatch.push({ key, event: e });
    if (this.eventTimer) return;
    this.eventTimer = setTimeout(() => {
      this.flushEvents();
    }, EVENT_FLUSH_MS);
    this.eventTimer.unref();
  }

  private flushEvents(): void {
    clearTimeout(this.eventTimer);
    this.eventTimer = undefined;
    const batch = this.eventBatch;
    this.eventBatch = [];
    if (batch.length === 0 || !this.deps.routing) return;
    const written = this.deps.routing.recordEvents(batch).catch((err: unknown) => {
      this.deps.logger.warn({ err, events: batch.length }, 'routing events lost');
    });
    this.pendingEvents.add(written);
    void written.finally(() => this.pendingEvents.delete(written));
  }

  /** Writes the events recorded so far and resolves once they are stored (tests, shutdown). */
  async eventsWritten(): Promise<void> {
    do {
      this.flushEvents();
      await Promise.all([...this.pendingEvents]);
    } while (this.eventBatch.length > 0);
  }

  /** The customer wrote while queued: still there, the queue timeout starts again. */
  async keptWaiting(c: Conversation, at: Date): Promise<void> {
    await this.deps.conversations.keepWaiting(c.id, at);
  }

  /** Loads a conversation the actor takes part in (customer, or the assigned agent). */
  async participantConversation(actor: Actor, conversationId: string): Promise<Conversation> {
    const conversation = conversationId
      ? await this.deps.conversations.findConversation(conversationId)
      : null;
    if (!conversation) throw new NotFoundError(`Unknown conversation ${conversationId}`);
    if (!this.isParticipant(actor, conversation))
      throw new ForbiddenError('You are not a participant of this conversation');
    return conversation;
  }

  isParticipant(actor: Actor, c: Conversation): boolean {
    return actor.role === 'c' ? c.customerUid === actor.uid : c.agentUid === actor.uid;
  }

  /** Everyone who receives the conversation's messages. */
  participants(c: Conversation): Actor[] {
    const list: Actor[] = [{ role: 'c', uid: c.customerUid }];
    if (c.agentUid) list.push({ role: 'a', uid: c.agentUid });
    return list;
  }

  /**
   * Ends a conversation: its customer or its agent. Closing a closed conversation only sends the state
   * again (a retry after a lost answer). The customer's next open starts a new conversation.
   */
  async close(actor: Actor, req: kefu.v1.ICloseConversation, requestId: string): Promise<void> {
    const c = await this.participantConversation(actor, req.conversationId ?? '');
    const reason = (req.reason ?? '').slice(0, 200) || undefined;
    const by: kefu.v1.IParticipant =
      actor.role === 'a'
        ? await this.agentParticipant(actor.uid)
        : { role: Role.ROLE_CUSTOMER, uid: actor.uid };
    await this.end(c, `${actor.role}:${actor.uid}`, by, reason, actor.role === 'c');
    this.deps.logger.debug({ conversation: c.id, requestId }, 'conversation closed');
  }

  /** Closed by the system (a timeout): `reason` is its code (queue_timeout, customer_timeout). */
  async closeBySystem(conversationId: string, reason: string): Promise<Conversation | null> {
    const c = await this.deps.conversations.findConversation(conversationId);
    if (!c || c.status === 'closed') return null;
    await this.end(c, 'system', { role: Role.ROLE_SYSTEM, uid: 'system' }, reason, false);
    return c;
  }

  /**
   * Ends it: the seat goes back (and the queue moves), everyone gets the event and the closed state.
   * Ending a closed conversation only sends the state again (a retry after a lost answer).
   */
  private async end(
    c: Conversation,
    byKey: string,
    by: kefu.v1.IParticipant,
    reason: string | undefined,
    byCustomer: boolean,
  ): Promise<void> {
    let closed = c;
    if (c.status !== 'closed') {
      const at = new Date();
      await this.deps.conversations.setClosed(c.id, at, byKey, reason);
      await this.deps.conversations.releaseClaim(`open:${c.customerUid}`);
      if (c.agentUid && c.seat !== undefined) {
        await this.deps.allocator.release(c.agentUid, c.seat, c.id);
        // The seat is free: the first customer in the queue may take it (the close does not wait for it).
        this.sweepQueueSoon();
      } else if (c.status === 'queued') {
        // Left the queue: everyone behind moves up.
        this.queueChanged();
        if (byCustomer)
          this.event(c.id, {
            ...this.fact(c, 'abandoned', at),
            waitMs: at.getTime() - (c.queuedAt ?? c.createdAt).getTime(),
          });
      }
      closed = { ...c, status: 'closed', closedAt: at, closedBy: byKey, closeReason: reason };
      const event: kefu.v1.IEnvelope = {
        id: newId(),
        sentAtMs: Date.now(),
        conversationEvent: { conversationId: c.id, atMs: at.getTime(), closed: { by, reason: reason ?? '' } },
      };
      await Promise.all(this.participants(c).map((p) => this.deps.publisher.toUser(p.role, p.uid, event, 1)));
      if (c.status === 'queued')
        await tellQueueWatchers(this.deps, c, { closed: { by, reason: reason ?? '' } });
    }
    const state: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      conversation: await this.state(closed),
    };
    await Promise.all(this.participants(c).map((p) => this.deps.publisher.toUser(p.role, p.uid, state, 1)));
  }

  /** `isNew`: created in this very request, so no message and no read mark can exist yet. */
  async state(c: Conversation, isNew = false): Promise<kefu.v1.IConversationState> {
    const [lastSeq, reads, queue] = await Promise.all([
      isNew ? 0 : this.deps.lastSeq(c.id),
      isNew ? [] : this.deps.conversations.listReadMarks(c.id),
      c.status === 'queued'
        ? Promise.all([
            this.deps.conversations.countQueuedAhead(c.priority ?? 0, c.queuedAt ?? c.createdAt, c.routeKey),
            this.deps.allocator.targetState(routeOf(c)),
          ])
        : undefined,
    ]);
    const estimatedWaitMs = queue ? await this.estimateWaitMs(queue[0] + 1, routeOf(c)) : 0;
    return {
      id: c.id,
      status: STATUS[c.status],
      // Personal data: the publisher masks it for agents without pii:view (workbench/agent-permissions.ts).
      customer: { role: Role.ROLE_CUSTOMER, uid: c.customerUid, name: c.customerName ?? '' },
      agent: c.agentUid ? await this.agentParticipant(c.agentUid) : null,
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
   * A closed chat that an agent answered and nobody rated offers its group's rating (REFERENCE.md §A): asked
   * once, whichever device rates, and never for a chat no agent answered.
   */
  private async rating(c: Conversation): Promise<Pick<kefu.v1.IConversationState, 'rated' | 'closeRating'>> {
    const ratings = this.deps.ratings;
    if (!ratings || c.status !== 'closed') return {};
    if (await ratings.hasRating(c.id)) return { rated: true };
    if (!c.answeredAt) return {};
    return { closeRating: inviteFrom(await ratings.templateFor(c.groupId), `close:${c.id}`) };
  }

  async agentParticipant(uid: string): Promise<kefu.v1.IParticipant> {
    const cached = this.agentNames.get(uid);
    if (cached && Date.now() - cached.at < 60_000) return { role: Role.ROLE_AGENT, uid, name: cached.name };
    const agent = await this.deps.agents.findAgent(uid);
    const name = agent?.displayName ?? '';
    this.agentNames.set(uid, { name, at: Date.now() });
    return { role: Role.ROLE_AGENT, uid, name };
  }

  /** Records a device going on- or offline; an agent becoming available triggers a queue sweep. */
  async presence(actor: Actor, p: kefu.v1.IPresence): Promise<void> {
    const device = (p.deviceId ?? '').slice(0, 64) || 'default';
    const status = p.agentStatus
      ? kefu.v1.AgentStatus[p.agentStatus].replace('AGENT_STATUS_', '').toLowerCase()
      : undefined;
    await this.deps.presence.savePresence({
      uid: actor.uid,
      device,
      role: actor.role,
      online: p.online === true,
      ...(status ? { agentStatus: status } : {}),
    });
    if (actor.role === 'a') this.deps.allocator.presenceChanged();
    if (actor.role === 'a' && p.online) await this.sweepQueue();
  }

  /**
   * The backlog sweep: assigns queued conversations in queue order (highest priority, then the longest
   * waiting) while agents have free seats. Runs whenever capacity frees up: an agent comes online, a chat
   * closes or is transferred away.
   */
  /** A seat was freed: sweep the queue without making the caller wait; a failure is logged. */
  sweepQueueSoon(): void {
    const sweep = this.sweepQueue().catch((err: unknown) => {
      this.deps.logger.warn({ err }, 'queue sweep failed');
    });
    this.sweeps.add(sweep);
    void sweep.finally(() => this.sweeps.delete(sweep));
  }

  /** Resolves once the queue sweeps started so far have finished (shutdown, and tests of the queue). */
  async sweepsSettled(): Promise<void> {
    while (this.sweeps.size > 0) await Promise.all([...this.sweeps]);
  }

  async sweepQueue(limit = 100): Promise<number> {
    let assigned = 0;
    // A queue (routing target) with no free seat is skipped for the rest of the sweep; the others go on.
    const full = new Set<string>();
    for (const c of await this.deps.conversations.listQueued(limit)) {
      const key = c.routeKey ?? '*';
      if (full.has(key)) continue;
      if (await this.assign(c)) assigned += 1;
      else full.add(key);
    }
    if (assigned > 0) this.queueChanged();
    return assigned;
  }

  private queueTimer: ReturnType<typeof setTimeout> | undefined;
  private handling: { ms: number; at: number } | undefined;

  /** The queue moved: push every queued customer their position and estimated wait (coalesced). */
  queueChanged(): void {
    if (this.queueTimer) return;
    this.queueTimer = setTimeout(() => {
      this.queueTimer = undefined;
      this.notifyQueue().catch((err: unknown) => {
        this.deps.logger.warn({ err }, 'queue position update failed');
      });
    }, QUEUE_NOTIFY_DELAY_MS);
  }

  /** Sends each queued customer (first 500) a `queued` event with their position and estimated wait. */
  async notifyQueue(): Promise<number> {
    const queued = await this.deps.conversations.listQueued(500);
    if (queued.length === 0) return 0;
    // Positions count within each queue (routing target).
    const positions = new Map<string, number>();
    const perPosition = new Map<string, number>();
    const numbered: { c: Conversation; position: number; perPosition: number }[] = [];
    for (const c of queued) {
      const key = c.routeKey ?? '*';
      const position = (positions.get(key) ?? 0) + 1;
      positions.set(key, position);
      let per = perPosition.get(key);
      if (per === undefined) {
        per = await this.estimateWaitMs(1, routeOf(c));
        perPosition.set(key, per);
      }
      numbered.push({ c, position, perPosition: per });
    }
    const at = Date.now();
    await Promise.all(
      numbered.map(({ c, position: i, perPosition }) =>
        this.deps.publisher.toUser(
          'c',
          c.customerUid,
          {
            id: newId(),
            sentAtMs: at,
            conversationEvent: {
              conversationId: c.id,
              atMs: at,
              queued: { position: i, estimatedWaitMs: perPosition * i },
            },
          },
          1,
        ),
      ),
    );
    return queued.length;
  }

  /**
   * Position × (average handling time of the last 50 closed chats ÷ seats of the agents online now):
   * the queue moves as fast as seats free up. 0 (unknown) while nobody is online.
   */
  private async estimateWaitMs(position: number, target: RouteTarget): Promise<number> {
    const capacity = await this.deps.allocator.onlineCapacity(target);
    if (capacity === 0) return 0;
    if (!this.handling || Date.now() - this.handling.at > 60_000) {
      const recent = await this.deps.conversations.recentHandlingTimes(50);
      const ms = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : DEFAULT_HANDLING_MS;
      this.handling = { ms, at: Date.now() };
    }
    return Math.round((position * this.handling.ms) / capacity);
  }

  /**
   * Seats the conversation with an agent (allocation mode, atomic seat claim), then claims the assignment
   * (`assign:<conversation>`, so only one instance assigns it). False when no agent has a free seat.
   */
  private async assign(
    c: Conversation,
    isNew = false,
    target = routeOf(c),
  ): Promise<Conversation | 'elsewhere' | null> {
    const { conversations, allocator } = this.deps;
    const seated = await allocator.seat(c.id, target);
    if (!seated) return null;
    const agentUid = seated.agentUid;
    if (!(await conversations.claim(`assign:${c.id}`, agentUid))) {
      await this.deps.allocator.release(seated.agentUid, seated.seat, c.id);
      return 'elsewhere';
    }
    const at = new Date();
    await conversations.setAssigned(c.id, agentUid, at, seated.seat);
    return this.assigned({ ...c, agentUid, status: 'open', assignedAt: at, seat: seated.seat }, isNew);
  }

  /** A conversation just assigned: the statistics event, and everyone told. */
  private async assigned(c: Conversation & { agentUid: string }, isNew: boolean): Promise<Conversation> {
    const { agentUid } = c;
    const at = c.assignedAt ?? new Date();
    this.event(`${c.id}:${agentUid}`, {
      ...this.fact(c, 'assigned', at),
      waitMs: at.getTime() - (c.queuedAt ?? c.createdAt).getTime(),
      priority: c.priority,
    });
    const agent = await this.agentParticipant(agentUid);
    const event: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      conversationEvent: { conversationId: c.id, atMs: at.getTime(), assigned: { agent } },
    };
    const state = await this.state(c, isNew);
    await Promise.all([
      this.deps.publisher.toUser('c', c.customerUid, event, 1),
      this.deps.publisher.toUser('a', agentUid, event, 1),
      this.deps.publisher.toUser(
        'a',
        agentUid,
        { id: newId(), sentAtMs: Date.now(), conversation: state },
        1,
      ),
    ]);
    // Left the queue: the other agents watching it drop it from their lists.
    if (!isNew) await tellQueueWatchers(this.deps, c, { assigned: { agent } }, agentUid);
    if (this.deps.leftMessages)
      await showLeftMessages(this.deps.leftMessages, (...a) => this.notice(...a), c).catch((err: unknown) => {
        this.deps.logger.warn({ err, conversation: c.id }, 'left messages not shown');
      });
    return c;
  }
}

/**
 * The reception mode of a new conversation: the embedding code's choice when the admin allows one,
 * else the admin's. A mode that does not exist is a client error.
 */
function receptionOf(config: RoutingConfig, requested: string | null | undefined): ReceptionMode {
  if (!requested) return config.receptionMode;
  if (!(RECEPTION_MODES as readonly string[]).includes(requested))
    throw new ValidationError(`reception_mode must be one of ${RECEPTION_MODES.join(', ')}`);
  return config.receptionOverride ? (requested as ReceptionMode) : config.receptionMode;
}

const MAX_ATTRIBUTES = 20;

/** Host-page attributes: at most 20, keys 1-64 characters, values up to 256. */
function checkAttributes(
  attributes: Record<string, string> | null | undefined,
): Record<string, string> | undefined {
  const entries = Object.entries(attributes ?? {});
  if (entries.length === 0) return undefined;
  if (entries.length > MAX_ATTRIBUTES)
    throw new ValidationError(`at most ${String(MAX_ATTRIBUTES)} attributes are allowed`);
  for (const [key, value] of entries) {
    if (key.length < 1 || key.length > 64) throw new ValidationError('attribute keys are 1-64 characters');
    if (value.length > 256) throw new ValidationError(`attribute ${key} is longer than 256 characters`);
  }
  return Object.fromEntries(entries);
}
