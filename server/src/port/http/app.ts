import Koa, { type Middleware } from 'koa';
import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import cors from '@koa/cors';
import type { Logger } from '../../log.js';
import { httpMetrics, type Metrics } from '../../metrics.js';
import { PayloadTooLargeError, ValidationError } from '../../errors.js';
import { requireBodyType } from './body-type.js';
import { errorHandler } from './error-handler.js';
import { healthRoutes, type Readiness } from './health-routes.js';
import { trustProxies } from './proxy-trust.js';
import { statusPageRoutes } from './status-page.js';

export interface HttpAppDeps {
  logger: Logger;
  metrics: Metrics;
  readiness: () => Promise<Readiness>;
  /** Feature routers (API). */
  routers?: readonly Router[];
  /** `*` or the origins whose pages may call /api (the widget runs on the mall's origin). */
  corsOrigins?: '*' | readonly string[];
  /** Mounted after the routers (used by tests). */
  middleware?: readonly Middleware[];
  /** TRUSTED_PROXIES: peers whose X-Forwarded-* headers are believed; none by default. */
  trustedProxies?: readonly string[];
  /** METRICS_TOKEN; see healthRoutes. */
  metricsToken?: string | undefined;
  /** NODE_ENV=production: /metrics without a token is hidden. */
  production?: boolean;
}

/** One route the app answers (HEAD, which the router adds to every GET, left out). */
export interface RouteInfo {
  method: string;
  path: string;
}

/** The app, and every route it answers (for the security suite and docs). */
export function createHttpApp(deps: HttpAppDeps): Koa & { readonly routes: readonly RouteInfo[] } {
  const app = new Koa();
  // Koa then reads X-Forwarded-*; trustProxies deletes them first unless the peer is a trusted proxy.
  app.proxy = true;
  // Errors are turned into responses and logged by errorHandler; Koa's default handler would log twice.
  app.silent = true;
  app.use(trustProxies(deps.trustedProxies ?? []));
  app.use(defaultHeaders());
  app.use(httpMetrics(deps.metrics));
  app.use(errorHandler(deps.logger));
  app.use(apiCors(deps.corsOrigins ?? '*'));
  // A body of another type than the route's is refused (415) before any parser sees it.
  app.use(requireBodyType());
  // JSON bodies at most 64 KB (multipart uploads are read by their route).
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '64kb',
      encoding: 'utf-8',
      onError: (err) => {
        const status = (err as { status?: unknown }).status;
        if (status === 413) throw new PayloadTooLargeError('The request body is larger than 64 KB');
        throw new ValidationError('The request body is not valid JSON');
      },
    }),
  );
  const routers = [healthRoutes(deps), statusPageRoutes(), ...(deps.routers ?? [])];
  for (const router of routers) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  for (const mw of deps.middleware ?? []) app.use(mw);
  const routes = routers.flatMap((r) =>
    r.stack.flatMap((layer) =>
      layer.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, path: String(layer.path) })),
    ),
  );
  return Object.assign(app, { routes });
}

/**
 * `nosniff` on every response; /api answers are never cached unless the route chose (upload downloads),
 * and never when they are errors. Set after the route, which errorHandler has turned into a response.
 */
function defaultHeaders(): Middleware {
  return async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    await next();
    const api = ctx.path === '/api' || ctx.path.startsWith('/api/');
    if (api && (ctx.status >= 400 || !ctx.response.get('Cache-Control')))
      ctx.set('Cache-Control', 'no-store');
  };
}

/** CORS for /api only: bearer tokens, no cookies, so credentials are never allowed cross-origin. */
function apiCors(origins: '*' | readonly string[]): Middleware {
  const allowed = origins === '*' ? undefined : new Set(origins);
  const handler = cors({
    origin: (ctx) => {
      const origin = ctx.get('origin');
      if (!allowed) return '*';
      return allowed.has(origin) ? origin : '';
    },
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowHeaders: ['Authorization', 'Content-Type'],
    exposeHeaders: ['Content-Length', 'Content-Disposition', 'Retry-After'],
    maxAge: 600,
  });
  return async (ctx, next) => {
    if (ctx.path.startsWith('/api/')) await handler(ctx, next);
    else await next();
  };
}
