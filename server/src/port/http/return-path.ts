import { ValidationError } from '../../errors.js';

/**
 * The pages an SSO sign-in may land on: the agent console (console-routes.ts serves it at /console/ and
 * it routes by hash; its sign-in link sends `location.pathname`).
 */
export const RETURN_PATHS: readonly string[] = ['/console/', '/console/index.html'];

/** Where the console lives when the login did not say. */
export const DEFAULT_RETURN_PATH = '/console/';

const BASE = 'http://kefu.invalid';
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const UNSAFE = /[\\\u0000-\u001f\u007f]/;

function refused(): ValidationError {
  return new ValidationError('return_to must be a page of the agent console on this site, e.g. /console/');
}

/**
 * A `return_to` is checked after the URL parser has normalised it — dot segments, `%2e%2e` and the like
 * resolved (`/console/..//evil.example` is `//evil.example`, a protocol-relative URL) — against the
 * allow-list; the answer is the allow-listed path itself plus the query. The raw string must not hold a
 * backslash or a control character either (the parser would drop tabs and newlines, or read `\` as `/`).
 */
export function safeReturnPath(raw: unknown): string {
  if (raw === undefined) return DEFAULT_RETURN_PATH;
  if (typeof raw !== 'string' || raw.length > 512 || !raw.startsWith('/') || UNSAFE.test(raw)) {
    throw refused();
  }
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    throw refused();
  }
  const path = RETURN_PATHS.find((p) => p === url.pathname);
  if (url.origin !== BASE || path === undefined) throw refused();
  // The fragment is ours to fill (#sso=…).
  const result = `${path}${url.search}`;
  if (result.startsWith('//') || result.includes('\\')) throw refused();
  return result;
}

/**
 * The same rule for a path read back (a pending login stored by an older version, an error without
 * one): never redirect anywhere else; fall back to the console.
 */
export function landingPath(stored: string | undefined): string {
  try {
    return safeReturnPath(stored);
  } catch {
    return DEFAULT_RETURN_PATH;
  }
}
