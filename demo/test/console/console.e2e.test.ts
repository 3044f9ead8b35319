// End-to-end: the agent console in a real Chromium against the real server (embedded Aedes broker),
// FerretDB, the demo mall (mall adapter) and a real OpenID provider (oidc-provider) for SSO. The customer
// is an sdk-core client over mqtt.js. PII masking is checked on the wire: every HTTP response body and
// every WebSocket frame the agent's page receives.
import { agentToken, apiAs } from '../helpers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { kefu } from '@kefu/proto';
import { createCustomerClient, createMemoryStorage, type CustomerClient } from '@kefu/sdk-core';
import { getFreePort, testMongoUri, waitFor } from '@kefu/tools/testing';
import { launchChromium } from '@kefu/tools/chromium';
import { startMall, type RunningMall } from '../../src/mall/index.js';
import { startServer, type KefuServer } from '../../../server/src/server.js';
import { silentLogger, testConfig } from '../../../server/test/helpers.js';
import { collect, http, online, transport } from '../../../server/test/messaging/harness.js';
import { signIdentity } from '../../../server/src/service/auth/identity.js';
import { DEV_IDENTITY_SECRET } from '../../../server/src/config.js';
import { auditLogModel } from '../../../server/src/model/audit-log.js';
import { conversationModel } from '../../../server/src/model/conversation.js';
import { startTestIdp, type TestIdp } from '../../../server/test/sso/test-idp.js';

const { ConversationStatus } = kefu.v1;
const PHONE = '13812345678';
const NAME = '张三丰';
const ADMIN_PASSWORD = 'admin-pass-123';

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

describe('agent console', () => {
  let server: KefuServer;
  let mall: RunningMall;
  let idp: TestIdp;
  let browser: Browser;
  let agentContext: BrowserContext;
  let agentPage: Page;
  let superPage: Page;
  let agentTap: ReturnType<typeof wiretap>;
  let customer: CustomerClient;
  let atCustomer: kefu.v1.IMessage[];
  let conversationId = '';
  let adminToken = '';
  const pageErrors: string[] = [];
  const closedStates: string[] = [];
  const uids: Record<string, string> = {};

  const api = apiAs(
    () => server.url,
    () => adminToken,
  );
  /** Agents that may take a transfer right now (online, below their limit). */
  const available = async (): Promise<string[]> =>
    ((await api('GET', '/agent/transfer-targets'))['agents'] as { uid: string }[]).map((a) => a.uid);
  const customerGot = (what: string, pick: (m: kefu.v1.IMessage) => boolean) =>
    waitFor(`customer receives ${what}`, () => atCustomer.find(pick), { timeoutMs: 20_000 });

  beforeAll(async () => {
    const port = await getFreePort();
    const base = `http://127.0.0.1:${String(port)}`;
    idp = await startTestIdp({ redirectUris: [`${base}/api/v1/agent/sso/callback`] });
    idp.users.set('sso-laozhang', { email: 'laozhang@example.com', email_verified: true, name: '老张' });
    mall = await startMall({ kefuUrl: base, port: 0 });
    server = await startServer(
      testConfig({
        PORT: String(port),
        MONGODB_URI: testMongoUri('console-e2e'),
        ADMIN_PASSWORD,
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OIDC_NAME: '企业微信',
        MALL_PRODUCT_URL: `${mall.url}/api/products/{id}`,
        MALL_ORDERS_URL: `${mall.url}/api/users/{user_id}/orders?limit={limit}`,
        MALL_ORDER_URL: `${mall.url}/api/users/{user_id}/orders/{order_no}`,
      }),
      silentLogger,
    );
    adminToken = await agentToken(server.url, 'admin', ADMIN_PASSWORD);
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
      const created = await api('POST', '/admin/agents', { ...a, max_concurrent: 5 });
      uids[a.username] = String(created['uid']);
    }

    browser = await launchChromium();
    agentContext = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
    agentPage = await agentContext.newPage();
    agentPage.on('pageerror', (e) => pageErrors.push(e.message));
    agentTap = wiretap(agentPage);
    const superContext = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      locale: 'zh-CN',
    });
    superPage = await superContext.newPage();
    superPage.on('pageerror', (e) => pageErrors.push(e.message));
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await customer.stop();
    await server.stop();
    await mall.stop();
    await idp.close();
  });

  it('signs an agent in with a local account', async () => {
    await agentPage.goto(`${server.url}/console/`);
    await agentPage.fill('input[name=username]', 'xiaowang');
    await agentPage.fill('input[name=password]', 'xiaowang-pass-1');
    await agentPage.click('button[type=submit]');
    await agentPage.waitForSelector('.workbench');
    expect(await agentPage.locator('.me').textContent()).toBe('小王');
  });

  it('says at once when the network drops, and reconnects as soon as it is back', async () => {
    const banner = agentPage.locator('.banner');
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
    // Only the browser goes offline (the socket is not cut): the offline event tells the client, not the
    // MQTT keepalive 30 s or more later.
    await agentContext.setOffline(true);
    await expect.poll(() => banner.innerText().catch(() => ''), { timeout: 15_000 }).toContain('重连');
    await new Promise((r) => setTimeout(r, 3_000));
    await agentContext.setOffline(false);
    await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(0);
  });

  it('refuses a wrong password with a visible error', async () => {
    const p = await browser.newPage();
    await p.goto(`${server.url}/console/`);
    await p.fill('input[name=username]', 'xiaowang');
    await p.fill('input[name=password]', 'wrong-password');
    await p.click('button[type=submit]');
    await expect.poll(() => p.locator('[role=alert]').textContent()).toBe('用户名或密码错误');
    // Five wrong passwords lock the account (server: any client address, any instance); the console says
    // so in Chinese, never with the server's English text.
    await p.fill('input[name=username]', 'nobody-here');
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) {
      await p.fill('input[name=password]', `wrong-${String(i)}`);
      const [answer] = await Promise.all([
        p.waitForResponse((r) => r.url().endsWith('/api/v1/agent/sessions')),
        p.click('button[type=submit]'),
      ]);
      answers.push(answer.status());
    }
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    await expect
      .poll(() => p.locator('[role=alert]').textContent())
      .toBe('密码错误次数过多，账户已暂时锁定，请稍后再试');
    await p.close();
  });

  it('signs a supervisor in through SSO (authorization code + PKCE at a real OpenID provider)', async () => {
    idp.signInAs('sso-laozhang');
    await superPage.goto(`${server.url}/console/`);
    await superPage.click('a.sso');
    await superPage.waitForSelector('.workbench', { timeout: 20_000 });
    expect(await superPage.locator('.me').textContent()).toBe('老张');
    expect(superPage.url()).not.toContain('sso=');
  });

  it("receives a customer's chat with unread count, sound/title, and shows it", async () => {
    customer = createCustomerClient({
      baseUrl: server.url,
      transport,
      http,
      storage: createMemoryStorage(),
      identify: () => {
        const identity = {
          user_id: 'u1001',
          name: NAME,
          phone: PHONE,
          level: 3,
          ts: Math.floor(Date.now() / 1000),
        };
        return Promise.resolve({ identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) });
      },
    });
    atCustomer = collect(customer);
    customer.on('conversation', (c) => {
      if (c.status === ConversationStatus.CONVERSATION_STATUS_CLOSED && c.id) closedStates.push(c.id);
    });
    await customer.start();
    await online(customer);
    // The supervisor is busy, so the chat goes to 小王.
    await superPage.selectOption('select[name=status]', 'busy');
    await waitFor(
      'the supervisor is busy',
      async () => !(await available()).includes(uids['laozhang'] ?? ''),
    );
    const state = await customer.open({ channel: 'web', attributes: { product_id: 'p1001' } });
    conversationId = state.id ?? '';
    await waitFor('assigned', async () => {
      const doc = await conversationModel(server.db).findById(conversationId).lean();
      return doc?.agent_uid === uids['xiaowang'];
    });
    await customer.sendText(conversationId, '你好，我的订单还没发货');
    const row = agentPage.locator(`[data-conversation="${conversationId}"]`);
    await expect.poll(() => row.locator('.badge.unread').textContent(), { timeout: 20_000 }).toBe('1');
    await expect.poll(() => agentPage.title()).toMatch(/^\(1\) /);
    expect(await row.locator('.waiting').textContent()).toMatch(/等待 \d+s/);
    await row.click();
    await expect.poll(() => agentPage.locator('.thread').textContent()).toContain('我的订单还没发货');
    await expect.poll(() => row.locator('.badge.unread').count()).toBe(0);
  });

  it('replies with text and emoji, an image, a quick reply, a product card and an order card', async () => {
    await agentPage.fill('.composer textarea', '您好，马上为您查询');
    await agentPage.click('button[aria-label="表情"]');
    await agentPage.click('.emoji-picker button:has-text("😊")');
    await agentPage.press('.composer textarea', 'Enter');
    const text = await customerGot('text', (m) => m.content?.text?.text === '您好，马上为您查询😊');
    expect(text.sender?.uid).toBe(uids['xiaowang']);
    // Answered: the customer no longer waits.
    await expect
      .poll(() => agentPage.locator(`[data-conversation="${conversationId}"] .waiting`).count())
      .toBe(0);

    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#cc3366' } })
      .png()
      .toBuffer();
    await agentPage.setInputFiles('.composer input[type=file][data-kind=image]', {
      name: 'shot.png',
      mimeType: 'image/png',
      buffer: png,
    });
    const image = await customerGot('an image', (m) => !!m.content?.image);
    expect(image.content?.image?.uploadId).toBeTruthy();

    await api('POST', '/agent/quick-replies', {
      scope: 'team',
      shortcut: 'wl',
      title: '物流',
      text: '您的订单已发货，请留意物流信息。',
    });
    await agentPage.fill('.composer textarea', '/wl');
    await agentPage.waitForSelector('.quick-replies li[role=option]');
    await agentPage.press('.composer textarea', 'Enter');
    expect(await agentPage.inputValue('.composer textarea')).toBe('您的订单已发货，请留意物流信息。');
    await agentPage.press('.composer textarea', 'Enter');
    await customerGot('the quick reply', (m) => m.content?.text?.text === '您的订单已发货，请留意物流信息。');

    const orderRow = agentPage.locator('.customer-panel .mall-list').first().locator('li').first();
    await orderRow.waitFor({ timeout: 20_000 });
    await orderRow.locator('button').click();
    const order = await customerGot('an order card', (m) => !!m.content?.order);
    expect(order.content?.order?.orderNo).toBeTruthy();
    // The chat started on the product page of p1001 (host attribute): the panel offers that product.
    const productRow = agentPage.locator('.customer-panel .mall-list').nth(1).locator('li').first();
    await productRow.locator('button').click();
    const product = await customerGot('a product card', (m) => !!m.content?.product);
    expect(product.content?.product?.id).toBe('p1001');
    expect(product.content?.product?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('keeps internal notes from the customer', async () => {
    await agentPage.check('.note-toggle input');
    await agentPage.fill('.composer textarea', '内部备注：客户很着急');
    await agentPage.press('.composer textarea', 'Enter');
    await expect.poll(() => agentPage.locator('.msg.note').count()).toBe(1);
    await agentPage.uncheck('.note-toggle input');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(atCustomer.some((m) => m.content?.text?.text?.includes('内部备注'))).toBe(false);
  });

  it('never sends the unmasked phone or name to an agent without pii:view (HTTP and MQTT)', async () => {
    await expect
      .poll(() => agentPage.locator('.customer-panel [data-field=phone]').textContent())
      .toContain('****');
    const phoneBytes = Buffer.from(PHONE);
    const nameBytes = Buffer.from(NAME);
    expect(agentTap.frames.length).toBeGreaterThan(0);
    expect(agentTap.http.length).toBeGreaterThan(0);
    for (const body of agentTap.http) {
      expect(body).not.toContain(PHONE);
      expect(body).not.toContain(NAME);
    }
    for (const frame of agentTap.frames) {
      expect(frame.includes(phoneBytes)).toBe(false);
      expect(frame.includes(nameBytes)).toBe(false);
    }
    expect(await agentPage.locator('.customer-panel button:has-text("查看完整信息")').count()).toBe(0);
  });

  it('transfers the chat to the supervisor with a note', async () => {
    await superPage.selectOption('select[name=status]', 'online');
    await waitFor('the supervisor is online', async () =>
      (await available()).includes(uids['laozhang'] ?? ''),
    );
    await agentPage.click('.actions button:has-text("转接")');
    await agentPage.selectOption('form.dialog select[name=target]', `a:${uids['laozhang'] ?? ''}`);
    await agentPage.fill('form.dialog textarea[name=note]', '客户要求主管处理');
    await agentPage.click('form.dialog button[type=submit]');
    await waitFor('transferred', async () => {
      const doc = await conversationModel(server.db).findById(conversationId).lean();
      return doc?.agent_uid === uids['laozhang'];
    });
    await expect
      .poll(() => agentPage.locator(`[data-conversation="${conversationId}"]`).count(), { timeout: 20_000 })
      .toBe(0);
    await expect
      .poll(() => superPage.locator(`[data-conversation="${conversationId}"]`).count(), { timeout: 20_000 })
      .toBe(1);
  });

  it('lets a supervisor see every conversation', async () => {
    await superPage.click('.tabs button:has-text("全部会话")');
    await expect.poll(() => superPage.locator(`[data-conversation="${conversationId}"]`).count()).toBe(1);
    await superPage.click(`[data-conversation="${conversationId}"]`);
    await expect.poll(() => superPage.locator('.thread').textContent()).toContain('内部备注：客户很着急');
  });

  it('reveals PII to an agent with pii:view and writes the audit log', async () => {
    await superPage.click('.customer-panel button:has-text("查看完整信息")');
    await expect
      .poll(() => superPage.locator('.customer-panel [data-field=phone]').textContent())
      .toBe(PHONE);
    const entry = await waitFor('audit entry', () =>
      auditLogModel(server.db).findOne({ action: 'pii.reveal', actor_uid: uids['laozhang'] }).lean(),
    );
    expect(entry.target_id).toBe('u_u1001');
  });

  it('closes with a summary (category, tags, remark)', async () => {
    await superPage.click('.actions button:has-text("结束会话")');
    const form = superPage.locator('form.dialog');
    const category = (await form.locator('select[name=category] option').nth(1).textContent()) ?? '';
    await form.locator('select[name=category]').selectOption({ label: category });
    await form.locator('fieldset input[type=checkbox]').first().check();
    await form.locator('textarea[name=remark]').fill('已催促仓库发货');
    await form.locator('button[type=submit]').click();
    await waitFor('closed with summary', async () => {
      const doc = (await conversationModel(server.db).findById(conversationId).lean()) as
        (Record<string, unknown> & { status?: string }) | null;
      return doc?.status === 'closed' ? doc : undefined;
    });
    // The summary is stored right after the close.
    const summary = await waitFor(
      'the summary',
      async () => (await api('GET', `/agent/conversations/${conversationId}`))['summary'],
    );
    expect(summary).toMatchObject({ category, remark: '已催促仓库发货' });
    await waitFor('the customer learns it closed', () => closedStates.includes(conversationId));
  });

  it("shows the personal dashboard of the agent's role and manages personal quick replies", async () => {
    await agentPage.goto(`${server.url}/console/#/dashboard`);
    await expect.poll(() => agentPage.locator('[data-widget]').count(), { timeout: 20_000 }).toBe(4);
    expect(await agentPage.locator('[data-widget=my_closed_today] .widget-title').textContent()).toBe(
      '今日已结束',
    );
    const form = agentPage.locator('form[aria-label="新增"]').last();
    await form.locator('input[name=shortcut]').fill('dz');
    await form.locator('input[name=title]').fill('地址');
    await form.locator('input[name=text]').fill('请提供您的收货地址');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => agentPage.locator('tr[data-shortcut=dz]').textContent()).toContain('个人');
    // An agent without `config` cannot create team replies: no scope choice, and the API refuses.
    expect(await form.locator('select[name=scope]').count()).toBe(0);
  });

  it("lets an admin choose a role's dashboard widgets in the admin pages", async () => {
    const admin = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    admin.on('pageerror', (e) => pageErrors.push(e.message));
    await admin.goto(`${server.url}/console/`);
    await admin.fill('input[name=username]', 'admin');
    await admin.fill('input[name=password]', ADMIN_PASSWORD);
    await admin.click('button[type=submit]');
    await admin.waitForSelector('.workbench');
    await admin.click('a[href="#/admin"]');
    const box = admin.locator('tr[data-role=agent] input[data-widget=my_rating_avg]');
    expect(await box.getAttribute('aria-label')).toBe('客服 今日平均评分');
    await expect.poll(() => box.isChecked(), { timeout: 20_000 }).toBe(true);
    await box.uncheck();
    await expect
      .poll(async () =>
        ((await api('GET', '/admin/dashboard/agent'))['widgets'] as string[]).includes('my_rating_avg'),
      )
      .toBe(false);
    await agentPage.reload();
    await expect.poll(() => agentPage.locator('[data-widget]').count(), { timeout: 20_000 }).toBe(3);
    expect(await agentPage.locator('[data-widget=my_rating_avg]').count()).toBe(0);
    await admin.close();
  });

  it('had no uncaught errors in either page', () => {
    expect(pageErrors).toEqual([]);
  });
});
