import type { Middleware } from 'koa';
import proxyAddr from 'proxy-addr';

/** Headers through which a proxy describes the client (Koa reads the X-Forwarded-* ones). */
function isForwardedHeader(name: string): boolean {
  return name === 'forwarded' || name.startsWith('x-forwarded-');
}

/**
 * First middleware of the app (which runs with `app.proxy = true`). Forwarded headers are believed only
 * from `trusted` peers (TRUSTED_PROXIES, proxy-addr notation): anyone else's are deleted, so Koa's
 * `ctx.host` and `ctx.protocol` come from the connection, and `ctx.ip` is proxy-addr's right-to-left
 * walk of X-Forwarded-For over trusted hops — the address rate limits and audit records use.
 */
export function trustProxies(trusted: readonly string[]): Middleware {
  const trust = trusted.length > 0 ? proxyAddr.compile([...trusted]) : () => false;
  return async (ctx, next) => {
    if (!trust(ctx.req.socket.remoteAddress ?? '', 0)) {
      ctx.req.headers = Object.fromEntries(
        Object.entries(ctx.req.headers).filter(([name]) => !isForwardedHeader(name)),
      );
    }
    ctx.request.ip = proxyAddr(ctx.req, trust);
    await next();
  };
}
