// Screenshots of the open panel in zh-CN, desktop and phone, for the README (docs/). Runs the real
// demo: server (embedded broker and FerretDB in a temporary directory), demo mall, an agent, Chromium
// (with its fake microphone, for the voice clip).
//   npm run screenshots -w @kefu/sdk-web      (Chinese text and emoji need fonts: apt-get install fonts-wqy-microhei fonts-noto-color-emoji)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { kefu } from '@kefu/proto';
import {
  createAgentClient,
  createFetchHttp,
  createMemoryStorage,
  createMqttTransport,
  type MqttLikeConnect,
} from '@kefu/sdk-core';
import { chromium } from 'playwright-core';
import { getFreePort } from '@kefu/tools';
import { CHROMIUM_ARGS, CHROMIUM_BIN } from '@kefu/tools/chromium';
import { waitFor } from '@kefu/tools/testing';
import { startMall } from '@kefu/demo';
import mqtt from 'mqtt';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { startServer } from '../../server/src/server.js';

const out = fileURLToPath(new URL('../../docs/', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'kefu-shots-'));
const port = await getFreePort();
const kefuUrl = `http://127.0.0.1:${String(port)}`;
const mall = await startMall({ kefuUrl, port: 0 });
const server = await startServer(
  loadConfig({
    PORT: String(port),
    EMBEDDED_MQTT_PORT: '0',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: 'admin-pass-123',
    MALL_PRODUCT_URL: `${mall.url}/api/products/{id}`,
    MALL_ORDERS_URL: `${mall.url}/api/users/{user_id}/orders?limit={limit}`,
    MALL_ORDER_URL: `${mall.url}/api/users/{user_id}/orders/{order_no}`,
  }),
  createLogger('warn'),
);
const agent = createAgentClient({
  baseUrl: server.url,
  transport: createMqttTransport(mqtt.connect as unknown as MqttLikeConnect),
  http: createFetchHttp(fetch),
  storage: createMemoryStorage(),
  username: 'admin',
  password: 'admin-pass-123',
});
const seen: kefu.v1.IMessage[] = [];
agent.on('message', (m) => seen.push(m));
await agent.start();
await waitFor('agent online', () => agent.status === 'online');

const browser = await chromium.launch({
  executablePath: CHROMIUM_BIN,
  args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  headless: true,
});
try {
  for (const [name, viewport, mobile] of [
    ['widget-desktop', { width: 1280, height: 800 }, false],
    ['widget-phone', { width: 390, height: 844 }, true],
  ] as const) {
    const context = await browser.newContext({
      viewport,
      locale: 'zh-CN',
      isMobile: mobile,
      hasTouch: mobile,
      deviceScaleFactor: mobile ? 2 : 1,
    });
    const page = await context.newPage();
    await page.goto(`${mall.url}/login`);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/login')),
      page.click('.person[data-user-id="u1001"] button'),
    ]);
    await page.goto(`${mall.url}/products/p1001`);
    const before = seen.length;
    // (dispatchEvent: on phones the demo page's layout overlaps the button for Playwright's hit test)
    await page.locator('#ask-product').dispatchEvent('click');
    const card = await waitFor('product card', () => seen.slice(before).find((m) => m.content?.product));
    const conversation = card.conversationId ?? '';
    const w = (s: string) => page.locator(`[data-kefu] ${s}`);
    if (name === 'widget-desktop') {
      await w('textarea').fill('你好，这款耳机今天下单什么时候能发货？😊');
      await w('textarea').press('Enter');
      const asked = await waitFor('text', () => seen.slice(before).find((m) => m.content?.text));
      // The agent answers quoting the question; the customer answers with a voice clip.
      await agent.send(
        conversation,
        { text: { text: '您好，我是客服小李～今天 16 点前下单当天发货，一般 2–3 天送达 🚚' } },
        { quoteMessageId: asked.id ?? '' },
      );
      await page.waitForTimeout(300);
      await w('[data-testid=voice-button]').click();
      await page.waitForTimeout(3_200);
      await w('[data-testid=recording] button:has-text("发送语音")').click();
      await waitFor('voice clip', () => seen.slice(before).find((m) => m.content?.voice), {
        timeoutMs: 20_000,
      });
      await page.waitForTimeout(300);
      await agent.typing(conversation, true);
    }
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${out}${name}.png` });
    console.log(`wrote docs/${name}.png`);
    await context.close();
  }
} finally {
  await browser.close();
  await agent.stop();
  await server.stop();
  await mall.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
