import { ConflictError, NotFoundError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import { isDuplicateKey } from '../../repository/errors.js';
import type { Group, GroupRepository } from '../../repository/group-repository.js';
import { audit, type Actor } from './actor.js';

export interface GroupWithMembers extends Group {
  memberUids: string[];
}

export interface GroupAdminDeps {
  agents: AgentRepository;
  groups: GroupRepository;
  auditLog: AuditLogRepository;
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

  async createGroup(actor: Actor, input: { name: string; description?: string | undefined }) {
    const group: Group = {
      id: `g_${newId()}`,
      name: input.name,
      description: input.description ?? '',
      createdAt: new Date(),
    };
    if (!(await this.deps.groups.createGroup(group))) {
      throw new ConflictError(`A group named ${input.name} exists`);
    }
    await audit(
      this.deps.auditLog,
      actor,
      'admin.group.create',
      { type: 'group', id: group.id },
      {
        name: group.name,
      },
    );
    return { ...group, memberUids: [] };
  }

  async updateGroup(
    actor: Actor,
    id: string,
    changes: { name?: string | undefined; description?: string | undefined },
  ): Promise<GroupWithMembers> {
    let group: Group | null;
    try {
      group = await this.deps.groups.saveGroup(id, changes);
    } catch (err) {
      if (isDuplicateKey(err)) throw new ConflictError(`A group named ${changes.name ?? ''} exists`);
      throw err;
    }
    if (!group) throw new NotFoundError(`No group ${id}`);
    await audit(
      this.deps.auditLog,
      actor,
      'admin.group.update',
      { type: 'group', id },
      {
        fields: Object.keys(changes).join(','),
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
    await audit(this.deps.auditLog, actor, 'admin.group.delete', { type: 'group', id }, { name: group.name });
  }
}
