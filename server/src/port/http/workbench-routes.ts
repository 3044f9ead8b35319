import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { WorkbenchRepository } from '../../repository/workbench-repository.js';
import type { TokenService } from '../../service/auth/tokens.js';
import type { SummaryService } from '../../service/workbench/summary-service.js';
import type { TransferService } from '../../service/workbench/transfer.js';
import type { Viewer, WorkbenchService } from '../../service/workbench/workbench-service.js';
import type { ScopeResolver } from '../access/scope-resolver.js';
import { principalOf, requireAgent, requireAuth } from './auth.js';
import { parseBody, parseQuery } from './validate.js';

const isoDate = z.iso.datetime({ offset: true }).transform((s) => new Date(s));
const id = z.string().min(1).max(80);
const label = z.string().trim().min(1).max(40);

const listQuery = z.strictObject({
  view: z.enum(['mine', 'queued', 'all']).default('mine'),
  status: z.enum(['queued', 'open', 'closed']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: isoDate.optional(),
});

const transferBody = z
  .strictObject({
    to_agent_uid: id.optional(),
    to_group_id: id.optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((b) => (b.to_agent_uid === undefined) !== (b.to_group_id === undefined), {
    message: 'give exactly one of to_agent_uid and to_group_id',
  });

const summaryBody = z.strictObject({
  category: label,
  tags: z.array(label).max(10).default([]),
  remark: z.string().trim().max(500).default(''),
});

const closeBody = z.strictObject({ summary: summaryBody.optional() });

const optionsBody = z.strictObject({
  categories: z.array(label).min(1).max(50),
  tags: z.array(label).max(100),
});

export interface WorkbenchRouteDeps {
  tokens: TokenService;
  scopes: ScopeResolver;
  agents: AgentRepository;
  repository: WorkbenchRepository;
  workbench: WorkbenchService;
  transfers: TransferService;
  summaries: SummaryService;
}

/** The signed-in agent with the visibility rule applied to them (port/access). */
export function viewerOf(ctx: Context, scopes: ScopeResolver): Promise<Viewer> {
  return scopes.viewer(principalOf(ctx));
}

/** The agent workbench (docs/console-api.md, Workbench): lists, details, transfer, close with summary. */
export function workbenchRoutes(deps: WorkbenchRouteDeps): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.use(requireAuth(deps.tokens));
  const agentOnly = requireAgent();

  router.get('/agent/me', agentOnly, async (ctx) => {
    const p = principalOf(ctx);
    const agent = await deps.agents.findAgent(p.uid);
    if (!agent) throw new NotFoundError('Unknown agent');
    ctx.body = {
      uid: agent.uid,
      name: agent.displayName,
      agent_role: agent.role,
      perms: p.perms,
      status: await deps.repository.agentStatus(agent.uid),
      max_concurrent: agent.maxConcurrent,
      group_ids: agent.groupIds ?? [],
    };
  });

  router.get('/agent/conversations', agentOnly, async (ctx) => {
    const q = parseQuery(ctx, listQuery);
    if (q.view === 'queued' && q.status !== undefined && q.status !== 'queued')
      throw new ValidationError('view=queued lists queued conversations only; use view=mine or view=all');
    const viewer = await viewerOf(ctx, deps.scopes);
    if (q.view === 'all' && !viewer.perms.includes('monitor'))
      throw new ForbiddenError('Missing permission monitor');
    ctx.body = await deps.workbench.list(viewer, q);
  });

  router.get('/agent/conversations/:id', agentOnly, async (ctx) => {
    ctx.body = await deps.workbench.detail(await viewerOf(ctx, deps.scopes), ctx.params['id'] ?? '');
  });

  router.post('/agent/conversations/:id/transfer', requireAgent('chat'), async (ctx) => {
    const body = parseBody(ctx, transferBody);
    const viewer = await viewerOf(ctx, deps.scopes);
    // Supervisors move conversations of their scope only (the service checks ownership otherwise).
    await deps.workbench.find(viewer, ctx.params['id'] ?? '');
    const result = await deps.transfers.transfer(viewer.uid, viewer.perms.includes('monitor'), {
      conversationId: ctx.params['id'] ?? '',
      toAgentUid: body.to_agent_uid,
      toGroupId: body.to_group_id,
      note: body.note || undefined,
    });
    ctx.body = { id: ctx.params['id'] ?? '', agent_uid: result.to };
  });

  router.get('/agent/transfer-targets', requireAgent('chat'), async (ctx) => {
    ctx.body = await deps.transfers.targets(principalOf(ctx).uid);
  });

  router.post('/agent/conversations/:id/close', requireAgent('chat'), async (ctx) => {
    const body = parseBody(ctx, closeBody);
    const viewer = await viewerOf(ctx, deps.scopes);
    await deps.summaries.close(viewer.uid, ctx.params['id'] ?? '', body.summary, newId());
    ctx.body = await deps.workbench.detail(viewer, ctx.params['id'] ?? '');
  });

  router.put('/agent/conversations/:id/summary', requireAgent('chat'), async (ctx) => {
    const body = parseBody(ctx, summaryBody);
    const viewer = await viewerOf(ctx, deps.scopes);
    await deps.summaries.edit(viewer, ctx.params['id'] ?? '', body);
    ctx.body = await deps.workbench.detail(viewer, ctx.params['id'] ?? '');
  });

  router.get('/agent/summary-options', agentOnly, async (ctx) => {
    ctx.body = await deps.summaries.options();
  });

  router.put('/admin/summary-options', requireAgent('config'), async (ctx) => {
    ctx.body = await deps.summaries.saveOptions(parseBody(ctx, optionsBody));
  });

  return router;
}
