import type Router from '@koa/router';
import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { MallAdapter } from './integration/mall/types.js';
import { customerRoutes } from './port/http/customer-routes.js';
import { dashboardRoutes } from './port/http/dashboard-routes.js';
import { quickReplyRoutes } from './port/http/quick-reply-routes.js';
import { DashboardRepository } from './repository/dashboard-repository.js';
import { QuickReplyRepository } from './repository/quick-reply-repository.js';
import { workbenchRoutes } from './port/http/workbench-routes.js';
import { AuditLogRepository } from './repository/audit-log-repository.js';
import { CustomerRepository } from './repository/customer-repository.js';
import type { AgentRepository } from './repository/agent-repository.js';
import { PresenceRepository } from './repository/message-repository.js';
import type { Core } from './core.js';
import { SettingRepository } from './repository/setting-repository.js';
import { WorkbenchRepository } from './repository/workbench-repository.js';
import type { ScopeResolver } from './port/access/scope-resolver.js';
import type { TokenService } from './service/auth/tokens.js';
import type { Publisher } from './service/messaging/publisher.js';
import { CustomerPanelService } from './service/workbench/customer-panel.js';
import { DashboardService } from './service/workbench/dashboard.js';
import { QuickReplyService } from './service/workbench/quick-replies.js';
import { AgentPermissions, maskingPublisher } from './service/workbench/agent-permissions.js';
import { SummaryService } from './service/workbench/summary-service.js';
import { WorkbenchService } from './service/workbench/workbench-service.js';

/**
 * The agent workbench's part of the composition root (kept out of server.ts): agents' permissions (the
 * publisher masks by them) and the workbench's HTTP routes over the core services (core.ts).
 */
export function createWorkbenchParts(
  db: Connection,
  deps: {
    agents: AgentRepository;
    roles: { permissionsOf(role: 'agent' | 'supervisor' | 'admin'): Promise<readonly string[]> };
    mall: MallAdapter;
    mallLinks: Config['mallLinks'];
  },
) {
  const repository = new WorkbenchRepository(db);
  const settings = new SettingRepository(db);
  const auditLog = new AuditLogRepository(db);
  const customers = new CustomerRepository(db);
  const quickReplies = new QuickReplyRepository(db);
  const dashboard = new DashboardRepository(db);
  const permissions = new AgentPermissions({
    findAgent: (uid) => deps.agents.findAgent(uid),
    permissionsOf: (role) => deps.roles.permissionsOf(role as 'agent' | 'supervisor' | 'admin'),
  });
  function routers(r: { tokens: TokenService; scopes: ScopeResolver; core: Core }): Router[] {
    const workbench = new WorkbenchService(repository);
    const presence = new PresenceRepository(db);
    return [
      workbenchRoutes({
        tokens: r.tokens,
        scopes: r.scopes,
        agents: deps.agents,
        repository,
        workbench,
        transfers: r.core.transfers,
        summaries: new SummaryService({
          settings,
          workbench: repository,
          conversationService: r.core.service,
        }),
      }),
      customerRoutes({
        tokens: r.tokens,
        scopes: r.scopes,
        workbench,
        visibleOf: (uid, cond) => repository.listCustomerConversations(uid, undefined, 20, cond),
        panel: new CustomerPanelService({
          customers,
          workbench: repository,
          auditLog,
          mall: deps.mall,
          links: deps.mallLinks,
        }),
      }),
      quickReplyRoutes({ tokens: r.tokens, quickReplies: new QuickReplyService(quickReplies) }),
      dashboardRoutes({
        tokens: r.tokens,
        scopes: r.scopes,
        agents: deps.agents,
        auditLog,
        dashboard: new DashboardService({
          repository: dashboard,
          settings,
          onlineAgents: async () => (await presence.listAvailableAgents()).length,
        }),
      }),
    ];
  }

  return {
    permissions,
    /** Every envelope to an agent without pii:view gets customers' names masked. */
    publisher: (inner: Publisher): Publisher => maskingPublisher(inner, permissions),
    routers,
  };
}
