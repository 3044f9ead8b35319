import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { processGuardCount } from './process-guard.js';
import type { Middleware } from 'koa';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
}

/** One registry per server instance (tests run several in one process). */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'kefu_' });
  // A gauge read at scrape time: the guard counts per process, the registry is per server instance.
  new Gauge({
    name: 'kefu_process_escaped_errors',
    help: 'Errors that escaped every handler and were caught by the process guard since start.',
    registers: [registry],
    collect() {
      this.set(processGuardCount());
    },
  });
  return {
    registry,
    httpRequests: new Counter({
      name: 'kefu_http_requests_total',
      help: 'HTTP requests by method, matched route and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'kefu_http_request_duration_seconds',
      help: 'HTTP request duration by method and matched route.',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}

/** Records every request; the route label is the matched pattern, never the raw path (bounded cardinality). */
export function httpMetrics(metrics: Metrics): Middleware {
  return async (ctx, next) => {
    const end = metrics.httpDuration.startTimer();
    try {
      await next();
    } finally {
      const matched: unknown = (ctx as { _matchedRoute?: unknown })._matchedRoute;
      const route = typeof matched === 'string' ? matched : 'unmatched';
      end({ method: ctx.method, route });
      metrics.httpRequests.inc({ method: ctx.method, route, status: String(ctx.status) });
    }
  };
}
