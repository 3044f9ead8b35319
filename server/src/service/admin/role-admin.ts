import { ConflictError } from '../../errors.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import type { AgentRole } from '../auth/permissions.js';
import type { RoleGrant, RolePermissionService } from '../auth/role-permissions.js';
import { audit, type Actor } from './actor.js';

export interface RoleAdminDeps {
  agents: AgentRepository;
  roles: RolePermissionService;
  auditLog: AuditLogRepository;
  /** The role's set changed: its agents' open consoles learn it at once. */
  onRoleChange?: (role: AgentRole) => Promise<void>;
}

/** Role → permission sets as an admin edits them; applied to the next request of every agent of the role. */
export class RoleAdminService {
  constructor(private readonly deps: RoleAdminDeps) {}

  listRoles(): Promise<RoleGrant[]> {
    return this.deps.roles.listRoles();
  }

  async setRole(actor: Actor, role: AgentRole, perms: readonly string[]): Promise<RoleGrant> {
    // A supervisor given `config` must not take it away from their own role (admin keeps it anyway).
    const self = await this.deps.agents.findAgent(actor.uid);
    if (self?.role === role && role !== 'admin' && !perms.includes('config')) {
      throw new ConflictError(`You cannot remove config from your own role (${role})`);
    }
    const grant = await this.deps.roles.setPermissions(role, perms);
    await this.deps.onRoleChange?.(role);
    await audit(
      this.deps.auditLog,
      actor,
      'admin.role.update',
      { type: 'role', id: role },
      {
        perms: grant.perms.join(' '),
      },
    );
    return grant;
  }
}
