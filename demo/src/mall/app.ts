import Koa, { type Context } from 'koa';
import { apiRoutes } from './api.js';
import { HttpError } from './errors.js';
import { pageRoutes, safeNext } from './page-routes.js';
import { messagePage } from './pages.js';
import { SESSION_COOKIE, type SessionStore } from './session.js';
import type { PageContext } from './layout.js';
import { findCustomer } from './users.js';

export interface MallAppConfig {
  /** Kefu server base URL, no trailing slash. */
  kefuUrl: string;
  /** The mall's absolute base URL, no trailing slash (known once the server listens). */
  publicUrl: () => string;
  identitySecret: string;
  apiToken: string | undefined;
  sessions: SessionStore;
}

/** Per-request view of the session and the page context, shared by the routes and the error handler. */
export interface MallRequest {
  sessionId: (ctx: Context) => string | undefined;
  pageContext: (ctx: Context) => PageContext;
}

const PAGE_TEXT: Readonly<Record<number, string>> = {
  400: '请求有误',
  404: '页面不存在',
  405: '不支持的请求方式',
  413: '请求内容过大',
  415: '请求格式不正确',
};

/** The demo mall as a Koa app: pages, assets, the identity endpoint and the backend API. */
export function createMallApp(config: MallAppConfig): Koa {
  const app = new Koa();
  const request: MallRequest = {
    sessionId: (ctx) => ctx.cookies.get(SESSION_COOKIE),
    pageContext: (ctx) => {
      const userId = config.sessions.userId(ctx.cookies.get(SESSION_COOKIE));
      return {
        kefuUrl: config.kefuUrl,
        publicUrl: config.publicUrl(),
        customer: userId === undefined ? undefined : findCustomer(userId),
        path: safeNext(ctx.url),
      };
    },
  };

  // First in the chain: every failure becomes `{ error: { code, message } }` under /api and a page elsewhere.
  app.use(async (ctx, next) => {
    try {
      await next();
      if (ctx.status >= 400 && ctx.body == null) {
        throw new HttpError(
          ctx.status,
          ctx.status === 404 ? 'not_found' : 'method_not_allowed',
          `No route for ${ctx.method} ${ctx.path}`,
        );
      }
    } catch (err) {
      const known = err instanceof HttpError;
      if (!known) console.error('mall: unexpected error', err);
      const status = known ? err.status : 500;
      ctx.status = status;
      ctx.set('Cache-Control', 'no-store');
      if (ctx.path.startsWith('/api/')) {
        ctx.body = {
          error: known
            ? { code: err.code, message: err.message }
            : { code: 'internal', message: 'Internal error' },
        };
      } else {
        ctx.type = 'html';
        const title = PAGE_TEXT[status] ?? '服务器开小差了';
        const detail =
          known && err.pageMessage !== undefined ? err.pageMessage : '请稍后再试，或返回首页继续浏览。';
        ctx.body = messagePage(request.pageContext(ctx), title, detail);
      }
    }
  });
  app.use(async (ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    await next();
  });

  const api = apiRoutes({
    publicUrl: config.publicUrl,
    identitySecret: config.identitySecret,
    apiToken: config.apiToken,
    sessionUserId: (ctx) => config.sessions.userId(request.sessionId(ctx)),
  });
  const pages = pageRoutes(config.sessions, request);
  for (const router of [api, pages]) app.use(router.routes()).use(router.allowedMethods());
  return app;
}
