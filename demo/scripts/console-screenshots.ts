// Screenshots of the agent console in zh-CN for the README (docs/): the workbench with a conversation
// open, and the customer panel. Runs the real stack: server (embedded broker and FerretDB in a temporary
// directory), the demo mall (mall adapter), customers on the sdk-core client, Chromium.
//   npm run screenshots -w @kefu/demo     (Chinese text and emoji need fonts: apt-get install fonts-wqy-microhei fonts-noto-color-emoji)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import {
  createCustomerClient,
  createFetchHttp,
  createMemoryStorage,
  createMqttTransport,
  type CustomerClient,
  type MqttLikeConnect,
} from '@kefu/sdk-core';
import { getFreePort, launchChromium } from '@kefu/tools';
import { waitFor } from '@kefu/tools/testing';
import { loadConfig } from '../../server/src/config.js';
import { createLogger } from '../../server/src/log.js';
import { startServer } from '../../server/src/server.js';
import { signIdentity } from '../../server/src/service/auth/identity.js';
import { startMall } from '../src/mall/index.js';
import { DEV_IDENTITY_SECRET } from '../src/mall/identity.js';

const out = fileURLToPath(new URL('../../docs/', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'kefu-console-shots-'));
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
    MALL_PRODUCT_PAGE_URL: `${mall.url}/products/{id}`,
    MALL_ORDER_PAGE_URL: `${mall.url}/orders/{order_no}`,
  }),
  createLogger('warn'),
);
const transport = createMqttTransport(mqtt.connect as unknown as MqttLikeConnect);
const http = createFetchHttp(fetch);
const people = [
  {
    user_id: 'u1001',
    name: '张三',
    phone: '13812345678',
    level: 3,
    points: 12800,
    vip: true,
    tags: ['老客户'],
  },
  { user_id: 'u1002', name: '李四', phone: '13987654321', level: 1, points: 300 },
  { user_id: 'u1003', name: '王五', phone: '13700001111', level: 2, points: 4500 },
];
const customers: CustomerClient[] = [];
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 860 }, locale: 'zh-CN' });
  await page.goto(`${server.url}/console/`);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', 'admin-pass-123');
  await page.click('button[type=submit]');
  await page.waitForSelector('.workbench');
  await waitFor('console online', async () => (await page.locator('.banner').count()) === 0);

  const texts = ['你好，我上周兑换的耳机还没到', '请问积分什么时候到账？', '兑换的咖啡券怎么使用？'];
  for (const [i, p] of people.entries()) {
    const client = createCustomerClient({
      baseUrl: server.url,
      transport,
      http,
      storage: createMemoryStorage(),
      identify: () => {
        const identity = { ...p, ts: Math.floor(Date.now() / 1000) };
        return Promise.resolve({ identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) });
      },
    });
    customers.push(client);
    await client.start();
    await waitFor('customer online', () => client.status === 'online');
    const state = await client.open({
      channel: i === 1 ? 'miniprogram' : 'web',
      entryUrl: `${mall.url}/products/p1001`,
      entryTitle: '蓝牙耳机',
    });
    await client.sendText(state.id ?? '', texts[i] ?? '');
  }
  const first = page.locator('.conv').last();
  await first.waitFor();
  await first.click();
  await page.fill('.composer textarea', '您好，我是客服小王，马上为您查询订单物流 😊');
  await page.press('.composer textarea', 'Enter');
  await page.locator('.customer-panel .mall-list li button').first().click();
  await page.check('.note-toggle input');
  await page.fill('.composer textarea', '客户是 VIP，优先处理');
  await page.press('.composer textarea', 'Enter');
  await page.uncheck('.note-toggle input');
  await customers[0]?.sendText(customers[0].conversations()[0]?.id ?? '', '好的，谢谢！');
  await page.waitForTimeout(1_500);
  await page.screenshot({ path: join(out, 'console-workbench.png') });
  await page.click('.customer-panel button:has-text("查看完整信息")');
  await page.waitForTimeout(500);
  await page.locator('.customer-panel').screenshot({ path: join(out, 'console-customer-panel.png') });
  process.stdout.write(`wrote ${join(out, 'console-workbench.png')} and console-customer-panel.png\n`);
} finally {
  await browser.close();
  await Promise.all(customers.map((c) => c.stop()));
  await server.stop();
  await mall.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
