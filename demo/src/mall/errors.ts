/**
 * An error with an HTTP status whose message may be shown to the caller (like Koa's `expose`):
 * `message` (English) in API bodies, `pageMessage` (Chinese) on HTML error pages.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly pageMessage?: string,
  ) {
    super(message);
  }
}

/** Ids in paths: 1-64 letters, digits, "_" or "-" (rejects traversal, markup and oversized ids). */
export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function requireId(value: string | undefined, what: string): string {
  if (value === undefined || !ID_PATTERN.test(value)) {
    throw new HttpError(400, 'bad_request', `${what} must be 1-64 letters, digits, "_" or "-"`);
  }
  return value;
}
