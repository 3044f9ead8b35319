import Koa, { type Middleware } from 'koa';
import type { Logger } from '../../log.js';
import { httpMetrics, type Metrics } from '../../metrics.js';
import { errorHandler } from './error-handler.js';
import { healthRoutes, type Readiness } from './health-routes.js';
import { statusPageRoutes } from './status-page.js';

export interface HttpAppDeps {
  logger: Logger;
  metrics: Metrics;
  readiness: () => Promise<Readiness>;
  /** Mounted after the built-in routes (used by tests and later features). */
  middleware?: readonly Middleware[];
}

export function createHttpApp(deps: HttpAppDeps): Koa {
  const app = new Koa();
  app.proxy = true;
  // Errors are turned into responses and logged by errorHandler; Koa's default handler would log twice.
  app.silent = true;
  app.use(httpMetrics(deps.metrics));
  app.use(errorHandler(deps.logger));
  for (const router of [healthRoutes(deps), statusPageRoutes()]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  for (const mw of deps.middleware ?? []) app.use(mw);
  return app;
}
