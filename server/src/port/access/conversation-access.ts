import type { ScopeCondition } from '../../repository/conversation-scope.js';
import type { AccessClaims } from '../../service/auth/tokens.js';
import type { ConversationAccess } from '../../service/workbench/workbench-service.js';

/**
 * Who sees which conversations (DESIGN.md §3, docs/security.md "Visibility"): an agent sees the chats
 * assigned to them or that they served, the queue of their own skill groups (who waits and how long, no
 * message text), and the earlier conversations of a customer they are serving now; a supervisor
 * (`monitor`) everything in the groups they belong to; an admin all. Applied by the ports alike to lists,
 * previews, details, history, uploads and customer panels.
 */

/** What the rule reads of a conversation. */
export interface ScopedConversation {
  customerUid: string;
  agentUid: string | null;
  status: 'queued' | 'open' | 'closed';
  routeGroupId?: string | undefined;
  /** The queue it waits in: `g:<group>`, `a:<agent>` or `*`. */
  routeKey?: string | undefined;
  transfers?: readonly { from: string; to: string; toGroupId?: string | undefined }[] | undefined;
}

/** `queue`: who waits and how long, never message text. */
export type Access = ConversationAccess;

/** An agent's reach, resolved from their account once per request (scope-resolver.ts). */
export interface AgentScope {
  uid: string;
  /** Admins see every conversation. */
  all: boolean;
  /** The agent's skill groups: their queues are visible. */
  groupIds: readonly string[];
  /** With `monitor`: the groups supervised (the supervisor's own) and their members; empty otherwise. */
  supervisedGroupIds: readonly string[];
  supervisedAgentUids: readonly string[];
}

/** The queues an agent may look into: every agent's, their own, and their groups'. */
export function queueKeysOf(scope: AgentScope): string[] {
  return ['*', `a:${scope.uid}`, ...scope.groupIds.map((g) => `g:${g}`)];
}

function matches(cond: ScopeCondition, c: ScopedConversation): boolean {
  const agents = new Set(cond.agentUids);
  const groups = new Set(cond.groupIds);
  const transfers = c.transfers ?? [];
  return (
    (c.agentUid !== null && agents.has(c.agentUid)) ||
    transfers.some((t) => agents.has(t.from) || agents.has(t.to)) ||
    (c.routeGroupId !== undefined && groups.has(c.routeGroupId)) ||
    transfers.some((t) => t.toGroupId !== undefined && groups.has(t.toGroupId))
  );
}

/**
 * The rule for what the conversation itself shows (the serving-now case needs storage: ScopeResolver).
 * It mirrors `scopeCondition` exactly, so a list never holds a conversation its detail would refuse.
 */
export function conversationAccess(scope: AgentScope, c: ScopedConversation): Access {
  const cond = scopeCondition(scope);
  if (!cond || matches(cond, c)) return 'full';
  if (c.status === 'queued' && cond.queueKeys.includes(c.routeKey ?? '*')) return 'queue';
  return 'none';
}

/** The storage filter of everything `conversationAccess` lets the agent list. */
export function scopeCondition(scope: AgentScope): ScopeCondition | undefined {
  if (scope.all) return undefined;
  return {
    agentUids: [scope.uid, ...scope.supervisedAgentUids],
    groupIds: [...scope.supervisedGroupIds],
    queueKeys: queueKeysOf(scope),
  };
}

/** A customer sees their own conversations, whole. */
export function customerAccess(p: Pick<AccessClaims, 'uid'>, c: ScopedConversation): Access {
  return c.customerUid === p.uid ? 'full' : 'none';
}
