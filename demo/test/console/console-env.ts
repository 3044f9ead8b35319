// The stack of the console's core end-to-end files (sign-in, chat, dashboard): the real server (embedded
// Aedes broker), FerretDB, the demo mall (mall adapter) and a real OpenID provider (oidc-provider) for SSO;
// agent 小王 and supervisor 老张 (SSO by email), and one Chromium with a page for each of them, the
// agent's page wiretapped. Started before the file's tests and stopped after them; read it inside tests.
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { getFreePort, testMongoUri } from '@kefu/tools/testing';
import { launchChromium } from '@kefu/tools/chromium';
import { startMall, type RunningMall } from '../../src/mall/index.js';
import { startServer, type KefuServer } from '../../../server/src/server.js';
import { silentLogger, testConfig } from '../../../server/test/helpers.js';
import { startTestIdp, type TestIdp } from '../../../server/test/sso/test-idp.js';
import { agentToken, apiAs } from '../helpers.js';
import { ADMIN_PASSWORD } from './stack.js';

export { ADMIN_PASSWORD };
/** The customer's phone and name: never unmasked at an agent without pii:view. */
export const PHONE = '13812345678';
export const NAME = '张三丰';

/** Everything a page received: HTTP bodies (text) and WebSocket frames (bytes). */
function wiretap(page: Page): { http: string[]; frames: Buffer[] } {
  const tap = { http: [] as string[], frames: [] as Buffer[] };
  page.on('response', (res) => {
    void res.body().then(
      (b) => tap.http.push(b.toString('utf8')),
      () => undefined,
    );
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', (f) =>
      tap.frames.push(typeof f.payload === 'string' ? Buffer.from(f.payload) : f.payload),
    );
  });
  return tap;
}

export interface ConsoleEnv {
  server: KefuServer;
  mall: RunningMall;
  idp: TestIdp;
  browser: Browser;
  agentContext: BrowserContext;
  /** 小王's page (wiretapped) and 老张's. */
  agentPage: Page;
  superPage: Page;
  agentTap: ReturnType<typeof wiretap>;
  /** Agent uid by username. */
  uids: Record<string, string>;
  /** Uncaught errors of both pages (and of pages a test adds). */
  pageErrors: string[];
  /** The admin's JSON API. */
  api: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;
  /** Agents that may take a transfer right now (online, below their limit). */
  available: () => Promise<string[]>;
}

export function useConsoleEnv(label: string): ConsoleEnv {
  let adminToken = '';
  const c = {
    uids: {},
    pageErrors: [],
    api: apiAs(
      () => c.server.url,
      () => adminToken,
    ),
    available: async () =>
      ((await c.api('GET', '/agent/transfer-targets'))['agents'] as { uid: string }[]).map((a) => a.uid),
  } as unknown as ConsoleEnv;

  beforeAll(async () => {
    const port = await getFreePort();
    const base = `http://127.0.0.1:${String(port)}`;
    c.idp = await startTestIdp({ redirectUris: [`${base}/api/v1/agent/sso/callback`] });
    c.idp.users.set('sso-laozhang', { email: 'laozhang@example.com', email_verified: true, name: '老张' });
    c.mall = await startMall({ kefuUrl: base, port: 0 });
    c.server = await startServer(
      testConfig({
        PORT: String(port),
        MONGODB_URI: testMongoUri(label),
        ADMIN_PASSWORD,
        OIDC_ISSUER: c.idp.issuer,
        OIDC_CLIENT_ID: c.idp.clientId,
        OIDC_CLIENT_SECRET: c.idp.clientSecret,
        OIDC_NAME: '企业微信',
        MALL_PRODUCT_URL: `${c.mall.url}/api/products/{id}`,
        MALL_ORDERS_URL: `${c.mall.url}/api/users/{user_id}/orders?limit={limit}`,
        MALL_ORDER_URL: `${c.mall.url}/api/users/{user_id}/orders/{order_no}`,
      }),
      silentLogger,
    );
    adminToken = await agentToken(c.server.url, 'admin', ADMIN_PASSWORD);
    for (const a of [
      { username: 'xiaowang', display_name: '小王', role: 'agent', password: 'xiaowang-pass-1' },
      {
        username: 'laozhang',
        display_name: '老张',
        role: 'supervisor',
        password: 'laozhang-pass-1',
        email: 'laozhang@example.com',
      },
    ]) {
      const created = await c.api('POST', '/admin/agents', { ...a, max_concurrent: 5 });
      c.uids[a.username] = String(created['uid']);
    }

    c.browser = await launchChromium();
    c.agentContext = await c.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
    c.agentPage = await c.agentContext.newPage();
    c.agentPage.on('pageerror', (e) => c.pageErrors.push(e.message));
    c.agentTap = wiretap(c.agentPage);
    const superContext = await c.browser.newContext({
      viewport: { width: 1400, height: 900 },
      locale: 'zh-CN',
    });
    c.superPage = await superContext.newPage();
    c.superPage.on('pageerror', (e) => c.pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await c.browser.close();
    await c.server.stop();
    await c.mall.stop();
    await c.idp.close();
  });
  return c;
}
