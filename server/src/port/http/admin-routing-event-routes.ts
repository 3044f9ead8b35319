import type Router from '@koa/router';
import { z } from 'zod';
import { ROUTING_EVENT_TYPES } from '../../model/routing.js';
import type { RoutingEvent } from '../../repository/routing-repository.js';
import type { RoutingAdminService } from '../../service/admin/routing-admin.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { id } from './admin-fields.js';
import { adminRouter } from './admin-router.js';
import { parseQuery } from './validate.js';

export interface AdminRoutingEventRouteDeps {
  tokens: TokenService;
  routing: RoutingAdminService;
}

const eventsQuery = z.strictObject({
  type: z.enum(ROUTING_EVENT_TYPES).optional(),
  conversation_id: id.optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

function eventBody(e: RoutingEvent) {
  return {
    type: e.type,
    conversation_id: e.conversationId,
    customer_uid: e.customerUid,
    channel: e.channel,
    group_id: e.groupId ?? null,
    agent_uid: e.agentUid ?? null,
    from_agent_uid: e.fromAgentUid ?? null,
    priority: e.priority ?? null,
    wait_ms: e.waitMs ?? null,
    reason: e.reason ?? null,
    at: e.at.toISOString(),
  };
}

/** docs/console-api.md "Admin", the routing events: what routing did with each chat, oldest first. */
export function adminRoutingEventRoutes(deps: AdminRoutingEventRouteDeps): Router {
  const { router, auth, config } = adminRouter(deps.tokens);

  router.get('/routing/events', auth, config, async (ctx) => {
    const q = parseQuery(ctx, eventsQuery);
    const events = await deps.routing.listEvents(
      {
        ...(q.type ? { type: q.type } : {}),
        ...(q.conversation_id ? { conversationId: q.conversation_id } : {}),
        ...(q.from ? { from: new Date(q.from) } : {}),
        ...(q.to ? { to: new Date(q.to) } : {}),
      },
      q.limit ?? 200,
    );
    ctx.body = { events: events.map(eventBody) };
  });

  return router;
}
