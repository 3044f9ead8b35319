import type { Logger } from '../../log.js';
import type { Agent } from '../../repository/agent-repository.js';
import { ALLOCATION_MODES, rankCandidates, type AllocationMode, type RoundRobinMark } from './allocation.js';
import type { Seats } from './seats.js';

export interface RoutingConfig {
  mode: AllocationMode;
  /** Customers with one of these (mall-signed) tags jump the queue (queue_first). */
  queueFirstTags: string[];
}

export const DEFAULT_ROUTING: RoutingConfig = { mode: 'saturation', queueFirstTags: [] };
const CONFIG_KEY = 'routing';
const ROUND_ROBIN_KEY = 'routing_round_robin';

export interface AllocatorDeps {
  presence: { listAvailableAgents(): Promise<string[]> };
  conversations: { countOpenByAgent(uids: readonly string[]): Promise<Map<string, number>> };
  agents: {
    findAgent(uid: string): Promise<Agent | null>;
    noteAssigned(uid: string, at: Date): Promise<void>;
  };
  settings: {
    findSetting(key: string): Promise<Record<string, unknown> | null>;
    saveSetting(key: string, value: Record<string, unknown>): Promise<void>;
  };
  seats: Seats;
  logger: Logger;
  random?: () => number;
}

/**
 * Chooses the agent for a conversation: the online agents (status online) below their reception limit,
 * ranked by the configured allocation mode, each tried in turn for a free seat. The configuration is
 * read on every allocation, so an admin's change applies at once on every instance.
 */
export class Allocator {
  constructor(private readonly deps: AllocatorDeps) {}

  async config(): Promise<RoutingConfig> {
    const stored = await this.deps.settings.findSetting(CONFIG_KEY);
    const mode = stored?.['mode'];
    const tags = stored?.['queue_first_tags'];
    return {
      mode: (ALLOCATION_MODES as readonly unknown[]).includes(mode)
        ? (mode as AllocationMode)
        : DEFAULT_ROUTING.mode,
      queueFirstTags: Array.isArray(tags) ? tags.filter((t): t is string => typeof t === 'string') : [],
    };
  }

  async saveConfig(config: RoutingConfig): Promise<void> {
    await this.deps.settings.saveSetting(CONFIG_KEY, {
      mode: config.mode,
      queue_first_tags: config.queueFirstTags,
    });
  }

  /** Seats (reception limits) of the agents who can take chats now, for queue wait estimates. */
  async onlineCapacity(): Promise<number> {
    const available = await this.deps.presence.listAvailableAgents();
    const found = await Promise.all(available.map((uid) => this.deps.agents.findAgent(uid)));
    return found.reduce((sum, a) => sum + (a && !a.disabled ? Math.max(0, a.maxConcurrent) : 0), 0);
  }

  /** Seats the conversation with an agent; null when no online agent has a free seat. */
  async seat(conversationId: string, now = new Date()): Promise<{ agentUid: string; seat: number } | null> {
    const { presence, conversations, agents, seats } = this.deps;
    const available = await presence.listAvailableAgents();
    if (available.length === 0) return null;
    const [{ mode }, load, found] = await Promise.all([
      this.config(),
      conversations.countOpenByAgent(available),
      Promise.all(available.map((uid) => agents.findAgent(uid))),
    ]);
    const candidates = found
      .filter((a): a is Agent => a !== null && !a.disabled && a.maxConcurrent > 0)
      .map((a) => ({
        uid: a.uid,
        open: load.get(a.uid) ?? 0,
        limit: a.maxConcurrent,
        createdAt: a.createdAt,
        lastAssignedAt: a.lastAssignedAt,
      }));
    const roundRobin = mode === 'round_robin' ? await this.roundRobinMark() : null;
    const ranked = rankCandidates(mode, candidates, {
      roundRobin,
      ...(this.deps.random ? { random: this.deps.random } : {}),
    });
    for (const c of ranked) {
      const seat = await seats.take(c.uid, c.limit, conversationId, c.open, now);
      if (seat === null) continue;
      return { agentUid: c.uid, seat };
    }
    return null;
  }

  /**
   * After an assignment: where round-robin continues, and the agent's last assignment (longest-idle).
   * Best effort — the assignment stands either way; a lost update only shifts whose turn is next.
   */
  async assigned(agentUid: string, at: Date): Promise<void> {
    try {
      const agent = await this.deps.agents.findAgent(agentUid);
      await Promise.all([
        this.deps.agents.noteAssigned(agentUid, at),
        agent
          ? this.deps.settings.saveSetting(ROUND_ROBIN_KEY, {
              uid: agentUid,
              created_at_ms: agent.createdAt.getTime(),
            })
          : undefined,
      ]);
    } catch (err) {
      this.deps.logger.warn(
        { err, agentUid },
        'could not record the assignment for round-robin / longest-idle',
      );
    }
  }

  private async roundRobinMark(): Promise<RoundRobinMark | null> {
    const stored = await this.deps.settings.findSetting(ROUND_ROBIN_KEY);
    const uid = stored?.['uid'];
    const createdAtMs = stored?.['created_at_ms'];
    return typeof uid === 'string' && typeof createdAtMs === 'number' ? { uid, createdAtMs } : null;
  }
}
