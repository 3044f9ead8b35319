import type { ScopeCondition } from '../../repository/conversation-scope.js';
import type { AccessClaims } from '../../service/auth/tokens.js';
import type { Viewer } from '../../service/workbench/workbench-service.js';
import {
  conversationAccess,
  customerAccess,
  scopeCondition,
  type Access,
  type AgentScope,
  type ScopedConversation,
} from './conversation-access.js';

export interface ScopeSources {
  findAgent(uid: string): Promise<{ role: string; groupIds?: string[] | undefined } | null>;
  /** Enabled or not: a disabled member's chats stay visible to their supervisor. */
  memberUidsOf(groupIds: readonly string[]): Promise<string[]>;
  /** The agent has an open conversation with this customer now. */
  isServing(agentUid: string, customerUid: string): Promise<boolean>;
}

/** Group memberships change rarely; a few seconds of staleness per instance is fine for a view rule. */
const CACHE_MS = 5_000;

/** Resolves an agent's reach from their account and answers the visibility rule for a principal. */
export class ScopeResolver {
  private readonly cache = new Map<string, { at: number; scope: Promise<AgentScope> }>();

  constructor(
    private readonly sources: ScopeSources,
    private readonly cacheMs = CACHE_MS,
  ) {}

  /** The agent's scope; `perms` are the caller's current permissions. */
  scopeOf(p: Pick<AccessClaims, 'uid' | 'perms'>): Promise<AgentScope> {
    const key = `${p.uid}|${p.perms.includes('monitor') ? 'm' : ''}`;
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.cacheMs) return hit.scope;
    if (this.cache.size > 10_000) this.cache.clear();
    const scope = this.load(p.uid, p.perms.includes('monitor'));
    this.cache.set(key, { at: now, scope });
    scope.catch(() => this.cache.delete(key));
    return scope;
  }

  /** The storage filter for the caller's lists; undefined = everything (admins). */
  async condition(p: AccessClaims): Promise<ScopeCondition | undefined> {
    return scopeCondition(await this.scopeOf(p));
  }

  /** The workbench's view of the caller: their list scope and the rule for single conversations. */
  async viewer(p: AccessClaims): Promise<Viewer> {
    return {
      uid: p.uid,
      perms: p.perms,
      scope: await this.condition(p),
      access: (c) => this.access(p, c),
    };
  }

  /** What the caller may see of one conversation. */
  async access(p: AccessClaims, c: ScopedConversation): Promise<Access> {
    if (p.role === 'customer') return customerAccess(p, c);
    const access = conversationAccess(await this.scopeOf(p), c);
    // The customer's earlier conversations, while the agent serves them (a customer has one open chat,
    // so a queued conversation never has such a sibling).
    if (access !== 'full' && c.status !== 'queued' && (await this.sources.isServing(p.uid, c.customerUid)))
      return 'full';
    return access;
  }

  /**
   * Which of a customer's conversations the caller may list: all of them for admins and while serving the
   * customer, else the caller's scope.
   */
  async customerScope(p: AccessClaims, customerUid: string): Promise<ScopeCondition | undefined> {
    const cond = await this.condition(p);
    if (!cond || (await this.sources.isServing(p.uid, customerUid))) return undefined;
    return cond;
  }

  /** Whether the caller may look at a customer at all, and how: the best access to any of their chats. */
  async customerReach(
    p: AccessClaims,
    customerUid: string,
    visibleOf: (cond: ScopeCondition) => Promise<ScopedConversation[]>,
  ): Promise<Access> {
    if (p.role === 'customer') return p.uid === customerUid ? 'full' : 'none';
    const scope = await this.scopeOf(p);
    const cond = scopeCondition(scope);
    if (!cond || (await this.sources.isServing(p.uid, customerUid))) return 'full';
    const seen = (await visibleOf(cond)).map((c) => conversationAccess(scope, c));
    return seen.includes('full') ? 'full' : seen.includes('queue') ? 'queue' : 'none';
  }

  private async load(uid: string, monitor: boolean): Promise<AgentScope> {
    const agent = await this.sources.findAgent(uid);
    const groupIds = agent?.groupIds ?? [];
    const supervisedGroupIds = monitor ? groupIds : [];
    return {
      uid,
      all: agent?.role === 'admin',
      groupIds,
      supervisedGroupIds,
      supervisedAgentUids: supervisedGroupIds.length
        ? (await this.sources.memberUidsOf(supervisedGroupIds)).filter((m) => m !== uid)
        : [],
    };
  }
}
