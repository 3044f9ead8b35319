// The widget's end-to-end setup shared by the issue-17 test files: the real server (embedded broker,
// FerretDB) with the demo mall as its mall adapter, the demo mall embedding the widget, Debian's Chromium
// and the admin agent on sdk-core. Pages sign in through the mall's own form.
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import type { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import { getFreePort, testMongoUri, waitFor } from '@kefu/tools/testing';
import { CHROMIUM_ARGS, CHROMIUM_BIN } from '@kefu/tools/chromium';
import { startMall, type RunningMall } from '@kefu/demo';
import { startServer, type KefuServer } from '../../../server/src/server.js';
import { silentLogger, testConfig } from '../../../server/test/helpers.js';
import { agent, collect, online } from '../../../server/test/messaging/harness.js';
import { injectMessage as injectStored } from '../../../server/test/messaging/inject.js';

export const W = '[data-kefu]';
export const ADMIN_PASSWORD = 'admin-pass-123';
/** The demo mall's operators and the tests read times in China Standard Time. */
export const TIME_ZONE = 'Asia/Shanghai';

export interface WidgetEnv {
  server: KefuServer;
  mall: RunningMall;
  browser: Browser;
  admin: AgentClient;
  /** Every message the admin agent received, in arrival order. */
  atAgent: kefu.v1.IMessage[];
  /** Browser console errors and uncaught page exceptions of every page opened with `newPage`. */
  errors: string[];
  stop(): Promise<void>;
}

/**
 * Starts everything. `chromiumArgs` are added to @kefu/tools' flags (launchChromium takes none, so the
 * browser is launched here the same way with the extra ones, e.g. fake media devices).
 */
export async function startWidgetEnv(
  name: string,
  chromiumArgs: string[] = [],
  serverEnv: Record<string, string> = {},
): Promise<WidgetEnv> {
  const port = await getFreePort();
  const mall = await startMall({ kefuUrl: `http://127.0.0.1:${String(port)}`, port: 0 });
  const server = await startServer(
    testConfig({
      PORT: String(port),
      MONGODB_URI: testMongoUri(name),
      ADMIN_PASSWORD,
      MALL_PRODUCT_URL: `${mall.url}/api/products/{id}`,
      MALL_ORDERS_URL: `${mall.url}/api/users/{user_id}/orders?limit={limit}`,
      MALL_ORDER_URL: `${mall.url}/api/users/{user_id}/orders/{order_no}`,
      ROUTING_SCAN_INTERVAL_MS: '200',
      ...serverEnv,
    }),
    silentLogger,
  );
  const admin = agent(server.url, 'admin', ADMIN_PASSWORD);
  const atAgent = collect(admin);
  await admin.start();
  await online(admin);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_BIN,
    args: [...CHROMIUM_ARGS, ...chromiumArgs],
    headless: true,
  });
  return {
    server,
    mall,
    browser,
    admin,
    atAgent,
    errors: [],
    async stop() {
      await browser.close();
      await admin.stop();
      await server.stop();
      await mall.stop();
    },
  };
}

export interface ShopperOptions {
  viewport?: { width: number; height: number };
  locale?: string;
}

/** A new browser context signed in to the mall as `userId` (or a visitor), on the mall's home page. */
export async function shopper(
  env: WidgetEnv,
  userId: string | undefined,
  options: ShopperOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await env.browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: TIME_ZONE,
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') env.errors.push(m.text());
  });
  page.on('pageerror', (e) => env.errors.push(e.message));
  if (userId) {
    await page.goto(`${env.mall.url}/login`);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/login')),
      page.click(`.person[data-user-id="${userId}"] button`),
    ]);
  } else await page.goto(`${env.mall.url}/`);
  return { context, page };
}

/** A locator inside the widget's shadow root. */
export function inWidget(page: Page): (selector: string) => Locator {
  return (selector) => page.locator(`${W} ${selector}`);
}

/** Opens the panel from the bubble and waits for the conversation (the composer's input). */
export async function openChat(page: Page): Promise<void> {
  await page.locator(`${W} button.b`).click();
  await page.locator(`${W} .w`).waitFor({ state: 'visible' });
}

export function agentGot(
  env: WidgetEnv,
  what: string,
  pick: (m: kefu.v1.IMessage) => boolean,
): Promise<kefu.v1.IMessage> {
  return waitFor(`agent receives ${what}`, () => env.atAgent.find(pick), { timeoutMs: 20_000 });
}

/** The conversation the customer `uid` (u_<mall id>) has open. */
export function conversationOf(env: WidgetEnv, customerUid: string): Promise<string> {
  return waitFor(`${customerUid}'s conversation`, async () => {
    const c = await env.server.db
      .collection('conversations')
      .findOne({ customer_uid: customerUid, status: { $ne: 'closed' } });
    return c ? String(c['_id']) : undefined;
  });
}

/**
 * Stores a message sent at `createdAt` (the next seq of the conversation; by the admin agent unless
 * `from` is the customer) and fans it out to the customer, the way the server does: how history from
 * other days, or messages older than the recall window, get into a test. Returns the message id.
 */
export function injectMessage(
  env: WidgetEnv,
  conversationId: string,
  customerUid: string,
  content: kefu.v1.IContent,
  createdAt: Date,
  from: 'agent' | 'customer' = 'agent',
): Promise<string> {
  const sender =
    from === 'agent'
      ? { uid: env.admin.uid ?? 'admin', role: 'agent' as const, name: '管理员' }
      : { uid: customerUid, role: 'customer' as const };
  return injectStored(env.server, conversationId, sender, customerUid, content, createdAt);
}
