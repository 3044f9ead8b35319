import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import type {
  Conversation,
  ConversationFilter,
  ConversationRepository,
} from '../../repository/conversation-repository.js';
import type { ScopeResolver } from '../access/scope-resolver.js';
import type { MessageStore } from '../../repository/message-store/message-store.js';
import { topicRole, type AccessClaims, type TokenService } from '../../service/auth/tokens.js';
import { toWireMessage } from '../../service/messaging/wire-message.js';
import { messageFor } from '../../service/workbench/masking.js';
import { principalOf, requireAuth } from './auth.js';

const uid = z.string().min(1).max(80);
const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const listQuery = z.strictObject({
  customer_uid: uid.optional(),
  agent_uid: uid.optional(),
  status: z.enum(['queued', 'open', 'closed']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const messagesQuery = z
  .strictObject({
    after_seq: z.coerce.number().int().min(0).optional(),
    before_seq: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .refine(
    (q) => q.after_seq === undefined || q.before_seq === undefined,
    'give after_seq or before_seq, not both',
  );

export function parseQuery<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  const result = schema.safeParse(ctx.query);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ValidationError(
      `Invalid query: ${first ? `${first.path.join('.') || '(query)'}: ${first.message}` : 'invalid'}`,
    );
  }
  return result.data;
}

function conversationJson(c: Conversation): Record<string, unknown> {
  return {
    id: c.id,
    status: c.status,
    customer_uid: c.customerUid,
    agent_uid: c.agentUid,
    channel: c.channel,
    created_at: c.createdAt.toISOString(),
    assigned_at: c.assignedAt?.toISOString() ?? null,
    closed_at: c.closedAt?.toISOString() ?? null,
  };
}

/** Who may write into a conversation (uploads): its customer and its assigned agent. */
export function isParticipant(p: AccessClaims, c: Conversation): boolean {
  return p.role === 'customer' ? c.customerUid === p.uid : c.agentUid === p.uid;
}

/**
 * History over HTTP: conversations by participant, status and time (newest first, paged by `to`);
 * messages of a conversation by seq range (paged by after_seq / before_seq). Each query has its index
 * (model/conversation.ts, model/message.ts).
 */
export function historyRoutes(deps: {
  tokens: TokenService;
  scopes: ScopeResolver;
  conversations: ConversationRepository;
  history: MessageStore;
}): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.use(requireAuth(deps.tokens));

  router.get('/conversations', async (ctx) => {
    const p = principalOf(ctx);
    const q = parseQuery(ctx, listQuery);
    const filter: ConversationFilter = {
      ...(q.customer_uid ? { customerUid: q.customer_uid } : {}),
      ...(q.agent_uid ? { agentUid: q.agent_uid } : {}),
      ...(q.status ? { status: q.status } : {}),
      ...(q.from ? { from: q.from } : {}),
      ...(q.to ? { to: q.to } : {}),
    };
    // Customers see only their own; agents what the visibility rule gives them (port/access): by default
    // their own chats, unless they may monitor.
    if (p.role === 'customer') {
      if (q.customer_uid && q.customer_uid !== p.uid)
        throw new ForbiddenError('Customers can list only their own conversations');
      filter.customerUid = p.uid;
    } else {
      if (!p.perms.includes('monitor')) {
        if (q.agent_uid && q.agent_uid !== p.uid) throw new ForbiddenError('Missing permission monitor');
        if (!q.customer_uid) filter.agentUid = p.uid;
      }
      const scope = q.customer_uid
        ? await deps.scopes.customerScope(p, q.customer_uid)
        : await deps.scopes.condition(p);
      if (scope) filter.scope = scope;
    }
    const list = await deps.conversations.listConversations(filter, q.limit + 1);
    const page = list.slice(0, q.limit);
    ctx.body = {
      conversations: page.map(conversationJson),
      next_to: list.length > q.limit ? (page[page.length - 1]?.createdAt.toISOString() ?? null) : null,
    };
  });

  router.get('/conversations/:id/messages', async (ctx) => {
    const p = principalOf(ctx);
    const q = parseQuery(ctx, messagesQuery);
    const conversation = await deps.conversations.findConversation(ctx.params['id'] ?? '');
    if (!conversation || (await deps.scopes.access(p, conversation)) !== 'full')
      throw new NotFoundError('Unknown conversation');
    const audience = topicRole(p.role);
    const { messages: list, hasMore } =
      q.before_seq !== undefined
        ? await deps.history.before(conversation.id, q.before_seq, q.limit)
        : await deps.history.after(conversation.id, q.after_seq ?? 0, q.limit);
    ctx.body = {
      conversation: conversationJson(conversation),
      // Customers' names are masked for agents without pii:view (DESIGN.md §3).
      messages: list.map((m) =>
        messageFor(toWireMessage(m, audience), p.role === 'customer' || p.perms.includes('pii:view')),
      ),
      has_more: hasMore,
    };
  });

  return router;
}
