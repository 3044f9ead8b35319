import type { Group, OverflowCondition } from '../../repository/group-repository.js';
import type { RouteTarget, RoutingConfig, RoutingRule } from './settings.js';

/**
 * Where a new chat goes (REFERENCE.md §A 客户分配规则), before any agent is chosen. Pure functions: the
 * conversation service supplies the facts and tries the routes in order.
 */

/** What the rules look at: the conversation and the customer as the mall signed them. */
export interface RouteFacts {
  channel: string;
  entryUrl?: string | undefined;
  vip?: boolean | undefined;
  level?: number | undefined;
  tags?: readonly string[] | undefined;
  /** Country, province and city of the customer's address (looked up only when a rule asks). */
  regions: () => readonly string[];
}

export interface Route {
  target: RouteTarget;
  /** Strict: only this target, the chat waits for it. Otherwise the next route is tried when it is full. */
  strict: boolean;
  via: 'designated' | 'last_agent' | 'rule' | 'default';
  /** The rule's name (via = rule). */
  rule?: string | undefined;
}

export function ruleMatches(rule: RoutingRule, facts: RouteFacts): boolean {
  const m = rule.match;
  if (m.channels?.length && !m.channels.includes(facts.channel)) return false;
  if (m.minLevel !== undefined && (facts.level ?? 0) < m.minLevel) return false;
  if (m.vip !== undefined && (facts.vip === true) !== m.vip) return false;
  if (m.tags?.length && !m.tags.some((t) => facts.tags?.includes(t))) return false;
  if (m.entryUrlContains && !(facts.entryUrl ?? '').includes(m.entryUrlContains)) return false;
  if (m.regions?.length) {
    const regions = facts.regions();
    if (!m.regions.some((r) => regions.includes(r))) return false;
  }
  return true;
}

/**
 * The routes to try, in order: the group or agent the embedding code designated (strict: the only
 * route), back to the agent who last served the customer (within the configured window), then the first
 * smart-routing rule that matches, else the default group (or every agent).
 */
export function resolveRoutes(
  config: RoutingConfig,
  facts: RouteFacts,
  designated: { groupId?: string | undefined; agentUid?: string | undefined; strict: boolean },
  lastAgentUid: string | undefined,
): Route[] {
  const routes: Route[] = [];
  if (designated.agentUid || designated.groupId) {
    const target: RouteTarget = designated.agentUid
      ? { agentUid: designated.agentUid }
      : { groupId: designated.groupId };
    routes.push({ target, strict: designated.strict, via: 'designated' });
    if (designated.strict) return routes;
  }
  if (lastAgentUid) routes.push({ target: { agentUid: lastAgentUid }, strict: false, via: 'last_agent' });
  const rule = config.rules.find((r) => ruleMatches(r, facts));
  if (rule) routes.push({ target: rule.target, strict: true, via: 'rule', rule: rule.name });
  else
    routes.push({
      target: config.defaultGroupId ? { groupId: config.defaultGroupId } : {},
      strict: true,
      via: 'default',
    });
  return routes;
}

/** What the overflow conditions look at, for one target. */
export interface TargetState {
  /** Members (or the agent) who take chats now. */
  online: number;
  /** Of them, those below their reception limit. */
  free: number;
  /** Within business hours (agents and "every agent": always). */
  onDuty: boolean;
}

export function meets(condition: OverflowCondition, s: TargetState): boolean {
  if (condition === 'off_duty') return !s.onDuty;
  if (condition === 'none_online') return s.online === 0;
  return s.online > 0 && s.free === 0; // all_busy
}

export const MAX_OVERFLOW_LEVELS = 3;

/**
 * Follows a skill group's overflow chain (溢出): level 1 applies when the group itself meets its
 * condition, level k when the target level k−1 reached meets level k's; at most 3 levels (a 4th does
 * not overflow), and a target already visited ends the chain. Returns the final target and the levels
 * taken.
 */
export async function overflow(
  start: RouteTarget,
  groups: ReadonlyMap<string, Group>,
  state: (target: RouteTarget) => Promise<TargetState>,
): Promise<{ target: RouteTarget; levels: number }> {
  const chain = start.groupId && !start.agentUid ? (groups.get(start.groupId)?.overflow ?? []) : [];
  let target = start;
  let levels = 0;
  const seen = new Set([JSON.stringify(start)]);
  for (const level of chain.slice(0, MAX_OVERFLOW_LEVELS)) {
    if (!meets(level.when, await state(target))) break;
    const key = JSON.stringify(level.to);
    if (seen.has(key)) break;
    seen.add(key);
    target = level.to;
    levels += 1;
  }
  return { target, levels };
}
