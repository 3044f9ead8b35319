import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import type { QuickReply } from '../../repository/quick-reply-repository.js';
import type { TokenService } from '../../service/auth/tokens.js';
import { ForbiddenError } from '../../errors.js';
import type { QuickReplyService } from '../../service/workbench/quick-replies.js';
import { principalOf, requireAgent, requireAuth } from './auth.js';
import { parseBody, parseQuery } from './validate.js';

const fields = {
  shortcut: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .regex(/^[^\s/]+$/, 'must be one word without "/"'),
  title: z.string().trim().min(1).max(100),
  text: z.string().trim().min(1).max(2000),
};
const createBody = z.strictObject({ scope: z.enum(['personal', 'team']).default('personal'), ...fields });
const patchBody = z
  .strictObject({
    shortcut: fields.shortcut.optional(),
    title: fields.title.optional(),
    text: fields.text.optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give at least one of shortcut, title, text');
const searchQuery = z.strictObject({ q: z.string().trim().max(100).optional() });

function json(r: QuickReply): Record<string, unknown> {
  return { id: r.id, scope: r.scope, shortcut: r.shortcut, title: r.title, text: r.text };
}

/** Team replies are shared by everyone: writing them takes permission `config`. */
function mayWrite(ctx: Context, scope: QuickReply['scope']): string {
  const p = principalOf(ctx);
  if (scope === 'team' && !p.perms.includes('config')) throw new ForbiddenError('Missing permission config');
  return p.uid;
}

/** Quick replies (docs/console-api.md, Workbench): personal ones for every agent, team ones edited with `config`. */
export function quickReplyRoutes(deps: { tokens: TokenService; quickReplies: QuickReplyService }): Router {
  const router = new Router({ prefix: '/api/v1/agent/quick-replies' });
  router.use(requireAuth(deps.tokens), requireAgent('chat'));

  router.get('/', async (ctx) => {
    const q = parseQuery(ctx, searchQuery);
    ctx.body = { quick_replies: (await deps.quickReplies.search(principalOf(ctx).uid, q.q)).map(json) };
  });

  router.post('/', async (ctx) => {
    const body = parseBody(ctx, createBody);
    ctx.status = 201;
    ctx.body = json(await deps.quickReplies.create(mayWrite(ctx, body.scope), body));
  });

  router.patch('/:id', async (ctx) => {
    const body = parseBody(ctx, patchBody);
    const id = ctx.params['id'] ?? '';
    const reply = await deps.quickReplies.find(principalOf(ctx).uid, id);
    ctx.body = json(await deps.quickReplies.update(mayWrite(ctx, reply.scope), id, body));
  });

  router.delete('/:id', async (ctx) => {
    const id = ctx.params['id'] ?? '';
    const reply = await deps.quickReplies.find(principalOf(ctx).uid, id);
    await deps.quickReplies.remove(mayWrite(ctx, reply.scope), id);
    ctx.status = 204;
  });

  return router;
}
