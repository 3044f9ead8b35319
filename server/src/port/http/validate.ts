import type { Context } from 'koa';
import type { z } from 'zod';
import { ValidationError } from '../../errors.js';

/** Parses the JSON body against a schema; a mismatch is a 400 listing each offending field. */
export function parseBody<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  const body: unknown = (ctx.request as { body?: unknown }).body;
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const fields = result.error.issues.map((i) => ({
      path: i.path.map(String).join('.'),
      message: i.message,
    }));
    const first = fields[0];
    throw new ValidationError(
      first ? `Invalid request body: ${first.path || '(body)'}: ${first.message}` : 'Invalid request body',
      { fields },
    );
  }
  return result.data;
}

/** Parses the query string against a schema; a mismatch is a 400 naming the first offending parameter. */
export function parseQuery<S extends z.ZodType>(ctx: Context, schema: S): z.infer<S> {
  const result = schema.safeParse(ctx.query);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new ValidationError(
      `Invalid query: ${first ? `${first.path.map(String).join('.') || '(query)'}: ${first.message}` : 'invalid'}`,
    );
  }
  return result.data;
}
