import type Router from '@koa/router';
import { z } from 'zod';
import type { BlacklistEntry } from '../../repository/routing-repository.js';
import type { RoutingAdminService } from '../../service/admin/routing-admin.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { actorOf } from './auth.js';
import { id } from './admin-fields.js';
import { adminRouter, param } from './admin-router.js';
import { parseBody } from './validate.js';

export interface AdminBlacklistRouteDeps {
  tokens: TokenService;
  routing: RoutingAdminService;
}

const blacklistSchema = z.strictObject({
  customer_uid: id,
  reason: z.string().trim().max(200).optional(),
  expires_at: z.iso.datetime().optional(),
});

function blacklistBody(e: BlacklistEntry) {
  return {
    customer_uid: e.customerUid,
    reason: e.reason,
    by: e.by,
    created_at: e.createdAt.toISOString(),
    expires_at: e.expiresAt?.toISOString() ?? null,
  };
}

/** docs/console-api.md "Admin", the blacklist: customers refused a chat. */
export function adminBlacklistRoutes(deps: AdminBlacklistRouteDeps): Router {
  const { router, auth, config } = adminRouter(deps.tokens);

  router.get('/blacklist', auth, config, async (ctx) => {
    ctx.body = { entries: (await deps.routing.listBlacklist()).map(blacklistBody) };
  });
  router.post('/blacklist', auth, config, async (ctx) => {
    const b = parseBody(ctx, blacklistSchema);
    ctx.status = 201;
    ctx.body = blacklistBody(
      await deps.routing.block(actorOf(ctx), {
        customerUid: b.customer_uid,
        reason: b.reason ?? '',
        expiresAt: b.expires_at ? new Date(b.expires_at) : undefined,
      }),
    );
  });
  router.delete('/blacklist/:uid', auth, config, async (ctx) => {
    await deps.routing.unblock(actorOf(ctx), param(ctx, 'uid'));
    ctx.status = 204;
  });

  return router;
}
