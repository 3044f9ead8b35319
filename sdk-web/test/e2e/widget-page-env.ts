// The demo mall's widget for one test file: the real server (embedded Aedes broker) and FerretDB, the
// demo mall embedding the widget exactly as the real mall would, reached through a proxy the test can
// cut, the admin agent on sdk-core over mqtt.js, and one Chromium page signed in to the mall as u1001.
// Started before the file's tests and stopped after them; read it inside tests only.
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import { getFreePort, testMongoUri, waitFor } from '@kefu/tools/testing';
import { launchChromium } from '@kefu/tools/chromium';
import { startMall, type RunningMall } from '@kefu/demo';
import { startServer, type KefuServer } from '../../../server/src/server.js';
import { silentLogger, testConfig } from '../../../server/test/helpers.js';
import { agent, collect, online } from '../../../server/test/messaging/harness.js';
import { startProxy, type CuttableProxy } from './proxy.js';

export const W = '[data-kefu]';

export interface WidgetPageEnv {
  server: KefuServer;
  mall: RunningMall;
  proxy: CuttableProxy;
  browser: Browser;
  context: BrowserContext;
  /** The shopper's page; it records the host page's globals before the widget (`__hostKeys`). */
  page: Page;
  admin: AgentClient;
  /** Every message the admin agent received, in arrival order. */
  atAgent: kefu.v1.IMessage[];
  /** The page's console errors (but while `expectingNetworkErrors`) and uncaught exceptions. */
  consoleErrors: string[];
  pageErrors: string[];
  expectingNetworkErrors: boolean;
  /** A locator inside the widget's shadow root. */
  widget: (selector: string) => Locator;
  agentGot: (what: string, pick: (m: kefu.v1.IMessage) => boolean) => Promise<kefu.v1.IMessage>;
}

export function useWidgetPage(label: string): WidgetPageEnv {
  const env = {
    atAgent: [],
    consoleErrors: [],
    pageErrors: [],
    expectingNetworkErrors: false,
    widget: (selector) => env.page.locator(`${W} ${selector}`),
    agentGot: (what, pick) =>
      waitFor(`agent receives ${what}`, () => env.atAgent.find(pick), { timeoutMs: 20_000 }),
  } as Partial<WidgetPageEnv> as WidgetPageEnv;

  beforeAll(async () => {
    // The browser reaches the server through a proxy the test can cut; the mall knows the proxy's URL.
    const serverPort = await getFreePort();
    env.proxy = await startProxy(serverPort);
    env.mall = await startMall({ kefuUrl: env.proxy.url, port: 0 });
    env.server = await startServer(
      testConfig({
        PORT: String(serverPort),
        MONGODB_URI: testMongoUri(label),
        ADMIN_PASSWORD: 'admin-pass-123',
        MALL_PRODUCT_URL: `${env.mall.url}/api/products/{id}`,
        MALL_ORDERS_URL: `${env.mall.url}/api/users/{user_id}/orders?limit={limit}`,
        MALL_ORDER_URL: `${env.mall.url}/api/users/{user_id}/orders/{order_no}`,
        ROUTING_SCAN_INTERVAL_MS: '200',
      }),
      silentLogger,
    );
    env.admin = agent(env.server.url, 'admin', 'admin-pass-123');
    env.atAgent = collect(env.admin);
    await env.admin.start();
    await online(env.admin);

    env.browser = await launchChromium();
    env.context = await env.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    env.page = await env.context.newPage();
    env.page.on('console', (m) => {
      if (m.type() === 'error' && !env.expectingNetworkErrors) env.consoleErrors.push(m.text());
    });
    env.page.on('pageerror', (e) => env.pageErrors.push(e.message));
    // What the host page has before the widget: its globals.
    await env.page.addInitScript(() => {
      (window as unknown as { __hostKeys: string[] }).__hostKeys = Object.keys(window);
    });
    await env.page.goto(`${env.mall.url}/login`);
    await Promise.all([
      env.page.waitForURL((u) => !u.pathname.startsWith('/login')),
      env.page.click('.person[data-user-id="u1001"] button'),
    ]);
  }, 180_000);

  afterAll(async () => {
    await env.browser.close();
    await env.admin.stop();
    await env.server.stop();
    await env.mall.stop();
    await env.proxy.close();
  });
  return env;
}

/**
 * Opens the panel from the bubble and sends `text`; resolves with the conversation it reached the agent
 * in (for files whose tests start from a running chat).
 */
export async function startChat(env: WidgetPageEnv, text: string): Promise<string> {
  await env.page.locator(`${W} button.b`).click();
  await env.widget('textarea').fill(text);
  await env.widget('textarea').press('Enter');
  return (await env.agentGot('the first text', (m) => m.content?.text?.text === text)).conversationId ?? '';
}
