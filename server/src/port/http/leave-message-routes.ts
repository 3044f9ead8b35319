import Router from '@koa/router';
import type { Middleware } from 'koa';
import { z } from 'zod';
import { ForbiddenError, NotFoundError, RateLimitedError } from '../../errors.js';
import { LEAVE_MESSAGE_STATUSES } from '../../model/leave-message.js';
import type { LeaveMessage } from '../../repository/leave-message-repository.js';
import type { TokenService } from '../../service/auth/tokens.js';
import {
  LEAVE_MESSAGE_PII,
  type LeaveMessageService,
} from '../../service/leave-messages/leave-message-service.js';
import { principalOf, requireAgent, requireAuth } from './auth.js';
import { parseBody, parseQuery } from './validate.js';

/** Forms send "" for fields left empty: that means absent. Other values are trimmed, then checked. */
function optional<S extends z.ZodType>(schema: S) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.trim()) : v),
    schema.optional(),
  );
}

/** Limits count characters (code points), not UTF-16 units: an emoji is one. */
const codePoints = (s: string): number => Array.from(s).length;

const bodySchema = z.strictObject({
  name: optional(z.string().refine((s) => codePoints(s) <= 50, 'must be at most 50 characters')),
  phone: optional(
    z
      .string()
      .regex(
        /^(1[3-9]\d{9}|\+\d{6,15})$/,
        'must be a mainland mobile number (11 digits) or digits with a leading "+"',
      ),
  ),
  email: optional(z.email('must be an email address').max(254)),
  content: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .refine((s) => codePoints(s) <= 2000, 'must be at most 2000 characters'),
  conversation_id: optional(z.string().max(64)),
  page_url: optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2048)),
  page_title: optional(z.string().refine((s) => codePoints(s) <= 200, 'must be at most 200 characters')),
});

const leaveMessageId = z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a leave-message id');

const revealBody = z.strictObject({
  fields: z
    .array(z.enum(LEAVE_MESSAGE_PII))
    .min(1)
    .max(3)
    .default([...LEAVE_MESSAGE_PII]),
});

const listQuery = z.strictObject({
  status: z.enum(LEAVE_MESSAGE_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Paging cursor: `next_before` of the previous page. */
  before: leaveMessageId.optional(),
});

/** "138****5678", "+44******12" */
function maskPhone(phone: string): string {
  const keepStart = 3;
  const keepEnd = phone.length >= 11 ? 4 : 2;
  return (
    phone.slice(0, keepStart) +
    '*'.repeat(Math.max(1, phone.length - keepStart - keepEnd)) +
    phone.slice(-keepEnd)
  );
}

/** "z***@example.com" */
function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}

/** "张**" */
function maskName(name: string): string {
  const chars = Array.from(name);
  return `${chars[0] ?? ''}${'*'.repeat(Math.max(1, chars.length - 1))}`;
}

/**
 * Contact data is always masked in lists: seeing it takes `pii:view` and a reveal, and every reveal is
 * written to the audit log, so none reaches a screen unrecorded (DESIGN.md §3).
 */
function leaveMessageJson(m: LeaveMessage): Record<string, unknown> {
  const show = (v: string | undefined, mask: (s: string) => string) => (v === undefined ? null : mask(v));
  return {
    id: m.id,
    customer_uid: m.customerUid,
    customer_kind: m.customerKind,
    name: show(m.name, maskName),
    phone: show(m.phone, maskPhone),
    email: show(m.email, maskEmail),
    pii_masked: m.name !== undefined || m.phone !== undefined || m.email !== undefined,
    content: m.content,
    conversation_id: m.conversationId ?? null,
    page_url: m.pageUrl ?? null,
    page_title: m.pageTitle ?? null,
    status: m.status,
    created_at: m.createdAt.toISOString(),
  };
}

const requireCustomer: Middleware = async (ctx, next) => {
  if (principalOf(ctx).role !== 'customer') throw new ForbiddenError('Customers only');
  await next();
};

/**
 * Leave-a-message (留言): customers and visitors leave one when no agent is online; agents list them
 * (newest first, paged by `before`).
 */
export function leaveMessageRoutes(deps: {
  tokens: TokenService;
  leaveMessages: LeaveMessageService;
}): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.use(requireAuth(deps.tokens));

  router.post('/sdk/leave-messages', requireCustomer, async (ctx) => {
    const p = principalOf(ctx);
    const body = parseBody(ctx, bodySchema);
    try {
      const saved = await deps.leaveMessages.submit(
        { uid: p.uid, kind: p.kind === 'visitor' ? 'visitor' : 'customer' },
        {
          name: body.name,
          phone: body.phone,
          email: body.email,
          content: body.content,
          conversationId: body.conversation_id,
          pageUrl: body.page_url,
          pageTitle: body.page_title,
        },
      );
      ctx.status = 201;
      ctx.body = { id: saved.id, created_at: saved.createdAt.toISOString() };
    } catch (err) {
      if (err instanceof RateLimitedError) ctx.set('Retry-After', String(err.retryAfterS));
      throw err;
    }
  });

  router.get('/leave-messages', requireAgent(), async (ctx) => {
    const q = parseQuery(ctx, listQuery);
    const list = await deps.leaveMessages.list({ status: q.status, beforeId: q.before }, q.limit + 1);
    const page = list.slice(0, q.limit);
    ctx.body = {
      leave_messages: page.map(leaveMessageJson),
      next_before: list.length > q.limit ? (page[page.length - 1]?.id ?? null) : null,
    };
  });

  router.post('/leave-messages/:id/reveal', requireAgent('pii:view'), async (ctx) => {
    const body = parseBody(ctx, revealBody);
    const id = leaveMessageId.safeParse(ctx.params['id']);
    if (!id.success) throw new NotFoundError('Unknown leave message');
    ctx.body = await deps.leaveMessages.reveal(principalOf(ctx).uid, id.data, body.fields, ctx.ip);
  });

  return router;
}
