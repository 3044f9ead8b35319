import { DEV_IDENTITY_SECRET } from '../mall/identity.js';

/** Everything the launcher reads from the environment, validated before anything starts. */
export interface LaunchSettings {
  mall: {
    host: string;
    port: number;
    publicUrl: string | undefined;
    identitySecret: string;
    apiToken: string | undefined;
  };
  /** Where the browser reaches the Kefu server (the widget's `server`, the loader's origin). */
  kefuPublicUrl: string;
  /** Where the launcher polls the server's /readyz (its listening address). */
  serverLocalUrl: string;
  readyTimeoutMs: number;
}

/** Thrown when the environment is invalid; the message names every offending variable. */
export class LaunchConfigError extends Error {
  override readonly name = 'LaunchConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Empty strings count as unset, as in the server's config. */
const read = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
};

/** `http://host:port`, with wildcard hosts replaced by loopback and IPv6 in brackets. */
export function localUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** Parses MALL_HOST, MALL_PORT, MALL_PUBLIC_URL, MALL_API_TOKEN, IDENTITY_SECRET, HOST, PORT, KEFU_PUBLIC_URL. */
export function parseLaunchEnv(env: Env): LaunchSettings {
  const problems: string[] = [];
  const port = (name: string, fallback: number): number => {
    const raw = read(env, name);
    if (raw === undefined) return fallback;
    if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
      problems.push(`${name}=${JSON.stringify(raw)}: must be an integer from 0 to 65535`);
      return fallback;
    }
    return Number(raw);
  };
  const httpUrl = (name: string): string | undefined => {
    const raw = read(env, name);
    if (raw === undefined) return undefined;
    try {
      const url = new URL(raw);
      if (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        !url.search &&
        !url.hash &&
        !url.username
      ) {
        return url.href.replace(/\/+$/, '');
      }
    } catch {
      // reported below
    }
    problems.push(
      `${name}=${JSON.stringify(raw)}: must be an http(s) URL without credentials, query or fragment`,
    );
    return undefined;
  };

  const serverPort = port('PORT', 8080);
  const serverHost = read(env, 'HOST') ?? '127.0.0.1';
  const mallPort = port('MALL_PORT', 8081);
  const mallHost = read(env, 'MALL_HOST') ?? '127.0.0.1';
  const kefuPublicUrl = httpUrl('KEFU_PUBLIC_URL') ?? `http://127.0.0.1:${serverPort}`;
  const mallPublicUrl = httpUrl('MALL_PUBLIC_URL');
  const identitySecret = read(env, 'IDENTITY_SECRET') ?? DEV_IDENTITY_SECRET;
  if (identitySecret.length < 16) problems.push('IDENTITY_SECRET: must be at least 16 characters');
  if (serverPort === 0) problems.push('PORT=0: the launcher needs a fixed port for the Kefu server');
  if (problems.length) throw new LaunchConfigError(problems);
  return {
    mall: {
      host: mallHost,
      port: mallPort,
      publicUrl: mallPublicUrl,
      identitySecret,
      apiToken: read(env, 'MALL_API_TOKEN'),
    },
    kefuPublicUrl,
    serverLocalUrl: localUrl(serverHost, serverPort),
    readyTimeoutMs: 180_000,
  };
}

/**
 * The Kefu server's environment: everything passed through, plus the mall adapter URLs pointing at the
 * running mall and the mall's API token unless they are already set.
 */
export function serverEnv(env: Env, mallUrl: string, mallApiToken?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) out[key] = value;
  const defaults: Record<string, string> = {
    MALL_PRODUCT_URL: `${mallUrl}/api/products/{id}`,
    MALL_ORDERS_URL: `${mallUrl}/api/users/{user_id}/orders?limit={limit}`,
    MALL_ORDER_URL: `${mallUrl}/api/users/{user_id}/orders/{order_no}`,
    // Deep links from the agent console's customer panel to the mall's own pages.
    MALL_PRODUCT_PAGE_URL: `${mallUrl}/products/{id}`,
    MALL_ORDER_PAGE_URL: `${mallUrl}/orders/{order_no}`,
  };
  // The demo mall's token goes only where the adapter talks to the demo mall.
  const demoMall = ['MALL_PRODUCT_URL', 'MALL_ORDERS_URL', 'MALL_ORDER_URL'].every(
    (k) => read(env, k) === undefined,
  );
  if (mallApiToken !== undefined && demoMall) defaults['MALL_API_TOKEN'] = mallApiToken;
  for (const [key, value] of Object.entries(defaults)) if (read(env, key) === undefined) out[key] = value;
  return out;
}
