import type Router from '@koa/router';
import { z } from 'zod';
import type { Agent } from '../../repository/agent-repository.js';
import type { AgentAdminService } from '../../service/admin/agent-admin.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { actorOf } from './auth.js';
import { agentRole, text } from './admin-fields.js';
import { adminRouter, param } from './admin-router.js';
import { parseBody } from './validate.js';

export interface AdminAgentRouteDeps {
  tokens: TokenService;
  agents: AgentAdminService;
}

const username = z.string().regex(/^[A-Za-z0-9_.-]{3,64}$/, 'must be 3-64 letters, digits, ".", "_" or "-"');
const password = z.string().min(8, 'must be at least 8 characters').max(256);
const email = z.email().max(254);
const maxConcurrent = z.number().int().min(0).max(1000);
const groupIds = z.array(z.string().min(1).max(64)).max(50);

const createAgentSchema = z.strictObject({
  username,
  display_name: text(64),
  password: password.optional(),
  email: email.optional(),
  role: agentRole,
  max_concurrent: maxConcurrent.optional(),
  group_ids: groupIds.optional(),
});
const patchAgentSchema = z
  .strictObject({
    display_name: text(64).optional(),
    email: email.nullable().optional(),
    role: agentRole.optional(),
    max_concurrent: maxConcurrent.optional(),
    disabled: z.boolean().optional(),
    group_ids: groupIds.optional(),
    password: password.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');

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

/** docs/console-api.md "Admin", agent accounts: list, create, change. */
export function adminAgentRoutes(deps: AdminAgentRouteDeps): Router {
  const { router, auth, config } = adminRouter(deps.tokens);

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

  return router;
}
