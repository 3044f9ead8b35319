import type { Agent } from '../../repository/agent-repository.js';
import type { Group } from '../../repository/group-repository.js';
import { Cached } from './cached.js';
import type { LastAssignments, TimedMark } from './last-assignments.js';
import { routingFromStored, routingToStored, type RoutingConfig } from './settings.js';

const CONFIG_KEY = 'routing';

/** How long an instance reuses what it read: agents, groups, the routing setting. */
export const ROUTING_CACHE_MS = 1_000;

/** How long an instance reuses who is online (cleared when this instance records a presence change). */
export const PRESENCE_CACHE_MS = 250;

export interface RoutingCacheDeps {
  presence: { listAvailableAgents(): Promise<string[]> };
  agents: { listAgents(): Promise<Agent[]> };
  groups: { listGroups(): Promise<Group[]> };
  settings: {
    findSetting(key: string): Promise<Record<string, unknown> | null>;
    saveSetting(key: string, value: Record<string, unknown>): Promise<void>;
  };
}

/** The routing setting with the stored last assignments, read together. */
export interface StoredRouting {
  config: RoutingConfig;
  roundRobin: TimedMark | null;
  lastAssigned: Map<string, Date>;
}

/**
 * What routing reads besides the seats, cached per instance: agents (limits, creation times), groups and
 * the routing setting (with the round-robin mark and last-assignment times) for up to ROUTING_CACHE_MS, so
 * an admin's change applies within a second on every instance without a restart; who is online for
 * PRESENCE_CACHE_MS.
 */
export class RoutingCache {
  readonly agents: Cached<Map<string, Agent>>;
  readonly settings: Cached<StoredRouting>;
  readonly available: Cached<string[]>;
  readonly groups: Cached<Map<string, Group>>;

  constructor(
    private readonly deps: RoutingCacheDeps,
    lastAssignments: LastAssignments,
  ) {
    this.agents = new Cached(ROUTING_CACHE_MS, async () => {
      const list = await deps.agents.listAgents();
      return new Map(list.map((a) => [a.uid, a]));
    });
    this.settings = new Cached(ROUTING_CACHE_MS, async () => {
      const [config, roundRobin, lastAssigned] = await Promise.all([
        this.readConfig(),
        lastAssignments.readRoundRobin(),
        lastAssignments.readLastAssigned(),
      ]);
      return { config, roundRobin, lastAssigned };
    });
    this.available = new Cached(PRESENCE_CACHE_MS, () => deps.presence.listAvailableAgents());
    this.groups = new Cached(ROUTING_CACHE_MS, async () => {
      const list = await deps.groups.listGroups();
      return new Map(list.map((g) => [g.id, g]));
    });
  }

  private async readConfig(): Promise<RoutingConfig> {
    return routingFromStored(await this.deps.settings.findSetting(CONFIG_KEY));
  }

  /** Changes the fields given (read afresh first: another instance may have changed others). */
  async saveConfig(changes: Partial<RoutingConfig>): Promise<RoutingConfig> {
    const config = { ...(await this.readConfig()), ...changes };
    await this.deps.settings.saveSetting(CONFIG_KEY, routingToStored(config));
    this.settings.clear();
    return config;
  }

  /** Whether an enabled agent has this uid (an agent created within the last second is read afresh). */
  async agentExists(uid: string): Promise<boolean> {
    let agent = (await this.agents.get()).get(uid);
    if (!agent) {
      this.agents.clear();
      agent = (await this.agents.get()).get(uid);
    }
    return agent !== undefined && !agent.disabled;
  }
}
