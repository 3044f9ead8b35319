import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { MALL_USER_ID } from '../../integration/mall/types.js';
import type { TopicSet } from '@kefu/proto';
import { RateLimitedError } from '../../errors.js';
import type { AuthService, SessionGrant } from '../../service/auth/auth-service.js';
import { topicRole, type TokenService } from '../../service/auth/tokens.js';
import { principalOf, requireAuth } from './auth.js';
import { limitPerIp } from './rate-limit.js';
import { parseBody } from './validate.js';

const text = (max: number) => z.string().trim().min(1).max(max);

const identitySchema = z.strictObject({
  // The mall is asked about this id (orders): the same rule as its API's ids (integration/mall/types.ts).
  user_id: z.string().regex(MALL_USER_ID, 'must be 1-64 letters, digits, "_", "-", ".", ":" or "@"'),
  name: z.string().max(64).optional(),
  phone: z.string().max(32).optional(),
  level: z.number().int().min(0).max(1000).optional(),
  ts: z.number().int().positive(),
  points: z.number().int().min(0).max(1e12).optional(),
  vip: z.boolean().optional(),
  tags: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(20)
        .regex(/^[^,\r\n]+$/, 'must not contain "," or line breaks'),
    )
    .max(10)
    .optional(),
  avatar: z
    .string()
    .max(2048)
    .regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')
    .optional(),
});

const sdkSessionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('customer'), identity: identitySchema, signature: z.string().max(128) }),
  z.strictObject({ type: z.literal('visitor') }),
]);

const agentSessionSchema = z.strictObject({ username: text(64), password: z.string().min(1).max(256) });
const refreshSchema = z.strictObject({ refresh_token: z.string().min(1).max(4096) });

export interface SessionRouteDeps {
  auth: AuthService;
  tokens: TokenService;
  topics: TopicSet;
  /** Where clients connect over MQTT/WebSocket, as seen from this request. */
  mqttUrlFor: (ctx: Context) => string;
  requestsPerIpPerMinute: number;
}

/** The body every session endpoint answers with. */
export function grantBody(
  ctx: Context,
  deps: Pick<SessionRouteDeps, 'topics' | 'mqttUrlFor'>,
  grant: SessionGrant,
): Record<string, unknown> {
  const { principal } = grant;
  const r = topicRole(principal.role);
  return {
    token: grant.access.token,
    expires_at: grant.access.expiresAt,
    refresh_token: grant.refresh.token,
    refresh_expires_at: grant.refresh.expiresAt,
    user: {
      uid: principal.uid,
      role: principal.role,
      kind: principal.kind,
      perms: principal.perms,
      ...(grant.displayName === undefined ? {} : { name: grant.displayName }),
      ...(grant.agentRole === undefined ? {} : { agent_role: grant.agentRole }),
    },
    mqtt: {
      url: deps.mqttUrlFor(ctx),
      // The access token is the password; the broker requires username = token subject.
      username: principal.uid,
      topics: {
        up: deps.topics.up(r, principal.uid),
        down: deps.topics.down(r, principal.uid),
        presence: deps.topics.presence(r, principal.uid),
      },
    },
  };
}

export function sessionRoutes(deps: SessionRouteDeps): Router {
  const router = new Router({ prefix: '/api/v1' });
  const limit = limitPerIp(deps.requestsPerIpPerMinute, 60_000, 'session');

  router.post('/sdk/sessions', limit, async (ctx) => {
    const body = parseBody(ctx, sdkSessionSchema);
    const grant =
      body.type === 'customer'
        ? await deps.auth.createCustomerSession(body.identity, body.signature, ctx.ip)
        : await deps.auth.createVisitorSession(ctx.ip);
    ctx.status = 201;
    ctx.body = grantBody(ctx, deps, grant);
  });

  router.post('/agent/sessions', limit, async (ctx) => {
    const body = parseBody(ctx, agentSessionSchema);
    const grant = await deps.auth.loginAgent(body.username, body.password).catch((err: unknown) => {
      // The account is locked after failed sign-ins: tell the client when to try again.
      if (err instanceof RateLimitedError) ctx.set('Retry-After', String(err.retryAfterS));
      throw err;
    });
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = grantBody(ctx, deps, grant);
  });

  router.post('/sessions/refresh', limit, async (ctx) => {
    const body = parseBody(ctx, refreshSchema);
    ctx.body = grantBody(ctx, deps, await deps.auth.refresh(body.refresh_token));
  });

  router.delete('/sessions/current', requireAuth(deps.tokens), async (ctx) => {
    const p = principalOf(ctx);
    await deps.auth.logout(p.sid, p.uid);
    ctx.status = 204;
  });

  return router;
}
