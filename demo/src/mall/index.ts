import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMallApp } from './app.js';
import { DEV_IDENTITY_SECRET } from './identity.js';
import { SessionStore } from './session.js';

export { DEV_IDENTITY_SECRET, signCustomer, type SignedIdentity } from './identity.js';
export { CUSTOMERS, type Customer } from './users.js';
export { PRODUCTS, type Product } from './catalog.js';
export { listOrders, findOrder, type Order } from './orders.js';
export type { ApiOrder, ApiProduct, OrderCard, ProductCard } from './cards.js';

export interface MallOptions {
  /** Kefu server base URL (http or https): the widget's `server` and where the loader is loaded from. */
  kefuUrl: string;
  /** Default 8081; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The mall's public base URL for absolute links and images; default http://<host>:<port>. */
  publicUrl?: string;
  /** Shared with the Kefu server (its IDENTITY_SECRET); default the server's development secret. */
  identitySecret?: string;
  /**
   * When set, the backend API (/api/products, /api/users) requires this bearer token. The launcher always
   * sets one (MALL_API_TOKEN, else a random one per start): orders are personal data.
   */
  apiToken?: string;
}

export interface RunningMall {
  /** Where the mall listens, e.g. http://127.0.0.1:8081 (no trailing slash). */
  url: string;
  stop(): Promise<void>;
}

/** Thrown before anything starts when an option is invalid; the message names the option. */
export class MallOptionsError extends Error {
  override readonly name = 'MallOptionsError';
}

function baseUrl(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new MallOptionsError(`${name} must be an absolute http(s) URL, got ${JSON.stringify(value)}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username) {
    throw new MallOptionsError(
      `${name} must be an http(s) URL without credentials, query or fragment, got ${JSON.stringify(value)}`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** `http://host:port` for a listening address; wildcard hosts become loopback. */
function listenUrl(host: string, port: number): string {
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/** Starts the demo mall (pages, identity endpoint, backend API) and resolves once it listens. */
export async function startMall(options: MallOptions): Promise<RunningMall> {
  const kefuUrl = baseUrl('kefuUrl', options.kefuUrl);
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 8081;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new MallOptionsError(`port must be an integer from 0 to 65535, got ${String(port)}`);
  }
  const configuredPublicUrl =
    options.publicUrl === undefined ? undefined : baseUrl('publicUrl', options.publicUrl);
  const identitySecret = options.identitySecret ?? DEV_IDENTITY_SECRET;
  if (identitySecret.length < 16) throw new MallOptionsError('identitySecret must be at least 16 characters');
  const apiToken = options.apiToken === '' ? undefined : options.apiToken;

  let url = '';
  const app = createMallApp({
    kefuUrl,
    publicUrl: () => configuredPublicUrl ?? url,
    identitySecret,
    apiToken,
    sessions: new SessionStore(),
  });
  const handle = app.callback();
  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  url = listenUrl(host, (server.address() as AddressInfo).port);
  return {
    url,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}
