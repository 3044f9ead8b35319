import { z } from 'zod';
import { AGENT_ROLES } from '../../service/auth/permissions.js';
import type { RouteTarget } from '../../service/routing/settings.js';

/** Field schemas shared by the admin routers. */
export const text = (max: number) => z.string().trim().min(1).max(max);
export const id = z.string().min(1).max(64);
/** An agent role (agent, supervisor, admin). */
export const agentRole = z.enum(AGENT_ROLES);

/** A skill group or one agent (exactly one of them). */
export const targetSchema = z
  .strictObject({ group_id: id.optional(), agent_uid: id.optional() })
  .refine(
    (t) => (t.group_id === undefined) !== (t.agent_uid === undefined),
    'name a group_id or an agent_uid',
  );

export function toTarget(t: { group_id?: string | undefined; agent_uid?: string | undefined }): RouteTarget {
  return { groupId: t.group_id, agentUid: t.agent_uid };
}
