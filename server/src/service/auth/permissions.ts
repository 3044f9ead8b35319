/** Agent roles and what each may do (DESIGN.md §3). Checked in the port layer only. */
export const AGENT_ROLES = ['agent', 'supervisor', 'admin'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/**
 * `points:view`: a customer's points balance, apart from name and phone (`pii:view`) — points are what
 * customers ask about most, so agents see them by default.
 */
export const PERMISSIONS = [
  'chat',
  'pii:view',
  'points:view',
  'monitor',
  'stats:view',
  'config',
  'export',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Record<AgentRole, readonly Permission[]> = {
  agent: ['chat', 'points:view'],
  supervisor: ['chat', 'monitor', 'stats:view', 'pii:view', 'points:view'],
  admin: ['chat', 'monitor', 'stats:view', 'pii:view', 'points:view', 'config', 'export'],
};
