// JSON over HTTP for the console: the agent client's session supplies the bearer token (refreshed by
// sdk-core), a 401 renews it once, and errors become ApiError with the server's code and message.
import { ApiError, type AgentClient } from '@kefu/sdk-web/agent';
import type { FieldError } from './error-text.js';

export { ApiError };
export type { FieldError };

/** An ApiError that also carries the refused fields. */
export class FieldsError extends ApiError {
  constructor(
    message: string,
    code: string,
    status: number,
    readonly fields: FieldError[],
  ) {
    super(message, code, status);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
  /** A valid access token (uploads use XMLHttpRequest for progress). */
  token(): Promise<string>;
  readonly server: string;
}

export function createApi(server: string, client: AgentClient): Api {
  const call = async <T>(method: string, path: string, body: unknown, retried = false): Promise<T> => {
    const session = await client.sessions.current();
    const res = await fetch(`${server}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${session.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401 && !retried) {
      await client.sessions.renew();
      return call<T>(method, path, body, true);
    }
    if (res.status === 204) return undefined as T;
    const json = (await res.json().catch(() => null)) as {
      error?: { code?: string; message?: string; details?: { fields?: FieldError[] } };
    } | null;
    if (!res.ok) {
      throw new FieldsError(
        json?.error?.message ?? `HTTP ${String(res.status)}`,
        json?.error?.code ?? 'http_error',
        res.status,
        json?.error?.details?.fields ?? [],
      );
    }
    return json as T;
  };
  return {
    server,
    get: (path) => call('GET', path, undefined),
    send: (method, path, body) => call(method, path, body),
    token: async () => (await client.sessions.current()).token,
  };
}

/** `?a=1&b=x` from the defined values only. */
export function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
