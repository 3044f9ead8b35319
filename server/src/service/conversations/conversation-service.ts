import { kefu } from '@kefu/proto';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { Conversation, ConversationRepository } from '../../repository/conversation-repository.js';
import { routeKeyOf } from '../../repository/conversation-repository.js';
import type { PresenceRepository } from '../../repository/message-repository.js';
import { BLOCKED_MESSAGE } from '../auth/auth-service.js';
import type { NoticeSender } from '../messaging/notices.js';
import { isParticipant, participants } from '../messaging/participants.js';
import type { Actor, Publisher } from '../messaging/publisher.js';
import type { Allocator } from '../routing/allocator.js';
import type { PriorityFacts } from '../routing/priority.js';
import type { ReceptionMode, RoutingConfig } from '../routing/settings.js';
import type { AgentDirectory } from './agent-directory.js';
import { routeOf, type ConversationStates } from './conversation-state.js';
import { greetingText } from './greeting.js';
import { newConversation, receptionOf } from './open-request.js';
import type { PlannedRoute, Placement } from './placement.js';
import type { QueuePositions } from './queue-positions.js';
import type { QueueSweeper } from './queue-sweeper.js';
import { tellQueueWatchers } from './queue-watchers.js';
import type { RoutingEventRecorder } from './routing-events.js';

const { Role } = kefu.v1;

export interface ConversationDeps {
  conversations: ConversationRepository;
  presence: PresenceRepository;
  agents: AgentRepository;
  publisher: Publisher;
  logger: Logger;
  /** Chooses and seats the agent, and takes seats back (service/routing). */
  allocator: Allocator;
  placement: Placement;
  sweeper: QueueSweeper;
  positions: QueuePositions;
  states: ConversationStates;
  directory: AgentDirectory;
  events: RoutingEventRecorder;
  /** Posts system and robot notices; a failure is logged (NoticePoster.say). */
  notices: NoticeSender;
  /** The customer's name goes on the conversation (masked per recipient by the publisher); VIP, level
   * and tags give its queue priority. */
  customers?:
    | {
        findCustomer(
          uid: string,
        ): Promise<(PriorityFacts & { name?: string | undefined; lastIp?: string | undefined }) | null>;
      }
    | undefined;
  /** The blacklist (service/routing). */
  blacklist?: { findBlocked(customerUid: string): Promise<unknown> } | undefined;
}

/**
 * Conversation lifecycle: one open conversation per customer, seated with an online agent or queued
 * (placement.ts, queue-sweeper.ts), closed by a participant or the system.
 */
export class ConversationService {
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
      this.deps.blacklist?.findBlocked(actor.uid),
      this.deps.customers?.findCustomer(actor.uid),
      allocator.config(),
    ]);
    if (existingId) conversation = await conversations.findConversation(existingId);

    if (!conversation) {
      if (blocked) throw new ForbiddenError(BLOCKED_MESSAGE);
      const now = new Date();
      const reception = receptionOf(config, req.receptionMode);
      const fresh = newConversation(actor.uid, req, customer, config, reception, now);
      // Where it goes (designation, back to the last agent, rules, overflow): decided before it exists.
      const routes =
        reception === 'robot_only' ? [] : await this.deps.placement.routes(fresh, customer, req, config, now);
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
          ? await this.deps.placement.seatFirst(fresh.id, routes)
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
          await this.deps.sweeper.sweep();
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
        conversation: await this.deps.states.of(conversation, conversation.id === createdId),
      },
      1,
    );
    this.deps.logger.debug({ conversation: conversation.id, requestId }, 'conversation opened');
    return conversation;
  }

  /**
   * A conversation just created (and claimed): seated already (humans first: announced), or the robot's
   * greeting, then an agent — a non-strict route (designated, last agent) only if it has a free seat now,
   * else the final route — or the queue, unless the queue is full (leave-a-message) — and the notices
   * that go with it.
   */
  private async started(
    c: Conversation,
    routes: PlannedRoute[],
    reception: ReceptionMode,
    config: RoutingConfig,
  ): Promise<Conversation> {
    const robot = reception === 'robot_only' || reception === 'robot_first';
    if (robot) await this.greet(c, config, { from: 'bot' });
    if (reception === 'robot_only') return c;
    const placed = await this.deps.placement.placed(c, routes, config);
    // Human reception: the customer is greeted at once, by the agent's name when one took the chat.
    if (!robot && placed.status !== 'closed') {
      const agentName = placed.agentUid
        ? (await this.deps.directory.participant(placed.agentUid)).name
        : undefined;
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
      await this.deps.notices(placed, { code: 'no_agent', text: noAgent }, { from: 'system' });
    return placed;
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
    await this.deps.notices(c, { code: 'greeting', text, params }, { from: how.from });
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
    if (!isParticipant(actor, conversation))
      throw new ForbiddenError('You are not a participant of this conversation');
    return conversation;
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
        ? await this.deps.directory.participant(actor.uid)
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
        this.deps.sweeper.soon();
      } else if (c.status === 'queued') {
        // Left the queue: everyone behind moves up.
        this.deps.positions.changed();
        if (byCustomer)
          this.deps.events.record(c.id, {
            ...this.deps.events.fact(c, 'abandoned', at),
            waitMs: at.getTime() - (c.queuedAt ?? c.createdAt).getTime(),
          });
      }
      closed = { ...c, status: 'closed', closedAt: at, closedBy: byKey, closeReason: reason };
      const event: kefu.v1.IEnvelope = {
        id: newId(),
        sentAtMs: Date.now(),
        conversationEvent: { conversationId: c.id, atMs: at.getTime(), closed: { by, reason: reason ?? '' } },
      };
      await Promise.all(participants(c).map((p) => this.deps.publisher.toUser(p.role, p.uid, event, 1)));
      if (c.status === 'queued')
        await tellQueueWatchers(this.deps, c, { closed: { by, reason: reason ?? '' } });
    }
    const state: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      conversation: await this.deps.states.of(closed),
    };
    await Promise.all(participants(c).map((p) => this.deps.publisher.toUser(p.role, p.uid, state, 1)));
  }

  /** The conversation's state as its participants see it (conversation-state.ts). */
  state(c: Conversation, isNew = false): Promise<kefu.v1.IConversationState> {
    return this.deps.states.of(c, isNew);
  }

  agentParticipant(uid: string): Promise<kefu.v1.IParticipant> {
    return this.deps.directory.participant(uid);
  }

  /** Assigns queued conversations while agents have free seats (queue-sweeper.ts). */
  sweepQueue(limit?: number): Promise<number> {
    return this.deps.sweeper.sweep(limit);
  }
}
