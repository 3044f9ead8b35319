// JSON requests to the Kefu server with a bearer token; a non-2xx answer becomes an HttpError with the
// server's code (server/README.md "Errors").
import type { Http } from '../http.js';
import { HttpError, httpError } from './cards.js';

export async function requestJson<T>(
  http: Http,
  req: { method: 'GET' | 'POST'; url: string; token: string; body?: unknown },
): Promise<T> {
  const res = await http({
    method: req.method,
    url: req.url,
    headers: {
      authorization: `Bearer ${req.token}`,
      accept: 'application/json',
      ...(req.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
  });
  let json: unknown;
  try {
    json = res.body ? JSON.parse(res.body) : {};
  } catch {
    throw new HttpError(res.status, `HTTP ${String(res.status)}`);
  }
  if (res.status < 200 || res.status >= 300) throw httpError(res.status, json);
  return json as T;
}
