import type { Context, Middleware } from 'koa';
import { AppError } from '../../errors.js';

type BodyType = 'json' | 'multipart';

/** The only routes whose body is not JSON: `METHOD path`. Every other route takes application/json. */
const MULTIPART_ROUTES: ReadonlySet<string> = new Set(['POST /api/v1/uploads']);

const EXPECTED: Record<BodyType, string> = {
  json: 'application/json',
  multipart: 'multipart/form-data',
};

function bodyTypeOf(ctx: Context): BodyType {
  // The router matches with or without a trailing slash; so does this.
  const path = ctx.path.length > 1 ? ctx.path.replace(/\/+$/, '') : ctx.path;
  return MULTIPART_ROUTES.has(`${ctx.method} ${path}`) ? 'multipart' : 'json';
}

/** `application/json` with no parameter but a UTF-8 charset (RFC 8259: JSON is UTF-8). */
function isJson(mediaType: string, params: readonly string[]): boolean {
  return (
    mediaType === 'application/json' && params.every((p) => /^charset\s*=\s*"?utf-?8"?$/i.test(p.trim()))
  );
}

function matches(type: BodyType, header: string): boolean {
  const [mediaType = '', ...params] = header.split(';');
  const media = mediaType.trim().toLowerCase();
  // The boundary and its syntax are busboy's to check.
  return type === 'json' ? isJson(media, params) : media === 'multipart/form-data';
}

function hasBody(ctx: Context): boolean {
  return Number(ctx.get('content-length')) > 0 || ctx.get('transfer-encoding') !== '';
}

/**
 * Refuses (415) a body of another type than the route's, before any parser runs: a Content-Type that is
 * not the route's (even with an empty body), and a non-empty body without one. Without both, routes with
 * optional bodies see none. Mounted once in the app, so every route is covered by construction.
 */
export function requireBodyType(): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('content-type');
    const type = bodyTypeOf(ctx);
    if (header === '' ? hasBody(ctx) : !matches(type, header)) {
      const missing = header === '' ? ' (the Content-Type header is missing)' : '';
      throw new AppError('unsupported_media_type', `The request body must be ${EXPECTED[type]}${missing}`);
    }
    await next();
  };
}
