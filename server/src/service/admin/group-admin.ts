import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import type {
  Group,
  GroupChanges,
  GroupRepository,
  OverflowLevel,
} from '../../repository/group-repository.js';
import { audit, type Actor } from './actor.js';

export interface GroupWithMembers extends Group {
  memberUids: string[];
}

export interface GroupAdminDeps {
  agents: AgentRepository;
  groups: GroupRepository;
  auditLog: AuditLogRepository;
  /** Routing reads groups from a cache: told at once on this instance (others within a second). */
  onChange?: () => void;
}

/** Skill groups (技能组). Membership lives on the agents (`group_ids`), so it is derived here. */
export class GroupAdminService {
  constructor(private readonly deps: GroupAdminDeps) {}

  async listGroups(): Promise<GroupWithMembers[]> {
    const [groups, agents] = await Promise.all([
      this.deps.groups.listGroups(),
      this.deps.agents.listAgents(),
    ]);
    return groups.map((g) => ({
      ...g,
      memberUids: agents.filter((a) => a.groupIds?.includes(g.id)).map((a) => a.uid),
    }));
  }

  /** Overflow levels must name groups and agents that exist, and not the group itself. */
  private async checkOverflow(groupId: string, overflow: OverflowLevel[] | undefined): Promise<void> {
    if (!overflow?.length) return;
    const [groups, agents] = await Promise.all([
      this.deps.groups.listGroups(),
      this.deps.agents.listAgents(),
    ]);
    for (const [i, level] of overflow.entries()) {
      const { groupId: to, agentUid } = level.to;
      if (to === groupId)
        throw new ValidationError(`overflow.${String(i)}: a group cannot overflow to itself`);
      if (to && !groups.some((g) => g.id === to))
        throw new ValidationError(`overflow.${String(i)}: no group ${to}`);
      if (agentUid && !agents.some((a) => a.uid === agentUid))
        throw new ValidationError(`overflow.${String(i)}: no agent ${agentUid}`);
    }
  }

  async createGroup(actor: Actor, input: GroupChanges & { name: string }) {
    const group: Group = {
      id: `g_${newId()}`,
      name: input.name,
      description: input.description ?? '',
      createdAt: new Date(),
    };
    await this.checkOverflow(group.id, input.overflow);
    if (!(await this.deps.groups.createGroup(group))) {
      throw new ConflictError(`A group named ${input.name} exists`);
    }
    const routing = {
      mode: input.mode,
      businessHours: input.businessHours,
      overflow: input.overflow,
      greeting: input.greeting,
    };
    const saved =
      routing.mode || routing.businessHours || routing.overflow || routing.greeting
        ? (await this.deps.groups.saveGroup(group.id, routing)) || group
        : group;
    this.deps.onChange?.();
    await audit(
      this.deps.auditLog,
      actor,
      'admin.group.create',
      { type: 'group', id: group.id },
      {
        name: group.name,
      },
    );
    return { ...saved, memberUids: [] };
  }

  async updateGroup(actor: Actor, id: string, changes: GroupChanges): Promise<GroupWithMembers> {
    await this.checkOverflow(id, changes.overflow);
    const group = await this.deps.groups.saveGroup(id, changes);
    if (group === false) throw new ConflictError(`A group named ${changes.name ?? ''} exists`);
    if (!group) throw new NotFoundError(`No group ${id}`);
    this.deps.onChange?.();
    await audit(
      this.deps.auditLog,
      actor,
      'admin.group.update',
      { type: 'group', id },
      {
        fields: Object.entries(changes)
          .filter(([, v]) => v !== undefined)
          .map(([k]) => k)
          .join(','),
        ...(changes.name === undefined ? {} : { name: changes.name }),
      },
    );
    const members = await this.deps.agents.listAgentsInGroup(id);
    return { ...group, memberUids: members.map((a) => a.uid) };
  }

  /** Members keep their accounts; the group id is taken out of their group_ids. */
  async deleteGroup(actor: Actor, id: string): Promise<void> {
    const group = await this.deps.groups.findGroup(id);
    if (!group || !(await this.deps.groups.removeGroup(id))) throw new NotFoundError(`No group ${id}`);
    await this.deps.agents.removeGroupFromAgents(id);
    this.deps.onChange?.();
    await audit(this.deps.auditLog, actor, 'admin.group.delete', { type: 'group', id }, { name: group.name });
  }
}
