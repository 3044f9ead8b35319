import type Router from '@koa/router';
import type { Connection } from 'mongoose';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { adminAgentRoutes } from './port/http/admin-agent-routes.js';
import { adminBlacklistRoutes } from './port/http/admin-blacklist-routes.js';
import { adminGroupRoutes } from './port/http/admin-group-routes.js';
import { adminRoleRoutes } from './port/http/admin-role-routes.js';
import { adminRoutingEventRoutes } from './port/http/admin-routing-event-routes.js';
import { adminRoutingRoutes } from './port/http/admin-routing-routes.js';
import type { SessionRouteDeps } from './port/http/session-routes.js';
import { SessionRepository } from './repository/session-repository.js';
import { ssoRoutes } from './port/http/sso-routes.js';
import type { AgentRepository } from './repository/agent-repository.js';
import { AuditLogRepository } from './repository/audit-log-repository.js';
import { GroupRepository } from './repository/group-repository.js';
import type { RoutingRepository } from './repository/routing-repository.js';
import { RolePermissionsRepository } from './repository/role-permissions-repository.js';
import { SsoClaimRepository } from './repository/sso-claim-repository.js';
import { AgentAdminService } from './service/admin/agent-admin.js';
import { GroupAdminService } from './service/admin/group-admin.js';
import { RoleAdminService } from './service/admin/role-admin.js';
import { RoutingAdminService } from './service/admin/routing-admin.js';
import type { Allocator } from './service/routing/allocator.js';
import type { AuthService } from './service/auth/auth-service.js';
import { RolePermissionService } from './service/auth/role-permissions.js';
import type { AccessNotifier } from './service/auth/access-notifier.js';
import type { TokenService } from './service/auth/tokens.js';
import { SsoService } from './service/sso/sso-service.js';

/**
 * The sign-in (SSO) and admin parts of the composition root, kept out of server.ts. Created before
 * `syncIndexes` so their models' indexes exist; routers are built once the auth service exists.
 */
export function createAdminParts(db: Connection, config: Config, logger: Logger) {
  const roles = new RolePermissionService(new RolePermissionsRepository(db));
  const groups = new GroupRepository(db);
  const claims = new SsoClaimRepository(db);
  const auditLog = new AuditLogRepository(db);

  function routers(deps: {
    agents: AgentRepository;
    auth: AuthService;
    tokens: TokenService;
    session: Pick<SessionRouteDeps, 'topics' | 'mqttUrlFor'>;
    allocator: Allocator;
    routing: RoutingRepository;
    /** Agents' limits, groups or accounts changed: drop routing caches, sweep the queue. */
    capacityChanged: () => void;
    /** Makes access changes take effect at once (service/auth/access-notifier.ts). */
    access: AccessNotifier;
  }): Router[] {
    const { agents, auth, tokens } = deps;
    // One service behind the routing settings, the blacklist and the routing events.
    const routing = new RoutingAdminService({
      allocator: deps.allocator,
      auditLog,
      routing: deps.routing,
      groups,
      agents,
    });
    const sso = config.oidc
      ? new SsoService({ config: config.oidc, agents, claims, auth, logger })
      : undefined;
    return [
      ssoRoutes({
        ...deps.session,
        sso,
        requestsPerIpPerMinute: config.auth.sessionRequestsPerIpPerMinute,
      }),
      adminAgentRoutes({
        tokens,
        agents: new AgentAdminService({
          agents,
          groups,
          roles,
          auditLog,
          sessions: new SessionRepository(db),
          onCapacityChange: deps.capacityChanged,
          onSessionsEnded: (uid) => deps.access.sessionsEnded(uid),
          onRoleChange: (uid) => deps.access.roleChanged(uid),
        }),
      }),
      adminGroupRoutes({
        tokens,
        groups: new GroupAdminService({ agents, groups, auditLog, onChange: deps.capacityChanged }),
      }),
      adminRoleRoutes({
        tokens,
        roles: new RoleAdminService({
          agents,
          roles,
          auditLog,
          onRoleChange: (role) => deps.access.rolePermissionsChanged(role),
        }),
      }),
      adminRoutingRoutes({ tokens, routing }),
      adminBlacklistRoutes({ tokens, routing }),
      adminRoutingEventRoutes({ tokens, routing }),
    ];
  }

  return { roles, routers };
}
