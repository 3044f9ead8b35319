import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import type { Allocator, RoutingConfig } from '../routing/allocator.js';
import { audit, type Actor } from './actor.js';

/** The routing settings as an admin edits them; every instance reads them at the next allocation. */
export class RoutingAdminService {
  constructor(private readonly deps: { allocator: Allocator; auditLog: AuditLogRepository }) {}

  get(): Promise<RoutingConfig> {
    return this.deps.allocator.config();
  }

  async set(actor: Actor, config: RoutingConfig): Promise<RoutingConfig> {
    const clean: RoutingConfig = { mode: config.mode, queueFirstTags: [...new Set(config.queueFirstTags)] };
    await this.deps.allocator.saveConfig(clean);
    await audit(
      this.deps.auditLog,
      actor,
      'admin.routing.update',
      { type: 'routing', id: 'routing' },
      {
        mode: clean.mode,
        queue_first_tags: clean.queueFirstTags.join(' '),
      },
    );
    return clean;
  }
}
