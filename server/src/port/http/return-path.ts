import { ValidationError } from '../../errors.js';

/** Where the console lives when the login did not say. */
export const DEFAULT_RETURN_PATH = '/';

/**
 * A `return_to` must be a path on this origin: `//evil.example`, `/\evil.example`, `https://…` and
 * anything with control characters would let a crafted sign-in link send the SSO ticket elsewhere.
 */
export function safeReturnPath(raw: unknown): string {
  if (raw === undefined) return DEFAULT_RETURN_PATH;
  if (
    typeof raw !== 'string' ||
    raw.length > 512 ||
    !raw.startsWith('/') ||
    raw.startsWith('//') ||
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
    /[\\\u0000-\u001f\u007f]/.test(raw)
  ) {
    throw new ValidationError('return_to must be a path on this site, e.g. /console/');
  }
  const base = 'http://kefu.invalid';
  const url = new URL(raw, base);
  if (url.origin !== base) throw new ValidationError('return_to must be a path on this site');
  // The fragment is ours to fill (#sso=…).
  return `${url.pathname}${url.search}`;
}
