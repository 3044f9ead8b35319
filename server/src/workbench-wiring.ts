import type Router from '@koa/router';
import type { Connection } from 'mongoose';
import { UnavailableError } from './errors.js';
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
import { GroupRepository } from './repository/group-repository.js';
import type { AgentRepository } from './repository/agent-repository.js';
import type { ConversationRepository } from './repository/conversation-repository.js';
import type { PresenceRepository } from './repository/message-repository.js';
import { SettingRepository } from './repository/setting-repository.js';
import { WorkbenchRepository } from './repository/workbench-repository.js';
import type { ScopeResolver } from './port/access/scope-resolver.js';
import type { TokenService } from './service/auth/tokens.js';
import type { ConversationService } from './service/messaging/conversation-service.js';
import type { Publisher } from './service/messaging/publisher.js';
import { ConversationActivity } from './service/workbench/activity.js';
import { CustomerPanelService } from './service/workbench/customer-panel.js';
import { DashboardService } from './service/workbench/dashboard.js';
import { QuickReplyService } from './service/workbench/quick-replies.js';
import { AgentPermissions, maskingPublisher } from './service/workbench/agent-permissions.js';
import { SummaryService } from './service/workbench/summary-service.js';
import { TransferService } from './service/workbench/transfer.js';
import type { RouteTarget } from './service/routing/settings.js';
import type { Allocator } from './service/routing/allocator.js';
import { WorkbenchService } from './service/workbench/workbench-service.js';

/**
 * The agent workbench's part of the composition root (kept out of server.ts). Its HTTP routes exist before
 * the broker connection does; the messaging services they use are handed over with `attach` once built.
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
  const late: { conversations?: ConversationService; publisher?: Publisher; transfers?: TransferService } =
    {};
  const conversationService = (): ConversationService => {
    if (!late.conversations) throw new UnavailableError('The server is starting; retry');
    return late.conversations;
  };
  const publisher = (): Publisher => {
    if (!late.publisher) throw new UnavailableError('The server is starting; retry');
    return late.publisher;
  };

  function routers(r: {
    tokens: TokenService;
    scopes: ScopeResolver;
    conversations: ConversationRepository;
    presence: PresenceRepository;
    allocator: Allocator;
  }): Router[] {
    const workbench = new WorkbenchService(repository);
    const transfers = new TransferService({
      workbench: repository,
      conversations: r.conversations,
      presence: r.presence,
      allocator: r.allocator,
      agents: deps.agents,
      groups: new GroupRepository(db),
      conversationService,
      publisher,
    });
    late.transfers = transfers;
    return [
      workbenchRoutes({
        tokens: r.tokens,
        scopes: r.scopes,
        agents: deps.agents,
        repository,
        workbench,
        transfers,
        summaries: new SummaryService({ settings, workbench: repository, conversationService }),
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
          onlineAgents: async () => (await r.presence.listAvailableAgents()).length,
        }),
      }),
    ];
  }

  return {
    permissions,
    activity: new ConversationActivity(repository),
    /** Every envelope to an agent without pii:view gets customers' names masked. */
    publisher: (inner: Publisher): Publisher => maskingPublisher(inner, permissions),
    routers,
    /** The automatic transfer of the routing timeouts (the transfer service the routers use). */
    reassign(conversationId: string, from: string, route: RouteTarget): Promise<string | null> {
      if (!late.transfers) return Promise.resolve(null);
      return late.transfers.reassign(conversationId, from, route);
    },
    attach(parts: { conversations: ConversationService; publisher: Publisher }): void {
      late.conversations = parts.conversations;
      late.publisher = parts.publisher;
    },
  };
}
