// The real stack the console's end-to-end tests run against: the Kefu server (embedded Aedes broker,
// FerretDB), optionally the demo mall, Debian's Chromium, agents created through the admin API, and
// customers as sdk-core clients over mqtt.js.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { kefu } from '@kefu/proto';
import { createCustomerClient, createMemoryStorage, type CustomerClient } from '@kefu/sdk-core';
import { getFreePort, testMongoUri, waitFor } from '@kefu/tools/testing';
import { CHROMIUM_ARGS, CHROMIUM_BIN } from '@kefu/tools/chromium';
import { startMall, type RunningMall } from '../../src/mall/index.js';
import { startServer, type KefuServer } from '../../../server/src/server.js';
import { silentLogger, testConfig } from '../../../server/test/helpers.js';
import { collect, http, online, transport } from '../../../server/test/messaging/harness.js';
import { signIdentity } from '../../../server/src/service/auth/identity.js';
import { DEV_IDENTITY_SECRET } from '../../../server/src/config.js';
import { conversationModel } from '../../../server/src/model/conversation.js';
import { startProxy, type CuttableProxy } from '../../../sdk-web/test/e2e/proxy.js';
import { agentToken, apiAs } from '../helpers.js';

export const ADMIN_PASSWORD = 'admin-pass-123';

export interface AgentSpec {
  username: string;
  display_name: string;
  role: 'agent' | 'supervisor' | 'admin';
  password: string;
  max_concurrent?: number;
}

export interface Customer {
  client: CustomerClient;
  /** Every message the customer received, in order. */
  messages: kefu.v1.IMessage[];
}

export interface Stack {
  server: KefuServer;
  mall: RunningMall | undefined;
  /** With `proxy`: what the mall's widget connects through, to cut the customers' network. */
  proxy: CuttableProxy | undefined;
  browser: Browser;
  /** The admin's JSON API. */
  api: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;
  /** Agent uid by username. */
  uids: Record<string, string>;
  /** Uncaught errors of every page opened through `page()`. */
  pageErrors: string[];
  page(options?: { locale?: string; init?: string }): Promise<Page>;
  customer(userId: string, name: string): Promise<Customer>;
  /** A customer opens a chat and it is assigned to the agent. */
  chat(c: Customer, agentUsername: string, channel?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startStack(
  label: string,
  options: {
    agents?: AgentSpec[];
    mall?: boolean;
    /** The mall's widget reaches the server through a proxy the test can cut. */
    proxy?: boolean;
    env?: Record<string, string>;
    chromiumArgs?: string[];
  } = {},
): Promise<Stack> {
  const port = await getFreePort();
  const base = `http://127.0.0.1:${String(port)}`;
  const proxy = options.proxy ? await startProxy(port) : undefined;
  const mall = options.mall ? await startMall({ kefuUrl: proxy?.url ?? base, port: 0 }) : undefined;
  const server = await startServer(
    testConfig({
      PORT: String(port),
      MONGODB_URI: testMongoUri(label),
      ADMIN_PASSWORD,
      ...(mall
        ? {
            MALL_PRODUCT_URL: `${mall.url}/api/products/{id}`,
            MALL_ORDERS_URL: `${mall.url}/api/users/{user_id}/orders?limit={limit}`,
            MALL_ORDER_URL: `${mall.url}/api/users/{user_id}/orders/{order_no}`,
          }
        : {}),
      ...options.env,
    }),
    silentLogger,
  );
  const adminToken = await agentToken(server.url, 'admin', ADMIN_PASSWORD);
  const api = apiAs(
    () => server.url,
    () => adminToken,
  );
  const uids: Record<string, string> = {};
  for (const a of options.agents ?? []) {
    const created = await api('POST', '/admin/agents', { max_concurrent: 5, ...a });
    uids[a.username] = String(created['uid']);
  }
  // launchChromium() takes no extra flags; the fake microphone needs two, so launch with the same base.
  const browser = await chromium.launch({
    executablePath: CHROMIUM_BIN,
    args: [...CHROMIUM_ARGS, ...(options.chromiumArgs ?? [])],
    headless: true,
  });
  const contexts: BrowserContext[] = [];
  const customers: CustomerClient[] = [];
  const pageErrors: string[] = [];
  return {
    server,
    mall,
    proxy,
    browser,
    api,
    uids,
    pageErrors,
    async page({ locale = 'zh-CN', init } = {}) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale });
      contexts.push(context);
      if (init) await context.addInitScript(init);
      const page = await context.newPage();
      page.on('pageerror', (e) => pageErrors.push(e.message));
      return page;
    },
    async customer(userId, name) {
      const client = createCustomerClient({
        baseUrl: server.url,
        transport,
        http,
        storage: createMemoryStorage(),
        identify: () => {
          const identity = { user_id: userId, name, level: 2, ts: Math.floor(Date.now() / 1000) };
          return Promise.resolve({ identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) });
        },
      });
      const messages = collect(client);
      customers.push(client);
      await client.start();
      await online(client);
      return { client, messages };
    },
    async chat(c, agentUsername, channel = 'web') {
      const state = await c.client.open({ channel });
      const id = state.id ?? '';
      await waitFor(
        `chat ${id} assigned to ${agentUsername}`,
        async () => {
          const doc = await conversationModel(server.db).findById(id).lean();
          return doc?.agent_uid === uids[agentUsername];
        },
        { timeoutMs: 20_000 },
      );
      return id;
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      for (const c of customers) await c.stop();
      await server.stop();
      await mall?.stop();
      await proxy?.close();
    },
  };
}

/** Signs in on the console's page and waits for the workbench. */
export async function signInConsole(page: Page, server: KefuServer, username: string, password: string) {
  await page.goto(`${server.url}/console/`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('.app .top');
}

/** Waits until the customer has received a message matching `pick`. */
export function received(
  c: Customer,
  what: string,
  pick: (m: kefu.v1.IMessage) => boolean,
): Promise<kefu.v1.IMessage> {
  return waitFor(`customer receives ${what}`, () => c.messages.find(pick), { timeoutMs: 20_000 });
}
