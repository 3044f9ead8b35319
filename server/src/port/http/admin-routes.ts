import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { Agent } from '../../repository/agent-repository.js';
import type { AgentAdminService } from '../../service/admin/agent-admin.js';
import type { Actor } from '../../service/admin/actor.js';
import type { GroupAdminService, GroupWithMembers } from '../../service/admin/group-admin.js';
import type { RoleAdminService } from '../../service/admin/role-admin.js';
import { AGENT_ROLES, PERMISSIONS } from '../../service/auth/permissions.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { principalOf, requireAgent, requireAuth } from './auth.js';
import type { RoutingAdminService } from '../../service/admin/routing-admin.js';
import { ALLOCATION_MODES } from '../../service/routing/allocation.js';
import type { RoutingConfig } from '../../service/routing/allocator.js';
import { parseBody } from './validate.js';

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
const routingSchema = z.strictObject({
  mode: z.enum(ALLOCATION_MODES),
  queue_first_tags: z.array(text(20)).max(20).default([]),
});
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
const createGroupSchema = z.strictObject({ name: text(64), description: z.string().max(500).optional() });
const patchGroupSchema = z
  .strictObject({ name: text(64).optional(), description: z.string().max(500).optional() })
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
  };
}

function actorOf(ctx: Context): Actor {
  return { uid: principalOf(ctx).uid, ip: ctx.ip };
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
    ctx.body = groupBody(await deps.groups.createGroup(actorOf(ctx), b));
  });
  router.patch('/groups/:id', auth, config, async (ctx) => {
    const b = parseBody(ctx, patchGroupSchema);
    ctx.body = groupBody(await deps.groups.updateGroup(actorOf(ctx), param(ctx, 'id'), b));
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
    ctx.body = routingBody(
      await deps.routing.set(actorOf(ctx), { mode: b.mode, queueFirstTags: b.queue_first_tags }),
    );
  });

  return router;
}

function routingBody(c: RoutingConfig) {
  return { mode: c.mode, queue_first_tags: c.queueFirstTags };
}
