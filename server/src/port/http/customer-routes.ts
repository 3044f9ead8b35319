import Router from '@koa/router';
import { z } from 'zod';
import type { TokenService } from '../../service/auth/tokens.js';
import { PII_FIELDS, type CustomerPanelService } from '../../service/workbench/customer-panel.js';
import type { WorkbenchService } from '../../service/workbench/workbench-service.js';
import type { Context } from 'koa';
import { NotFoundError } from '../../errors.js';
import type { ScopeCondition } from '../../repository/conversation-scope.js';
import type { ScopedConversation } from '../access/conversation-access.js';
import type { ScopeResolver } from '../access/scope-resolver.js';
import { principalOf, requireAgent, requireAuth } from './auth.js';
import { parseBody, parseQuery } from './validate.js';

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
  scopes: ScopeResolver;
  panel: CustomerPanelService;
  workbench: WorkbenchService;
  /** Some of a customer's conversations within a scope (to decide how far the caller reaches). */
  visibleOf: (customerUid: string, cond: ScopeCondition) => Promise<ScopedConversation[]>;
}): Router {
  const router = new Router({ prefix: '/api/v1/agent/customers' });
  router.use(requireAuth(deps.tokens), requireAgent('chat'));
  const uidOf = (params: Record<string, string | undefined>): string => {
    const parsed = uidParam.safeParse(params['uid']);
    return parsed.success ? parsed.data : '';
  };

  /**
   * A customer the caller may look at: whole when they serve (or served, or supervise) one of the
   * customer's chats, the profile only while the customer waits in their queue; 404 otherwise.
   */
  const reach = async (
    ctx: Context & { params: Record<string, string | undefined> },
    need: 'full' | 'queue',
  ): Promise<string> => {
    const uid = uidOf(ctx.params);
    const access = await deps.scopes.customerReach(principalOf(ctx), uid, (cond) =>
      deps.visibleOf(uid, cond),
    );
    if (access === 'none' || (need === 'full' && access !== 'full'))
      throw new NotFoundError('Unknown customer');
    return uid;
  };

  router.get('/:uid', async (ctx) => {
    const uid = await reach(ctx, 'queue');
    const perms = principalOf(ctx).perms;
    ctx.body = await deps.panel.profile(uid, {
      name: perms.includes('pii:view'),
      points: perms.includes('points:view'),
    });
  });

  router.post('/:uid/reveal', requireAgent('pii:view'), async (ctx) => {
    const body = parseBody(ctx, revealBody);
    const uid = await reach(ctx, 'full');
    ctx.body = await deps.panel.reveal(principalOf(ctx).uid, uid, body.fields, ctx.ip);
  });

  router.get('/:uid/conversations', async (ctx) => {
    const q = parseQuery(ctx, pageQuery);
    const uid = await reach(ctx, 'queue');
    const p = principalOf(ctx);
    ctx.body = await deps.workbench.customerConversations(
      await deps.scopes.viewer(p),
      uid,
      q.before,
      q.limit,
      await deps.scopes.customerScope(p, uid),
    );
  });

  router.get('/:uid/mall', async (ctx) => {
    ctx.body = await deps.panel.mall(await reach(ctx, 'full'));
  });

  return router;
}
