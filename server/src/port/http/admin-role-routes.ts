import type Router from '@koa/router';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { RoleAdminService } from '../../service/admin/role-admin.js';
import { PERMISSIONS } from '../../service/auth/permissions.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { actorOf } from './auth.js';
import { agentRole } from './admin-fields.js';
import { adminRouter, param } from './admin-router.js';
import { parseBody } from './validate.js';

export interface AdminRoleRouteDeps {
  tokens: TokenService;
  roles: RoleAdminService;
}

const roleSchema = z.strictObject({ perms: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length) });

/** docs/console-api.md "Admin", roles: each role's permission set. */
export function adminRoleRoutes(deps: AdminRoleRouteDeps): Router {
  const { router, auth, config } = adminRouter(deps.tokens);

  router.get('/roles', auth, config, async (ctx) => {
    ctx.body = { roles: await deps.roles.listRoles(), permissions: PERMISSIONS };
  });
  router.put('/roles/:role', auth, config, async (ctx) => {
    const parsedRole = agentRole.safeParse(param(ctx, 'role'));
    const b = parseBody(ctx, roleSchema);
    if (!parsedRole.success) throw new NotFoundError(`No role ${param(ctx, 'role')}`);
    ctx.body = await deps.roles.setRole(actorOf(ctx), parsedRole.data, b.perms);
  });

  return router;
}
