import type { Middleware } from 'koa';
import type { ErrorCode } from '../../errors.js';
import type { Logger } from '../../log.js';
import { codeForStatus, reportError } from '../error-report.js';

const HTTP_STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  unavailable: 503,
  bad_gateway: 502,
  not_implemented: 501,
  internal: 500,
};

/** First middleware in the chain: every error becomes `{ error: { code, message, ref_id } }`. */
export function errorHandler(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      // Responses the router ends without a body (404, 405 with `Allow`, 501) get a JSON error too.
      if (ctx.status >= 400 && ctx.body == null) {
        const status = ctx.status;
        const code = codeForStatus(status);
        const message =
          status === 404 ? `No route for ${ctx.method} ${ctx.path}` : `${ctx.method} is not allowed here`;
        ctx.body = { error: { code, message } };
        ctx.status = status;
      }
    } catch (err) {
      const report = reportError(err, logger, { method: ctx.method, path: ctx.path });
      ctx.status = HTTP_STATUS[report.code];
      // http-errors carry headers the client needs (e.g. `Allow` on 405).
      const headers = (err as { headers?: unknown } | null)?.headers;
      if (!report.internal && typeof headers === 'object' && headers !== null) {
        for (const [name, value] of Object.entries(headers))
          if (typeof value === 'string') ctx.set(name, value);
      }
      ctx.body = {
        error: {
          code: report.code,
          message: report.message,
          ref_id: report.refId,
          ...(report.details === undefined ? {} : { details: report.details }),
        },
      };
    }
  };
}
