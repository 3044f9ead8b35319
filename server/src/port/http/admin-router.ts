import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { TokenService } from '../../service/auth/tokens.js';
import { requireAgent, requireAuth } from './auth.js';

/**
 * A router under /api/v1/admin (docs/console-api.md "Admin") and the guards each of its routes takes: an
 * agent token with `config`. Per route, not router.use: other routers serve other /admin paths with other
 * permissions (e.g. audit logs for `monitor`), and router-level middleware would run for their paths too.
 */
export function adminRouter(tokens: TokenService): { router: Router; auth: Middleware; config: Middleware } {
  return {
    router: new Router({ prefix: '/api/v1/admin' }),
    auth: requireAuth(tokens),
    config: requireAgent('config'),
  };
}

/** A path parameter ('' when absent). */
export function param(ctx: Context, name: string): string {
  return (ctx.params as Record<string, string>)[name] ?? '';
}
