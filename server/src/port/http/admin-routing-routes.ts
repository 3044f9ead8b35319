import type Router from '@koa/router';
import { z } from 'zod';
import type { RoutingAdminService } from '../../service/admin/routing-admin.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { ALLOCATION_MODES } from '../../service/routing/allocation.js';
import {
  MAX_RULES,
  NOTICE_CODES,
  RECEPTION_MODES,
  routingToStored,
  type RoutingConfig,
} from '../../service/routing/settings.js';
import { actorOf } from './auth.js';
import { targetSchema, text, toTarget } from './admin-fields.js';
import { adminRouter } from './admin-router.js';
import { parseBody } from './validate.js';

export interface AdminRoutingRouteDeps {
  tokens: TokenService;
  routing: RoutingAdminService;
}

const seconds = z
  .number()
  .int()
  .min(0)
  .max(7 * 86_400);
const remindFirst = (t: { remind_after_s: number }, act: number): boolean =>
  act === 0 || t.remind_after_s === 0 || t.remind_after_s < act;
const closeTimeout = z
  .strictObject({ remind_after_s: seconds, close_after_s: seconds })
  .refine((t) => remindFirst(t, t.close_after_s), 'the reminder must come before the close');
const transferTimeout = z
  .strictObject({ remind_after_s: seconds, transfer_after_s: seconds })
  .refine((t) => remindFirst(t, t.transfer_after_s), 'the reminder must come before the transfer');
const shortList = (max: number, item: z.ZodType<string>) => z.array(item).max(max);
const routingSchema = z
  .strictObject({
    mode: z.enum(ALLOCATION_MODES).optional(),
    queue_first_tags: shortList(20, text(20)).optional(),
    reception_mode: z.enum(RECEPTION_MODES).optional(),
    reception_override: z.boolean().optional(),
    default_group_id: z.string().max(64).optional(),
    return_to_last_agent_minutes: z
      .number()
      .int()
      .min(0)
      .max(30 * 1440)
      .optional(),
    max_queue_length: z.number().int().min(0).max(100_000).optional(),
    rules: z
      .array(
        z.strictObject({
          name: text(64),
          match: z
            .strictObject({
              channels: shortList(20, text(32)).optional(),
              min_level: z.number().int().min(0).max(99).optional(),
              vip: z.boolean().optional(),
              tags: shortList(20, text(20)).optional(),
              regions: shortList(50, text(32)).optional(),
              entry_url_contains: text(256).optional(),
            })
            .refine((m) => Object.keys(m).length > 0, 'a rule needs at least one condition'),
          target: targetSchema,
        }),
      )
      .max(MAX_RULES)
      .optional(),
    queue_timeout: closeTimeout.optional(),
    agent_timeout: transferTimeout.optional(),
    customer_timeout: closeTimeout.optional(),
    texts: z.partialRecord(z.enum(NOTICE_CODES), z.string().trim().max(500)).optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

function routingChanges(b: z.infer<typeof routingSchema>): Partial<RoutingConfig> {
  const c: Partial<RoutingConfig> = {};
  if (b.mode !== undefined) c.mode = b.mode;
  if (b.queue_first_tags !== undefined) c.queueFirstTags = [...new Set(b.queue_first_tags)];
  if (b.reception_mode !== undefined) c.receptionMode = b.reception_mode;
  if (b.reception_override !== undefined) c.receptionOverride = b.reception_override;
  if (b.default_group_id !== undefined) c.defaultGroupId = b.default_group_id;
  if (b.return_to_last_agent_minutes !== undefined)
    c.returnToLastAgentMinutes = b.return_to_last_agent_minutes;
  if (b.max_queue_length !== undefined) c.maxQueueLength = b.max_queue_length;
  if (b.rules !== undefined)
    c.rules = b.rules.map((r) => ({
      name: r.name,
      match: {
        channels: r.match.channels,
        minLevel: r.match.min_level,
        vip: r.match.vip,
        tags: r.match.tags,
        regions: r.match.regions,
        entryUrlContains: r.match.entry_url_contains,
      },
      target: toTarget(r.target),
    }));
  if (b.queue_timeout)
    c.queueTimeout = {
      remindAfterS: b.queue_timeout.remind_after_s,
      actAfterS: b.queue_timeout.close_after_s,
    };
  if (b.agent_timeout)
    c.agentTimeout = {
      remindAfterS: b.agent_timeout.remind_after_s,
      actAfterS: b.agent_timeout.transfer_after_s,
    };
  if (b.customer_timeout)
    c.customerTimeout = {
      remindAfterS: b.customer_timeout.remind_after_s,
      actAfterS: b.customer_timeout.close_after_s,
    };
  if (b.texts !== undefined)
    c.texts = Object.fromEntries(
      Object.entries(b.texts).filter(([, v]) => typeof v === 'string' && v !== ''),
    );
  return c;
}

/** The routing settings in their API (and stored) form. */
function routingBody(c: RoutingConfig) {
  return routingToStored(c);
}

/** docs/console-api.md "Admin", the routing settings (server/README.md "Routing and queue"). */
export function adminRoutingRoutes(deps: AdminRoutingRouteDeps): Router {
  const { router, auth, config } = adminRouter(deps.tokens);

  router.get('/routing', auth, config, async (ctx) => {
    ctx.body = routingBody(await deps.routing.get());
  });
  router.put('/routing', auth, config, async (ctx) => {
    const b = parseBody(ctx, routingSchema);
    ctx.body = routingBody(await deps.routing.set(actorOf(ctx), routingChanges(b)));
  });

  return router;
}
