import { randomBytes } from 'node:crypto';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import type { Agent, AgentChanges, AgentRepository } from '../../repository/agent-repository.js';
import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import type { GroupRepository } from '../../repository/group-repository.js';
import type { SessionRepository } from '../../repository/session-repository.js';
import { hashPassword } from '../auth/password.js';
import type { AgentRole } from '../auth/permissions.js';
import type { RolePermissionService } from '../auth/role-permissions.js';
import { audit, type Actor } from './actor.js';

export interface NewAgent {
  username: string;
  displayName: string;
  password?: string | undefined;
  email?: string | undefined;
  role: AgentRole;
  maxConcurrent?: number | undefined;
  groupIds?: string[] | undefined;
}

export interface AgentPatch {
  displayName?: string | undefined;
  email?: string | null | undefined;
  role?: AgentRole | undefined;
  maxConcurrent?: number | undefined;
  disabled?: boolean | undefined;
  groupIds?: string[] | undefined;
  password?: string | undefined;
}

export interface AgentAdminDeps {
  agents: AgentRepository;
  groups: GroupRepository;
  roles: RolePermissionService;
  auditLog: AuditLogRepository;
  sessions: SessionRepository;
  /** A limit, group or account change: routing drops its cached agents and sweeps the queue. */
  onCapacityChange?: () => void;
  /** The agent's sessions ended (new password, disabled): their tokens and connections go too. */
  onSessionsEnded?: (uid: string) => Promise<void>;
  /** The agent's role changed: open consoles learn their new permissions at once. */
  onRoleChange?: (uid: string) => Promise<void>;
}

/** Agent accounts as an admin manages them. Permission checks happened in the port. */
export class AgentAdminService {
  constructor(private readonly deps: AgentAdminDeps) {}

  listAgents(): Promise<Agent[]> {
    return this.deps.agents.listAgents();
  }

  async createAgent(actor: Actor, input: NewAgent): Promise<Agent> {
    const email = input.email?.toLowerCase();
    const groupIds = [...new Set(input.groupIds ?? [])];
    await this.checkGroups(groupIds);
    if (email) await this.checkEmailFree(email);
    const agent: Agent = {
      uid: `a_${randomBytes(8).toString('hex')}`,
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      // No password: the account signs in through SSO only (an empty hash never verifies).
      passwordHash: input.password === undefined ? '' : await hashPassword(input.password),
      maxConcurrent: input.maxConcurrent ?? 10,
      disabled: false,
      createdAt: new Date(),
      email,
      groupIds,
    };
    if (!(await this.deps.agents.createAgent(agent))) {
      throw new ConflictError(`The username ${input.username} is taken`);
    }
    await audit(
      this.deps.auditLog,
      actor,
      'admin.agent.create',
      { type: 'agent', id: agent.uid },
      {
        username: agent.username,
        role: agent.role,
      },
    );
    return agent;
  }

  async updateAgent(actor: Actor, uid: string, patch: AgentPatch): Promise<Agent> {
    const current = await this.deps.agents.findAgent(uid);
    if (!current) throw new NotFoundError(`No agent ${uid}`);
    if (uid === actor.uid) await this.checkNoSelfLockout(patch);
    const email = patch.email === undefined || patch.email === null ? patch.email : patch.email.toLowerCase();
    if (email && email !== current.email) await this.checkEmailFree(email);
    const groupIds = patch.groupIds && [...new Set(patch.groupIds)];
    if (groupIds) await this.checkGroups(groupIds);
    const changes: AgentChanges = {
      displayName: patch.displayName,
      email,
      role: patch.role,
      maxConcurrent: patch.maxConcurrent,
      disabled: patch.disabled,
      groupIds,
      passwordHash: patch.password === undefined ? undefined : await hashPassword(patch.password),
    };
    const updated = await this.deps.agents.saveAgent(uid, changes);
    if (!updated) throw new NotFoundError(`No agent ${uid}`);
    // A new password or a disabled account ends every session at once: their refresh and access tokens stop
    // working, and their MQTT connections are closed (docs/security.md "Sessions").
    const ended = patch.password !== undefined || patch.disabled === true;
    if (ended) {
      await this.deps.sessions.removeSessionsOf(uid);
      await this.deps.onSessionsEnded?.(uid);
    } else if (patch.role !== undefined && patch.role !== current.role) {
      await this.deps.onRoleChange?.(uid);
    }
    if (patch.maxConcurrent !== undefined || groupIds || patch.disabled !== undefined)
      this.deps.onCapacityChange?.();
    // Which fields changed and the new non-secret values; never the password.
    const details: Record<string, string> = {
      fields: Object.keys(patch)
        .filter((k) => patch[k as keyof AgentPatch] !== undefined)
        .join(','),
    };
    if (patch.role) details['role'] = patch.role;
    if (patch.disabled !== undefined) details['disabled'] = String(patch.disabled);
    if (groupIds) details['group_ids'] = groupIds.join(',');
    await audit(this.deps.auditLog, actor, 'admin.agent.update', { type: 'agent', id: uid }, details);
    return updated;
  }

  /** An admin may not disable themself or move to a role without `config`: nobody might be left to undo it. */
  private async checkNoSelfLockout(patch: AgentPatch): Promise<void> {
    if (patch.disabled === true) throw new ConflictError('You cannot disable your own account');
    if (patch.role && !(await this.deps.roles.permissionsOf(patch.role)).includes('config')) {
      throw new ConflictError(`You cannot remove your own config permission (role ${patch.role} lacks it)`);
    }
  }

  private async checkGroups(groupIds: readonly string[]): Promise<void> {
    for (const id of groupIds) {
      if (!(await this.deps.groups.findGroup(id))) throw new ValidationError(`No group ${id}`);
    }
  }

  /** Emails map SSO identities to agents, so two agents may not share one. */
  private async checkEmailFree(email: string): Promise<void> {
    if ((await this.deps.agents.findAgentByEmail(email)).length > 0) {
      throw new ConflictError(`Another agent has the email ${email}`);
    }
  }
}
