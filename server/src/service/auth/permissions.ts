/** Agent roles and what each may do (DESIGN.md §3). Checked in the port layer only. */
export const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const PERMISSIONS = ['chat', 'pii:view', 'monitor', 'stats:view', 'config', 'export'] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<AgentRole, readonly Permission[]> = {
  agent: ['chat'],
  supervisor: ['chat', 'monitor', 'stats:view', 'pii:view'],
  admin: ['chat', 'monitor', 'stats:view', 'pii:view', 'config', 'export'],
};
