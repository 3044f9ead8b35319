import type { Agent } from '../../repository/agent-repository.js';
import type { Group } from '../../repository/group-repository.js';
import { ALLOCATION_MODES, type AllocationMode } from './allocation.js';
import type { RouteTarget, RoutingConfig } from './settings.js';

/** The agents a target takes in: one agent, a group's members, or everyone. */
export function members(target: RouteTarget, agents: Map<string, Agent>, uids: readonly string[]): Agent[] {
  return uids
    .map((uid) => agents.get(uid))
    .filter(
      (a): a is Agent =>
        a !== undefined &&
        !a.disabled &&
        a.maxConcurrent > 0 &&
        (!target.agentUid || a.uid === target.agentUid) &&
        (!target.groupId || (a.groupIds ?? []).includes(target.groupId)),
    );
}

/** The allocation mode of a target: its group's, else the global one. */
export function modeOf(
  target: RouteTarget,
  config: RoutingConfig,
  groups: Map<string, Group>,
): AllocationMode {
  const own = target.groupId ? groups.get(target.groupId)?.mode : undefined;
  return (ALLOCATION_MODES as readonly unknown[]).includes(own) ? (own as AllocationMode) : config.mode;
}
