import type { Logger } from '../../log.js';
import type { Conversation, ConversationRepository } from '../../repository/conversation-repository.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import { routeOf } from '../conversations/conversation-state.js';
import type { RoutingEventRecorder } from '../conversations/routing-events.js';
import type { NoticeSender } from '../messaging/notices.js';
import type { RouteTarget, RoutingConfig } from './settings.js';

export interface RoutingTimeoutDeps {
  conversations: Pick<ConversationRepository, 'listQueued' | 'listOpen' | 'claim'>;
  service: ConversationService;
  events: RoutingEventRecorder;
  /** Posts the reminders (NoticePoster.say: a failure is logged). */
  notices: NoticeSender;
  config: () => Promise<RoutingConfig>;
  /** The automatic transfer (workbench TransferService.reassign): the new agent, or null. */
  reassign: (conversationId: string, from: string, route: RouteTarget) => Promise<string | null>;
  logger: Logger;
  /** How often the scan runs (default 5 s). */
  intervalMs?: number;
}

/** What one scan did. */
export interface ScanResult {
  reminded: number;
  closed: number;
  transferred: number;
}

/** At most this many queued and open conversations are looked at per scan. */
const SCAN_LIMIT = 2_000;

/**
 * The timeouts of REFERENCE.md §A, checked by a periodic scan on every instance:
 * - queued: after `remind_after_s` a reminder (the customer keeps waiting by writing anything, which
 *   restarts the clock), after `close_after_s` the chat closes (queue_timeout);
 * - the agent has not answered the customer: a reminder to the agent (an internal note), then an
 *   automatic transfer to another agent of the same route;
 * - the customer has not answered the agent: a reminder, then the chat closes (customer_timeout).
 * Each step is claimed once per conversation and moment (a claim `_id` insert), so several instances, or
 * a restarted one, never send a reminder twice. The scan also runs the backlog sweep: the safety net for a
 * customer queued just after the last capacity change was handled.
 */
export class RoutingTimeouts {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: RoutingTimeoutDeps) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then(() => undefined)
        .catch((err: unknown) => {
          this.deps.logger.warn({ err }, 'routing timeout scan failed');
        })
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.deps.intervalMs ?? 5_000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** One scan; returns what it did (for tests and logs). */
  async tick(now = new Date()): Promise<ScanResult> {
    const config = await this.deps.config();
    const done: ScanResult = { reminded: 0, closed: 0, transferred: 0 };
    const { service } = this.deps;
    await service.sweepQueue();
    const q = config.queueTimeout;
    if (q.remindAfterS > 0 || q.actAfterS > 0) {
      for (const c of await this.deps.conversations.listQueued(SCAN_LIMIT))
        await this.queued(c, config, now, done);
    }
    const a = config.agentTimeout;
    const cu = config.customerTimeout;
    if (a.remindAfterS > 0 || a.actAfterS > 0 || cu.remindAfterS > 0 || cu.actAfterS > 0) {
      for (const c of await this.deps.conversations.listOpen(SCAN_LIMIT)) {
        if (c.handler === 'bot' || !c.agentUid) continue;
        try {
          if (c.waitingSince) await this.agentSilent(c, config, now, done);
          else if (c.lastMessageRole === 'a') await this.customerSilent(c, config, now, done);
        } catch (err) {
          this.deps.logger.warn({ err, conversation: c.id }, 'routing timeout failed');
        }
      }
    }
    return done;
  }

  private claim(key: string, now: Date): Promise<boolean> {
    return this.deps.conversations.claim(key, 'timeout', now);
  }

  private async queued(c: Conversation, config: RoutingConfig, now: Date, done: ScanResult) {
    const { service, events, notices } = this.deps;
    const { remindAfterS, actAfterS } = config.queueTimeout;
    const queuedAt = c.queuedAt ?? c.createdAt;
    const since = c.queueKeptAt ?? queuedAt;
    const waited = now.getTime() - since.getTime();
    if (actAfterS > 0 && waited >= actAfterS * 1000) {
      if (!(await this.claim(`timeout:q:${c.id}`, now))) return;
      await notices(c, { code: 'queue_timeout', text: config.texts.queue_timeout ?? '' }, { from: 'system' });
      if (await service.closeBySystem(c.id, 'queue_timeout')) {
        events.record(c.id, {
          ...events.fact(c, 'timed_out', now),
          reason: 'queue',
          waitMs: now.getTime() - queuedAt.getTime(),
        });
        done.closed += 1;
      }
      return;
    }
    if (remindAfterS > 0 && waited >= remindAfterS * 1000) {
      if (!(await this.claim(`remind:q:${c.id}:${String(since.getTime())}`, now))) return;
      await notices(
        c,
        {
          code: 'queue_reminder',
          text: config.texts.queue_reminder ?? '',
          params: { waited_minutes: String(Math.floor((now.getTime() - queuedAt.getTime()) / 60_000)) },
        },
        { from: 'system' },
      );
      done.reminded += 1;
    }
  }

  /** The customer waits for an answer: counted from their oldest unanswered message, or the assignment. */
  private async agentSilent(c: Conversation, config: RoutingConfig, now: Date, done: ScanResult) {
    const { remindAfterS, actAfterS } = config.agentTimeout;
    const agentUid = c.agentUid ?? '';
    const since = Math.max(c.waitingSince?.getTime() ?? 0, c.assignedAt?.getTime() ?? 0);
    const waited = now.getTime() - since;
    const { events, notices } = this.deps;
    if (actAfterS > 0 && waited >= actAfterS * 1000) {
      if (!(await this.claim(`timeout:a:${c.id}:${agentUid}:${String(since)}`, now))) return;
      const to = await this.deps.reassign(c.id, agentUid, routeOf(c));
      events.record(`${c.id}:${agentUid}:${String(since)}`, {
        ...events.fact(c, 'timed_out', now),
        reason: 'agent',
        waitMs: waited,
      });
      if (to) {
        await notices(
          { ...c, agentUid: to },
          { code: 'agent_timeout', text: config.texts.agent_timeout ?? '', params: { from: agentUid } },
          { from: 'system', agentsOnly: true },
        );
        done.transferred += 1;
      }
      return;
    }
    if (remindAfterS > 0 && waited >= remindAfterS * 1000) {
      if (!(await this.claim(`remind:a:${c.id}:${agentUid}:${String(since)}`, now))) return;
      await notices(
        c,
        {
          code: 'agent_reminder',
          text: config.texts.agent_reminder ?? '',
          params: { waited_seconds: String(Math.floor(waited / 1000)) },
        },
        { from: 'system', agentsOnly: true },
      );
      done.reminded += 1;
    }
  }

  /** The agent spoke last and the customer has not answered. */
  private async customerSilent(c: Conversation, config: RoutingConfig, now: Date, done: ScanResult) {
    const { remindAfterS, actAfterS } = config.customerTimeout;
    const since = c.lastMessageAt?.getTime() ?? 0;
    const silent = now.getTime() - since;
    const { service, events, notices } = this.deps;
    if (actAfterS > 0 && silent >= actAfterS * 1000) {
      if (!(await this.claim(`timeout:c:${c.id}:${String(since)}`, now))) return;
      await notices(
        c,
        { code: 'customer_timeout', text: config.texts.customer_timeout ?? '' },
        { from: 'system' },
      );
      if (await service.closeBySystem(c.id, 'customer_timeout')) {
        events.record(`${c.id}:${String(since)}`, {
          ...events.fact(c, 'timed_out', now),
          reason: 'customer',
          waitMs: silent,
        });
        done.closed += 1;
      }
      return;
    }
    if (remindAfterS > 0 && silent >= remindAfterS * 1000) {
      if (!(await this.claim(`remind:c:${c.id}:${String(since)}`, now))) return;
      await notices(
        c,
        { code: 'customer_reminder', text: config.texts.customer_reminder ?? '' },
        { from: 'system' },
      );
      done.reminded += 1;
    }
  }
}
