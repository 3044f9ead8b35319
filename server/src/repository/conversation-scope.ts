/**
 * A visibility rule as a storage filter (port/access/conversation-access.ts builds it): a conversation
 * matches any one condition. One `$or`, so pages and counts are exact.
 */
export interface ScopeCondition {
  /** Assigned to one of these agents, or transferred from/to one of them. */
  agentUids: readonly string[];
  /** Routed, or transferred, to one of these skill groups. */
  groupIds: readonly string[];
  /** Waiting (status queued) in one of these queues: `*`, `a:<agent>`, `g:<group>`. */
  queueKeys: readonly string[];
}

/** The `$or` of a scope; conversations stored before route keys existed wait in `*`. */
export function scopeQuery(cond: ScopeCondition): Record<string, unknown> {
  const agents = [...cond.agentUids];
  const groups = [...cond.groupIds];
  const keys = cond.queueKeys.includes('*') ? [...cond.queueKeys, null] : [...cond.queueKeys];
  return {
    $or: [
      { agent_uid: { $in: agents } },
      { 'transfers.from': { $in: agents } },
      { 'transfers.to': { $in: agents } },
      ...(groups.length
        ? [{ route_group_id: { $in: groups } }, { 'transfers.to_group_id': { $in: groups } }]
        : []),
      { status: 'queued', route_key: { $in: keys } },
    ],
  };
}
