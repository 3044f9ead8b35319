// The browser agent SDK the console is built on: sdk-core's AgentClient with the browser transport,
// localStorage and fetch, plus the sign-in calls a console page makes before a client exists.
import { createAgentClient, type AgentClient, type GrantBody } from '@kefu/sdk-core';
import { createBrowserHttp, createLocalStorage, watchBrowserNetwork } from './platform.js';
import { createWebSocketTransport } from './transport/index.js';

export type { AgentClient, AgentStatusName, GrantBody } from '@kefu/sdk-core';

export interface BrowserAgentOptions {
  /** Server HTTP base, e.g. https://kefu.example.com (the console's own origin when served by the server). */
  server: string;
  /**
   * What a sign-in endpoint answered (`POST /api/v1/agent/sessions` or `/agent/sso/exchange`), or the uid
   * of an agent who signed in on this device before (a reload: the stored, refreshed session is used).
   */
  session: GrantBody | { resume: string };
}

/** An agent client for a signed-in browser tab; `start()` connects, `stop()` goes offline. */
export function createBrowserAgentClient(options: BrowserAgentOptions): AgentClient {
  const client = createAgentClient({
    baseUrl: options.server,
    transport: createWebSocketTransport(),
    storage: createLocalStorage('kefu:agent'),
    http: createBrowserHttp(),
    // A console shows one conversation at a time and pages its history over HTTP: hundreds of open
    // conversations must not each replay their history over MQTT at sign-in.
    backfill: false,
    ...('resume' in options.session ? { resume: options.session.resume } : { session: options.session }),
  });
  // For the tab's life: a stopped client ignores it.
  watchBrowserNetwork((online) => {
    client.networkChanged(online);
  });
  return client;
}

/** An error answer of the API, with its code (`unauthenticated`, `forbidden`, `conflict`…). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** POSTs JSON to a sign-in endpoint; resolves to the session body or rejects with an ApiError. */
export async function signIn(server: string, path: string, body: unknown): Promise<GrantBody> {
  const res = await fetch(`${server.replace(/\/+$/, '')}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await res.json().catch(() => null)) as
    (GrantBody & { error?: { code?: string; message?: string } }) | null;
  if (!res.ok || !json?.token) {
    throw new ApiError(
      json?.error?.message ?? `HTTP ${String(res.status)}`,
      json?.error?.code ?? 'http_error',
      res.status,
    );
  }
  return json;
}

export { downscaleImage } from './panel/image.js';
export { HttpError, imageContent, uploadWithProgress, type UploadResult } from './upload.js';
