import Router from '@koa/router';
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

/** Liveness, readiness (database and broker checked) and Prometheus metrics. */
export function healthRoutes(deps: { metrics: Metrics; readiness: () => Promise<Readiness> }): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const readiness = await deps.readiness();
    ctx.status = readiness.ready ? 200 : 503;
    ctx.body = { status: readiness.ready ? 'ready' : 'not_ready', checks: readiness.checks };
  });
  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });
  return router;
}
