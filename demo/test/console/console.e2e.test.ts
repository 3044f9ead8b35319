// End-to-end: the agent console in a real Chromium against the real stack (console-env.ts): a customer's
// chat arriving, replies of every kind, internal notes, a transfer to the supervisor, the supervisor's
// view and audited reveal, and the close with a summary. The customer is an sdk-core client over
// mqtt.js. PII masking is checked on the wire: every HTTP response body and every WebSocket frame the
// agent's page receives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { kefu } from '@kefu/proto';
import { createCustomerClient, createMemoryStorage, type CustomerClient } from '@kefu/sdk-core';
import { waitFor } from '@kefu/tools/testing';
import { collect, http, online, transport } from '../../../server/test/messaging/harness.js';
import { signIdentity } from '../../../server/src/service/auth/identity.js';
import { DEV_IDENTITY_SECRET } from '../../../server/src/config.js';
import { auditLogModel } from '../../../server/src/model/audit-log.js';
import { conversationModel } from '../../../server/src/model/conversation.js';
import { NAME, PHONE, useConsoleEnv } from './console-env.js';
import { signInConsole } from './stack.js';

const { ConversationStatus } = kefu.v1;

describe('agent console', () => {
  const c = useConsoleEnv('console-e2e');
  let customer: CustomerClient | undefined;
  let atCustomer: kefu.v1.IMessage[];
  let conversationId = '';
  const closedStates: string[] = [];

  const customerGot = (what: string, pick: (m: kefu.v1.IMessage) => boolean) =>
    waitFor(`customer receives ${what}`, () => atCustomer.find(pick), { timeoutMs: 20_000 });

  beforeAll(async () => {
    await signInConsole(c.agentPage, c.server, 'xiaowang', 'xiaowang-pass-1');
    await signInConsole(c.superPage, c.server, 'laozhang', 'laozhang-pass-1');
  });
  afterAll(async () => {
    await customer?.stop();
  });

  it("receives a customer's chat with unread count, sound/title, and shows it", async () => {
    customer = createCustomerClient({
      baseUrl: c.server.url,
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
    await c.superPage.selectOption('select[name=status]', 'busy');
    await waitFor(
      'the supervisor is busy',
      async () => !(await c.available()).includes(c.uids['laozhang'] ?? ''),
    );
    const state = await customer.open({ channel: 'web', attributes: { product_id: 'p1001' } });
    conversationId = state.id ?? '';
    await waitFor('assigned', async () => {
      const doc = await conversationModel(c.server.db).findById(conversationId).lean();
      return doc?.agent_uid === c.uids['xiaowang'];
    });
    await customer.sendText(conversationId, '你好，我的订单还没发货');
    const row = c.agentPage.locator(`[data-conversation="${conversationId}"]`);
    await expect.poll(() => row.locator('.badge.unread').textContent(), { timeout: 20_000 }).toBe('1');
    await expect.poll(() => c.agentPage.title()).toMatch(/^\(1\) /);
    expect(await row.locator('.waiting').textContent()).toMatch(/等待 \d+s/);
    await row.click();
    await expect.poll(() => c.agentPage.locator('.thread').textContent()).toContain('我的订单还没发货');
    await expect.poll(() => row.locator('.badge.unread').count()).toBe(0);
  });

  it('replies with text and emoji, an image, a quick reply, a product card and an order card', async () => {
    await c.agentPage.fill('.composer textarea', '您好，马上为您查询');
    await c.agentPage.click('button[aria-label="表情"]');
    await c.agentPage.click('.emoji-picker button:has-text("😊")');
    await c.agentPage.press('.composer textarea', 'Enter');
    const text = await customerGot('text', (m) => m.content?.text?.text === '您好，马上为您查询😊');
    expect(text.sender?.uid).toBe(c.uids['xiaowang']);
    // Answered: the customer no longer waits.
    await expect
      .poll(() => c.agentPage.locator(`[data-conversation="${conversationId}"] .waiting`).count())
      .toBe(0);

    const png = await sharp({ create: { width: 800, height: 600, channels: 3, background: '#cc3366' } })
      .png()
      .toBuffer();
    await c.agentPage.setInputFiles('.composer input[type=file][data-kind=image]', {
      name: 'shot.png',
      mimeType: 'image/png',
      buffer: png,
    });
    const image = await customerGot('an image', (m) => !!m.content?.image);
    expect(image.content?.image?.uploadId).toBeTruthy();

    await c.api('POST', '/agent/quick-replies', {
      scope: 'team',
      shortcut: 'wl',
      title: '物流',
      text: '您的订单已发货，请留意物流信息。',
    });
    await c.agentPage.fill('.composer textarea', '/wl');
    await c.agentPage.waitForSelector('.quick-replies li[role=option]');
    await c.agentPage.press('.composer textarea', 'Enter');
    expect(await c.agentPage.inputValue('.composer textarea')).toBe('您的订单已发货，请留意物流信息。');
    await c.agentPage.press('.composer textarea', 'Enter');
    await customerGot('the quick reply', (m) => m.content?.text?.text === '您的订单已发货，请留意物流信息。');

    const orderRow = c.agentPage.locator('.customer-panel .mall-list').first().locator('li').first();
    await orderRow.waitFor({ timeout: 20_000 });
    await orderRow.locator('button').click();
    const order = await customerGot('an order card', (m) => !!m.content?.order);
    expect(order.content?.order?.orderNo).toBeTruthy();
    // The chat started on the product page of p1001 (host attribute): the panel offers that product.
    const productRow = c.agentPage.locator('.customer-panel .mall-list').nth(1).locator('li').first();
    await productRow.locator('button').click();
    const product = await customerGot('a product card', (m) => !!m.content?.product);
    expect(product.content?.product?.id).toBe('p1001');
    expect(product.content?.product?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('keeps internal notes from the customer', async () => {
    await c.agentPage.check('.note-toggle input');
    await c.agentPage.fill('.composer textarea', '内部备注：客户很着急');
    await c.agentPage.press('.composer textarea', 'Enter');
    await expect.poll(() => c.agentPage.locator('.msg.note').count()).toBe(1);
    await c.agentPage.uncheck('.note-toggle input');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(atCustomer.some((m) => m.content?.text?.text?.includes('内部备注'))).toBe(false);
  });

  it('never sends the unmasked phone or name to an agent without pii:view (HTTP and MQTT)', async () => {
    await expect
      .poll(() => c.agentPage.locator('.customer-panel [data-field=phone]').textContent())
      .toContain('****');
    const phoneBytes = Buffer.from(PHONE);
    const nameBytes = Buffer.from(NAME);
    expect(c.agentTap.frames.length).toBeGreaterThan(0);
    expect(c.agentTap.http.length).toBeGreaterThan(0);
    for (const body of c.agentTap.http) {
      expect(body).not.toContain(PHONE);
      expect(body).not.toContain(NAME);
    }
    for (const frame of c.agentTap.frames) {
      expect(frame.includes(phoneBytes)).toBe(false);
      expect(frame.includes(nameBytes)).toBe(false);
    }
    expect(await c.agentPage.locator('.customer-panel button:has-text("查看完整信息")').count()).toBe(0);
  });

  it('transfers the chat to the supervisor with a note', async () => {
    await c.superPage.selectOption('select[name=status]', 'online');
    await waitFor('the supervisor is online', async () =>
      (await c.available()).includes(c.uids['laozhang'] ?? ''),
    );
    await c.agentPage.click('.actions button:has-text("转接")');
    await c.agentPage.selectOption('form.dialog select[name=target]', `a:${c.uids['laozhang'] ?? ''}`);
    await c.agentPage.fill('form.dialog textarea[name=note]', '客户要求主管处理');
    await c.agentPage.click('form.dialog button[type=submit]');
    await waitFor('transferred', async () => {
      const doc = await conversationModel(c.server.db).findById(conversationId).lean();
      return doc?.agent_uid === c.uids['laozhang'];
    });
    await expect
      .poll(() => c.agentPage.locator(`[data-conversation="${conversationId}"]`).count(), { timeout: 20_000 })
      .toBe(0);
    await expect
      .poll(() => c.superPage.locator(`[data-conversation="${conversationId}"]`).count(), { timeout: 20_000 })
      .toBe(1);
  });

  it('lets a supervisor see every conversation', async () => {
    await c.superPage.click('.tabs button:has-text("全部会话")');
    await expect.poll(() => c.superPage.locator(`[data-conversation="${conversationId}"]`).count()).toBe(1);
    await c.superPage.click(`[data-conversation="${conversationId}"]`);
    await expect.poll(() => c.superPage.locator('.thread').textContent()).toContain('内部备注：客户很着急');
  });

  it('reveals PII to an agent with pii:view and writes the audit log', async () => {
    await c.superPage.click('.customer-panel button:has-text("查看完整信息")');
    await expect
      .poll(() => c.superPage.locator('.customer-panel [data-field=phone]').textContent())
      .toBe(PHONE);
    const entry = await waitFor('audit entry', () =>
      auditLogModel(c.server.db).findOne({ action: 'pii.reveal', actor_uid: c.uids['laozhang'] }).lean(),
    );
    expect(entry.target_id).toBe('u_u1001');
  });

  it('closes with a summary (category, tags, remark)', async () => {
    await c.superPage.click('.actions button:has-text("结束会话")');
    const form = c.superPage.locator('form.dialog');
    const category = (await form.locator('select[name=category] option').nth(1).textContent()) ?? '';
    await form.locator('select[name=category]').selectOption({ label: category });
    await form.locator('fieldset input[type=checkbox]').first().check();
    await form.locator('textarea[name=remark]').fill('已催促仓库发货');
    await form.locator('button[type=submit]').click();
    await waitFor('closed with summary', async () => {
      const doc = (await conversationModel(c.server.db).findById(conversationId).lean()) as
        (Record<string, unknown> & { status?: string }) | null;
      return doc?.status === 'closed' ? doc : undefined;
    });
    // The summary is stored right after the close.
    const summary = await waitFor(
      'the summary',
      async () => (await c.api('GET', `/agent/conversations/${conversationId}`))['summary'],
    );
    expect(summary).toMatchObject({ category, remark: '已催促仓库发货' });
    await waitFor('the customer learns it closed', () => closedStates.includes(conversationId));
  });

  it('had no uncaught errors in either page', () => {
    expect(c.pageErrors).toEqual([]);
  });
});
