import type { Middleware } from 'koa';
import { RateLimitedError } from '../../errors.js';

/**
 * Fixed-window limit per client IP, in this instance's memory (N instances allow N× the limit; the
 * visitor limit that matters for abuse is counted in the database). Old windows are swept as it goes.
 * `ctx.ip` is the peer, or the client a trusted proxy names (proxy-trust.ts): a client cannot pick it.
 */
export function limitPerIp(limit: number, windowMs: number, what: string): Middleware {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = Date.now();
  return async (ctx, next) => {
    const now = Date.now();
    if (now - lastSweep > windowMs) {
      for (const [ip, w] of windows) if (now - w.start >= windowMs) windows.delete(ip);
      lastSweep = now;
    }
    let w = windows.get(ctx.ip);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      windows.set(ctx.ip, w);
    }
    w.count += 1;
    if (w.count > limit) {
      const retryAfterS = Math.ceil((w.start + windowMs - now) / 1000);
      ctx.set('Retry-After', String(retryAfterS));
      throw new RateLimitedError(`Too many ${what} requests; retry in ${String(retryAfterS)} s`, retryAfterS);
    }
    await next();
  };
}
