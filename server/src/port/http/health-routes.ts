import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Middleware } from 'koa';
import { NotFoundError, UnauthenticatedError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Metrics } from '../../metrics.js';

export interface ReadinessCheck {
  ok: boolean;
  latency_ms?: number;
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, ReadinessCheck>;
}

export interface HealthRouteDeps {
  metrics: Metrics;
  readiness: () => Promise<Readiness>;
  logger: Logger;
  /** METRICS_TOKEN: when set, /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string | undefined;
  /** Without a token, production hides /metrics (404) instead of publishing it. */
  production?: boolean;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Who may read /metrics: anyone (development, test), bearers of the token, or nobody. */
function metricsAccess(deps: HealthRouteDeps): Middleware {
  const { metricsToken } = deps;
  if (metricsToken === undefined) {
    if (!deps.production) return (_ctx, next) => next();
    deps.logger.warn('METRICS_TOKEN is not set: /metrics answers 404 (NODE_ENV=production)');
    return () => {
      throw new NotFoundError('No route for GET /metrics');
    };
  }
  // Digests have equal lengths, so the comparison takes the same time whatever the caller sent.
  const expected = digest(metricsToken);
  return async (ctx, next) => {
    const sent = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('authorization'))?.[1] ?? '';
    if (!timingSafeEqual(digest(sent), expected)) {
      ctx.set('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthenticatedError('/metrics needs Authorization: Bearer <METRICS_TOKEN>');
    }
    await next();
  };
}

/** Liveness, readiness (database and broker checked) and Prometheus metrics. */
export function healthRoutes(deps: HealthRouteDeps): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const readiness = await deps.readiness();
    ctx.status = readiness.ready ? 200 : 503;
    ctx.body = { status: readiness.ready ? 'ready' : 'not_ready', checks: readiness.checks };
  });
  router.get('/metrics', metricsAccess(deps), async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  return router;
}
