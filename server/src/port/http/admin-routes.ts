import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { Agent } from '../../repository/agent-repository.js';
import type { AgentAdminService } from '../../service/admin/agent-admin.js';
import type { GroupAdminService, GroupWithMembers } from '../../service/admin/group-admin.js';
import type { RoleAdminService } from '../../service/admin/role-admin.js';
import { AGENT_ROLES, PERMISSIONS } from '../../service/auth/permissions.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { actorOf, requireAgent, requireAuth } from './auth.js';
import type { RoutingAdminService } from '../../service/admin/routing-admin.js';
import { ALLOCATION_MODES } from '../../service/routing/allocation.js';
import { TIME_OF_DAY, validTimeZone } from '../../service/routing/business-hours.js';
import {
  MAX_RULES,
  NOTICE_CODES,
  RECEPTION_MODES,
  routingToStored,
  type RouteTarget,
  type RoutingConfig,
} from '../../service/routing/settings.js';
import { OVERFLOW_CONDITIONS } from '../../repository/group-repository.js';
import type { BlacklistEntry, RoutingEvent } from '../../repository/routing-repository.js';
import { ROUTING_EVENT_TYPES } from '../../model/routing.js';
import { parseBody, parseQuery } from './validate.js';

export interface AdminRouteDeps {
  tokens: TokenService;
  agents: AgentAdminService;
  groups: GroupAdminService;
  roles: RoleAdminService;
  routing: RoutingAdminService;
}

const text = (max: number) => z.string().trim().min(1).max(max);
const username = z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, 'must be 3-64 letters, digits, ".", "_" or "-"');
const password = z.string().min(8, 'must be at least 8 characters').max(256);
const email = z.email().max(254);
const role = z.enum(AGENT_ROLES);
const maxConcurrent = z.number().int().min(0).max(1000);
const id = z.string().min(1).max(64);
/** A skill group or one agent (exactly one of them). */
const targetSchema = z
  .strictObject({ group_id: id.optional(), agent_uid: id.optional() })
  .refine(
    (t) => (t.group_id === undefined) !== (t.agent_uid === undefined),
    'name a group_id or an agent_uid',
  );
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
const businessHoursSchema = z.strictObject({
  timezone: z.string().max(64).refine(validTimeZone, 'unknown time zone'),
  windows: z
    .array(
      z.strictObject({
        days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
        start: z.string().regex(TIME_OF_DAY, 'HH:MM'),
        end: z.string().regex(TIME_OF_DAY, 'HH:MM'),
      }),
    )
    .min(1)
    .max(21),
});
const groupRoutingFields = {
  mode: z.enum(ALLOCATION_MODES).nullable().optional(),
  /** 欢迎语 of the group's chats; `{agent}` is the agent's name; null: the global greeting. */
  greeting: z.string().trim().min(1).max(500).nullable().optional(),
  business_hours: businessHoursSchema.nullable().optional(),
  overflow: z
    .array(z.strictObject({ when: z.enum(OVERFLOW_CONDITIONS), to: targetSchema }))
    .max(3)
    .optional(),
};
const blacklistSchema = z.strictObject({
  customer_uid: id,
  reason: z.string().trim().max(200).optional(),
  expires_at: z.iso.datetime().optional(),
});
const eventsQuery = z.strictObject({
  type: z.enum(ROUTING_EVENT_TYPES).optional(),
  conversation_id: id.optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

function toTarget(t: { group_id?: string | undefined; agent_uid?: string | undefined }): RouteTarget {
  return { groupId: t.group_id, agentUid: t.agent_uid };
}

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
const groupIds = z.array(z.string().min(1).max(64)).max(50);

const createAgentSchema = z.strictObject({
  username,
  display_name: text(64),
  password: password.optional(),
  email: email.optional(),
  role,
  max_concurrent: maxConcurrent.optional(),
  group_ids: groupIds.optional(),
});
const patchAgentSchema = z
  .strictObject({
    display_name: text(64).optional(),
    email: email.nullable().optional(),
    role: role.optional(),
    max_concurrent: maxConcurrent.optional(),
    disabled: z.boolean().optional(),
    group_ids: groupIds.optional(),
    password: password.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
const createGroupSchema = z.strictObject({
  name: text(64),
  description: z.string().max(500).optional(),
  ...groupRoutingFields,
});
const patchGroupSchema = z
  .strictObject({
    name: text(64).optional(),
    description: z.string().max(500).optional(),
    ...groupRoutingFields,
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
const roleSchema = z.strictObject({ perms: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length) });

/** The admin wire shape: never the password hash or the SSO subject. */
function agentBody(a: Agent) {
  return {
    uid: a.uid,
    username: a.username,
    display_name: a.displayName,
    email: a.email ?? null,
    role: a.role,
    max_concurrent: a.maxConcurrent,
    disabled: a.disabled,
    group_ids: a.groupIds ?? [],
    created_at: a.createdAt.toISOString(),
  };
}

function groupBody(g: GroupWithMembers) {
  return {
    id: g.id,
    name: g.name,
    description: g.description,
    member_uids: g.memberUids,
    created_at: g.createdAt.toISOString(),
    mode: g.mode ?? null,
    greeting: g.greeting ?? null,
    business_hours: g.businessHours ?? null,
    overflow: (g.overflow ?? []).map((o) => ({
      when: o.when,
      to: o.to.agentUid ? { agent_uid: o.to.agentUid } : { group_id: o.to.groupId ?? '' },
    })),
  };
}

function groupChanges(b: z.infer<typeof patchGroupSchema>) {
  return {
    name: b.name,
    description: b.description,
    mode: b.mode,
    greeting: b.greeting,
    businessHours: b.business_hours,
    overflow: b.overflow?.map((o) => ({ when: o.when, to: toTarget(o.to) })),
  };
}

function blacklistBody(e: BlacklistEntry) {
  return {
    customer_uid: e.customerUid,
    reason: e.reason,
    by: e.by,
    created_at: e.createdAt.toISOString(),
    expires_at: e.expiresAt?.toISOString() ?? null,
  };
}

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

function param(ctx: Context, name: string): string {
  return (ctx.params as Record<string, string>)[name] ?? '';
}

/** docs/console-api.md "Admin": every route needs an agent token with `config`. */
export function adminRoutes(deps: AdminRouteDeps): Router {
  const router = new Router({ prefix: '/api/v1/admin' });
  // Per route, not router.use: other routers serve other /admin paths with other permissions
  // (e.g. audit logs for `monitor`), and router-level middleware would run for their paths too.
  const auth = requireAuth(deps.tokens);
  const config = requireAgent('config');

  router.get('/agents', auth, config, async (ctx) => {
    ctx.body = { agents: (await deps.agents.listAgents()).map(agentBody) };
  });
  router.post('/agents', auth, config, async (ctx) => {
    const b = parseBody(ctx, createAgentSchema);
    const agent = await deps.agents.createAgent(actorOf(ctx), {
      username: b.username,
      displayName: b.display_name,
      password: b.password,
      email: b.email,
      role: b.role,
      maxConcurrent: b.max_concurrent,
      groupIds: b.group_ids,
    });
    ctx.status = 201;
    ctx.body = agentBody(agent);
  });
  router.patch('/agents/:uid', auth, config, async (ctx) => {
    const b = parseBody(ctx, patchAgentSchema);
    const agent = await deps.agents.updateAgent(actorOf(ctx), param(ctx, 'uid'), {
      displayName: b.display_name,
      email: b.email,
      role: b.role,
      maxConcurrent: b.max_concurrent,
      disabled: b.disabled,
      groupIds: b.group_ids,
      password: b.password,
    });
    ctx.body = agentBody(agent);
  });

  router.get('/groups', auth, config, async (ctx) => {
    ctx.body = { groups: (await deps.groups.listGroups()).map(groupBody) };
  });
  router.post('/groups', auth, config, async (ctx) => {
    const b = parseBody(ctx, createGroupSchema);
    ctx.status = 201;
    ctx.body = groupBody(await deps.groups.createGroup(actorOf(ctx), { ...groupChanges(b), name: b.name }));
  });
  router.patch('/groups/:id', auth, config, async (ctx) => {
    const b = parseBody(ctx, patchGroupSchema);
    ctx.body = groupBody(await deps.groups.updateGroup(actorOf(ctx), param(ctx, 'id'), groupChanges(b)));
  });
  router.delete('/groups/:id', auth, config, async (ctx) => {
    await deps.groups.deleteGroup(actorOf(ctx), param(ctx, 'id'));
    ctx.status = 204;
  });

  router.get('/roles', auth, config, async (ctx) => {
    ctx.body = { roles: await deps.roles.listRoles(), permissions: PERMISSIONS };
  });
  router.put('/roles/:role', auth, config, async (ctx) => {
    const parsedRole = role.safeParse(param(ctx, 'role'));
    const b = parseBody(ctx, roleSchema);
    if (!parsedRole.success) throw new NotFoundError(`No role ${param(ctx, 'role')}`);
    ctx.body = await deps.roles.setRole(actorOf(ctx), parsedRole.data, b.perms);
  });

  router.get('/routing', auth, config, async (ctx) => {
    ctx.body = routingBody(await deps.routing.get());
  });
  router.put('/routing', auth, config, async (ctx) => {
    const b = parseBody(ctx, routingSchema);
    ctx.body = routingBody(await deps.routing.set(actorOf(ctx), routingChanges(b)));
  });

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

/** The routing settings in their API (and stored) form. */
function routingBody(c: RoutingConfig) {
  return routingToStored(c);
}
