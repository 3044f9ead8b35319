import { request } from 'node:http';
import { startMall, type MallOptions, type RunningMall } from '../src/index.js';

export const KEFU_URL = 'http://127.0.0.1:18080';

export async function mall(options: Partial<MallOptions> = {}): Promise<RunningMall> {
  return startMall({ kefuUrl: KEFU_URL, port: 0, ...options });
}

/** Signs in as a demo customer through the real form and returns the session cookie. */
export async function signIn(base: string, userId: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    body: new URLSearchParams({ user_id: userId, next: '/' }),
    redirect: 'manual',
  });
  const cookie = res.headers.get('set-cookie');
  if (res.status !== 303 || !cookie) throw new Error(`sign-in as ${userId} failed: ${String(res.status)}`);
  return cookie.split(';')[0] ?? '';
}

export async function page(
  base: string,
  path: string,
  cookie?: string,
): Promise<{ status: number; text: string; res: Response }> {
  const res = await fetch(`${base}${path}`, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  return { status: res.status, text: await res.text(), res };
}

/** A request whose path is sent byte for byte (fetch would normalise `..`). */
export function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** The JSON of a data attribute (HTML entities decoded) from a page, e.g. data-kefu-order. */
export function dataJson(html: string, attribute: string): unknown[] {
  const out: unknown[] = [];
  for (const m of html.matchAll(new RegExp(`${attribute}="([^"]*)"`, 'g'))) {
    const decoded = (m[1] ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
    out.push(JSON.parse(decoded));
  }
  return out;
}

/**
 * A JSON caller of the Kefu API as one signed-in agent; base URL and token are read at each call (the
 * tests set them in beforeAll).
 */
export function apiAs(
  baseUrl: () => string,
  token: () => string,
): (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>> {
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl()}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token()}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await res.json()) as Record<string, unknown>;
  };
}

/** An agent's access token from the Kefu sign-in API. */
export async function agentToken(baseUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/v1/agent/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return ((await res.json()) as { token: string }).token;
}
