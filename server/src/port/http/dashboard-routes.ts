import Router from '@koa/router';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import { AGENT_ROLES } from '../../service/auth/permissions.js';
import type { TokenService } from '../../service/auth/tokens.js';
import type { DashboardService } from '../../service/workbench/dashboard.js';
import type { ScopeResolver } from '../access/scope-resolver.js';
import { principalOf, requireAgent, requireAuth } from './auth.js';
import { parseBody, parseQuery } from './validate.js';

const roleParam = z.enum(AGENT_ROLES);
const widgetsBody = z.strictObject({ widgets: z.array(z.string().min(1).max(40)).max(20) });
const auditQuery = z.strictObject({
  action: z
    .string()
    .regex(/^[a-z][a-z0-9_.:-]{0,63}$/, 'must be an action name such as pii.reveal')
    .optional(),
  before: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** The dashboard for the caller, its per-role configuration, and the audit log (docs/console-api.md). */
export function dashboardRoutes(deps: {
  tokens: TokenService;
  agents: AgentRepository;
  dashboard: DashboardService;
  auditLog: AuditLogRepository;
  scopes: ScopeResolver;
}): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.use(requireAuth(deps.tokens));
  const roleOf = (raw: string | undefined) => {
    const parsed = roleParam.safeParse(raw);
    if (!parsed.success) throw new NotFoundError(`Unknown role ${raw ?? ''}`);
    return parsed.data;
  };

  router.get('/agent/dashboard', requireAgent(), async (ctx) => {
    const p = principalOf(ctx);
    const agent = await deps.agents.findAgent(p.uid);
    if (!agent) throw new NotFoundError('Unknown agent');
    ctx.body = { widgets: await deps.dashboard.dashboard(p.uid, agent.role, p.perms.includes('monitor')) };
  });

  router.get('/admin/dashboard/:role', requireAgent('config'), async (ctx) => {
    ctx.body = { widgets: await deps.dashboard.widgetsOf(roleOf(ctx.params['role'])) };
  });

  router.put('/admin/dashboard/:role', requireAgent('config'), async (ctx) => {
    const role = roleOf(ctx.params['role']);
    const body = parseBody(ctx, widgetsBody);
    ctx.body = { widgets: await deps.dashboard.setWidgets(role, body.widgets) };
  });

  router.get('/admin/audit-logs', requireAgent(), async (ctx) => {
    const p = principalOf(ctx);
    if (!p.perms.includes('monitor') && !p.perms.includes('config'))
      throw new ForbiddenError('Missing permission monitor or config');
    const q = parseQuery(ctx, auditQuery);
    // Admins (config) read everything; a supervisor what they and their groups' members did (DESIGN.md §3).
    let actorUids: string[] | undefined;
    if (!p.perms.includes('config')) {
      const scope = await deps.scopes.scopeOf(p);
      if (!scope.all) actorUids = [p.uid, ...scope.supervisedAgentUids];
    }
    const list = await deps.auditLog.listAuditLogs({
      action: q.action,
      before: q.before,
      limit: q.limit + 1,
      actorUids,
    });
    const page = list.slice(0, q.limit);
    ctx.body = {
      audit_logs: page.map((e) => ({
        id: e.id,
        action: e.action,
        actor_uid: e.actorUid,
        target_type: e.targetType,
        target_id: e.targetId,
        details: e.details,
        ip: e.ip ?? null,
        at: e.at.toISOString(),
      })),
      next_before: list.length > q.limit ? (page[page.length - 1]?.at.toISOString() ?? null) : null,
    };
  });

  return router;
}
