import type Router from '@koa/router';
import { z } from 'zod';
import { OVERFLOW_CONDITIONS } from '../../repository/group-repository.js';
import type { GroupAdminService, GroupWithMembers } from '../../service/admin/group-admin.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { ALLOCATION_MODES } from '../../service/routing/allocation.js';
import { TIME_OF_DAY, validTimeZone } from '../../service/routing/business-hours.js';
import { actorOf } from './auth.js';
import { targetSchema, text, toTarget } from './admin-fields.js';
import { adminRouter, param } from './admin-router.js';
import { parseBody } from './validate.js';

export interface AdminGroupRouteDeps {
  tokens: TokenService;
  groups: GroupAdminService;
}

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

/** docs/console-api.md "Admin", skill groups with their routing settings: list, create, change, delete. */
export function adminGroupRoutes(deps: AdminGroupRouteDeps): Router {
  const { router, auth, config } = adminRouter(deps.tokens);

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

  return router;
}
