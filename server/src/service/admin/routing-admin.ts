import { NotFoundError, ValidationError } from '../../errors.js';
import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import type { BlacklistEntry, RoutingEvent, RoutingRepository } from '../../repository/routing-repository.js';
import type { RoutingEventType } from '../../model/routing.js';
import type { Allocator } from '../routing/allocator.js';
import type { RouteTarget, RoutingConfig } from '../routing/settings.js';
import { audit, type Actor } from './actor.js';

export interface RoutingAdminDeps {
  allocator: Allocator;
  auditLog: AuditLogRepository;
  routing: RoutingRepository;
  groups: { listGroups(): Promise<{ id: string }[]> };
  agents: { listAgents(): Promise<{ uid: string }[]> };
}

/**
 * The routing settings, the blacklist and the routing events as an admin sees them. Every instance reads
 * the settings at its next allocation (cached up to a second): no restart.
 */
export class RoutingAdminService {
  constructor(private readonly deps: RoutingAdminDeps) {}

  get(): Promise<RoutingConfig> {
    return this.deps.allocator.config();
  }

  /** Changes the fields given; rules and the default group must name groups and agents that exist. */
  async set(actor: Actor, changes: Partial<RoutingConfig>): Promise<RoutingConfig> {
    await this.checkTargets(changes);
    const saved = await this.deps.allocator.saveConfig(changes);
    await audit(
      this.deps.auditLog,
      actor,
      'admin.routing.update',
      { type: 'routing', id: 'routing' },
      {
        fields: Object.keys(changes).join(','),
        ...(changes.mode ? { mode: changes.mode } : {}),
        ...(changes.queueFirstTags ? { queue_first_tags: changes.queueFirstTags.join(' ') } : {}),
        ...(changes.receptionMode ? { reception_mode: changes.receptionMode } : {}),
      },
    );
    return saved;
  }

  private async checkTargets(changes: Partial<RoutingConfig>): Promise<void> {
    const targets: [string, RouteTarget][] = (changes.rules ?? []).map((r, i) => [
      `rules.${String(i)}.target`,
      r.target,
    ]);
    if (changes.defaultGroupId) targets.push(['default_group_id', { groupId: changes.defaultGroupId }]);
    if (targets.length === 0) return;
    const [groups, agents] = await Promise.all([
      this.deps.groups.listGroups(),
      this.deps.agents.listAgents(),
    ]);
    for (const [path, t] of targets) {
      if (t.groupId && !groups.some((g) => g.id === t.groupId))
        throw new ValidationError(`${path}: no group ${t.groupId}`);
      if (t.agentUid && !agents.some((a) => a.uid === t.agentUid))
        throw new ValidationError(`${path}: no agent ${t.agentUid}`);
    }
  }

  listBlacklist(): Promise<BlacklistEntry[]> {
    return this.deps.routing.listBlacklist(1000);
  }

  async block(
    actor: Actor,
    input: { customerUid: string; reason: string; expiresAt?: Date | undefined },
  ): Promise<BlacklistEntry> {
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now())
      throw new ValidationError('expires_at must be in the future');
    const entry: BlacklistEntry = { ...input, by: actor.uid, createdAt: new Date() };
    await this.deps.routing.saveBlacklistEntry(entry);
    await audit(
      this.deps.auditLog,
      actor,
      'admin.blacklist.add',
      { type: 'customer', id: input.customerUid },
      { reason: input.reason, ...(input.expiresAt ? { expires_at: input.expiresAt.toISOString() } : {}) },
    );
    return entry;
  }

  async unblock(actor: Actor, customerUid: string): Promise<void> {
    if (!(await this.deps.routing.removeBlacklistEntry(customerUid)))
      throw new NotFoundError(`${customerUid} is not on the blacklist`);
    await audit(
      this.deps.auditLog,
      actor,
      'admin.blacklist.remove',
      { type: 'customer', id: customerUid },
      {},
    );
  }

  listEvents(
    filter: { from?: Date; to?: Date; type?: RoutingEventType; conversationId?: string },
    limit: number,
  ): Promise<RoutingEvent[]> {
    return this.deps.routing.listEvents(filter, limit);
  }
}
