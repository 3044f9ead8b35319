import { ValidationError } from '../../errors.js';
import type { RolePermissionsRepository } from '../../repository/role-permissions-repository.js';
import {
  AGENT_ROLES,
  PERMISSIONS,
  ROLE_PERMISSIONS,
  type AgentRole,
  type Permission,
} from './permissions.js';

/** Stored sets are read at most this long after they were last read (per instance). */
const CACHE_MS = 5_000;

export interface RoleGrant {
  role: AgentRole;
  perms: Permission[];
}

function isPermission(p: string): p is Permission {
  return (PERMISSIONS as readonly string[]).includes(p);
}

/**
 * The permission set of each agent role: the built-in defaults (permissions.ts) unless an admin changed
 * them (stored in `settings`). Read when a session is issued or refreshed, so a change applies within
 * one access-token lifetime; the short cache keeps sign-in bursts from reading the document each time.
 */
export class RolePermissionService {
  private cache: { at: number; roles: Map<AgentRole, Permission[]> } | undefined;

  constructor(private readonly repository: RolePermissionsRepository) {}

  async permissionsOf(role: AgentRole): Promise<Permission[]> {
    const roles = await this.load();
    return [...(roles.get(role) ?? ROLE_PERMISSIONS[role])];
  }

  async listRoles(): Promise<RoleGrant[]> {
    const roles = await this.load();
    return AGENT_ROLES.map((role) => ({ role, perms: [...(roles.get(role) ?? ROLE_PERMISSIONS[role])] }));
  }

  /** Replaces a role's set; `admin` always keeps `config` (otherwise nobody could undo the change). */
  async setPermissions(role: AgentRole, perms: readonly string[]): Promise<RoleGrant> {
    const unknown = perms.filter((p) => !isPermission(p));
    if (unknown.length) throw new ValidationError(`Unknown permission: ${unknown.join(', ')}`);
    const set = new Set(perms.filter(isPermission));
    if (role === 'admin') set.add('config');
    // Stored in the canonical order so answers and tokens are stable.
    const ordered = PERMISSIONS.filter((p) => set.has(p));
    await this.repository.saveRolePermissions(role, ordered);
    this.cache = undefined;
    return { role, perms: ordered };
  }

  private async load(): Promise<Map<AgentRole, Permission[]>> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < CACHE_MS) return this.cache.roles;
    const stored = await this.repository.findRolePermissions();
    const roles = new Map<AgentRole, Permission[]>();
    for (const role of AGENT_ROLES) {
      const perms = stored.get(role);
      // Names no longer known (a permission removed in a later version) are dropped, not granted.
      if (perms) roles.set(role, perms.filter(isPermission));
    }
    this.cache = { at: now, roles };
    return roles;
  }
}
