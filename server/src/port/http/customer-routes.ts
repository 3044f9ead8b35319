import Router from '@koa/router';
import { z } from 'zod';
import type { TokenService } from '../../service/auth/tokens.js';
import { PII_FIELDS, type CustomerPanelService } from '../../service/workbench/customer-panel.js';
import type { WorkbenchService } from '../../service/workbench/workbench-service.js';
import { requireAgent, requireAuth } from './auth.js';
import { parseBody, parseQuery } from './validate.js';
import { viewerOf } from './workbench-routes.js';

const revealBody = z.strictObject({
  fields: z
    .array(z.enum(PII_FIELDS))
    .min(1)
    .max(3)
    .default([...PII_FIELDS]),
});

const pageQuery = z.strictObject({
  before: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s))
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

const uidParam = z.string().min(1).max(80);

/** The customer panel of the workbench (docs/console-api.md): profile, reveal, history, mall. */
export function customerRoutes(deps: {
  tokens: TokenService;
  panel: CustomerPanelService;
  workbench: WorkbenchService;
}): Router {
  const router = new Router({ prefix: '/api/v1/agent/customers' });
  router.use(requireAuth(deps.tokens), requireAgent('chat'));
  const uidOf = (params: Record<string, string | undefined>): string => {
    const parsed = uidParam.safeParse(params['uid']);
    return parsed.success ? parsed.data : '';
  };

  router.get('/:uid', async (ctx) => {
    ctx.body = await deps.panel.profile(uidOf(ctx.params), viewerOf(ctx).perms.includes('pii:view'));
  });

  router.post('/:uid/reveal', requireAgent('pii:view'), async (ctx) => {
    const body = parseBody(ctx, revealBody);
    ctx.body = await deps.panel.reveal(viewerOf(ctx).uid, uidOf(ctx.params), body.fields, ctx.ip);
  });

  router.get('/:uid/conversations', async (ctx) => {
    const q = parseQuery(ctx, pageQuery);
    ctx.body = await deps.workbench.customerConversations(
      viewerOf(ctx),
      uidOf(ctx.params),
      q.before,
      q.limit,
    );
  });

  router.get('/:uid/mall', async (ctx) => {
    ctx.body = await deps.panel.mall(uidOf(ctx.params));
  });

  return router;
}
