// End-to-end: the demo mall embeds the widget exactly as the real mall would; a real Chromium, the real
// server (embedded Aedes broker), FerretDB, and an agent on the sdk-core client over mqtt.js.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { createTopics, kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-core';
import { getFreePort, testMongoUri, waitFor } from '@kefu/tools/testing';
import { launchChromium } from '@kefu/tools/chromium';
import { startMall, type RunningMall } from '@kefu/demo';
import { startServer, type KefuServer } from '../../../server/src/server.js';
import { silentLogger, testConfig } from '../../../server/test/helpers.js';
import { agent, collect, online } from '../../../server/test/messaging/harness.js';
import { ratingModel } from '../../../server/src/model/rating.js';
import { messageModel } from '../../../server/src/model/message.js';
import { MessageRepository, messageId } from '../../../server/src/repository/message-repository.js';
import { createMqttPublisher } from '../../../server/src/port/mqtt/bridge.js';
import { toWireMessage } from '../../../server/src/service/messaging/message-service.js';
import { SettingRepository } from '../../../server/src/repository/setting-repository.js';
import { ROUTING_CACHE_MS } from '../../../server/src/service/routing/allocator.js';
import { startProxy, type CuttableProxy } from './proxy.js';

const { RatingScale } = kefu.v1;
const W = '[data-kefu]';

describe('web widget on the demo mall', () => {
  let server: KefuServer;
  let mall: RunningMall;
  let proxy: CuttableProxy;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: AgentClient;
  let atAgent: kefu.v1.IMessage[];
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  let expectingNetworkErrors = false;
  let conversationId = '';

  const widget = (selector: string) => page.locator(`${W} ${selector}`);
  const agentGot = (what: string, pick: (m: kefu.v1.IMessage) => boolean) =>
    waitFor(`agent receives ${what}`, () => atAgent.find(pick), { timeoutMs: 20_000 });

  beforeAll(async () => {
    // The browser reaches the server through a proxy the test can cut; the mall knows the proxy's URL.
    const serverPort = await getFreePort();
    proxy = await startProxy(serverPort);
    mall = await startMall({ kefuUrl: proxy.url, port: 0 });
    server = await startServer(
      testConfig({
        PORT: String(serverPort),
        MONGODB_URI: testMongoUri('widget-e2e'),
        ADMIN_PASSWORD: 'admin-pass-123',
        MALL_PRODUCT_URL: `${mall.url}/api/products/{id}`,
        MALL_ORDERS_URL: `${mall.url}/api/users/{user_id}/orders?limit={limit}`,
        MALL_ORDER_URL: `${mall.url}/api/users/{user_id}/orders/{order_no}`,
        ROUTING_SCAN_INTERVAL_MS: '200',
      }),
      silentLogger,
    );
    admin = agent(server.url, 'admin', 'admin-pass-123');
    atAgent = collect(admin);
    await admin.start();
    await online(admin);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    page = await context.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error' && !expectingNetworkErrors) consoleErrors.push(m.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // What the host page has before the widget: its globals.
    await page.addInitScript(() => {
      (window as unknown as { __hostKeys: string[] }).__hostKeys = Object.keys(window);
    });
    await page.goto(`${mall.url}/login`);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/login')),
      page.click('.person[data-user-id="u1001"] button'),
    ]);
  }, 180_000);

  afterAll(async () => {
    await browser.close();
    await admin.stop();
    await server.stop();
    await mall.stop();
    await proxy.close();
  });

  it('opens from the product page and sends the product card', async () => {
    await page.goto(`${mall.url}/products/p1001`);
    await page.click('#ask-product');
    await expect.poll(() => widget('.w').isVisible()).toBe(true);
    const card = await agentGot('a product card', (m) => !!m.content?.product);
    conversationId = card.conversationId ?? '';
    expect(card.content?.product).toMatchObject({ id: 'p1001' });
    expect(card.content?.product?.title).toBeTruthy();
    expect(card.sender?.uid).toBe('u_u1001');
    await expect.poll(() => widget('[data-testid=product-card]').count()).toBe(1);
  });

  it('sends text with an emoji picked from the picker', async () => {
    await widget('textarea').fill('请问这个耳机什么时候发货');
    await widget('button[aria-label="表情"]').click();
    await widget('.em button[aria-label="😊"]').click();
    await widget('textarea').press('Enter');
    const text = await agentGot('the text', (m) => !!m.content?.text);
    expect(text.content?.text?.text).toBe('请问这个耳机什么时候发货😊');
  });

  it('sends an image: downscaled, uploaded with progress, stored without EXIF, shown to both', async () => {
    const big = await sharp({ create: { width: 3000, height: 2000, channels: 3, background: '#3366cc' } })
      .jpeg()
      .withExif({ IFD0: { Make: 'SecretPhone' } })
      .toBuffer();
    await widget('[data-testid=image-input]').setInputFiles({
      name: 'photo.jpg',
      mimeType: 'image/jpeg',
      buffer: big,
    });
    const image = await agentGot('an image', (m) => !!m.content?.image);
    const img = image.content?.image ?? {};
    expect(img.uploadId).toBeTruthy();
    expect(Math.max(img.width ?? 0, img.height ?? 0)).toBeLessThanOrEqual(1600); // downscaled in the browser
    // The agent (a participant) downloads it; the stored copy has no EXIF.
    const session = await admin.sessions.current();
    const res = await fetch(`${server.url}${img.url ?? ''}`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    expect(res.status).toBe(200);
    const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
    expect(meta.exif).toBeUndefined();
    // The customer's panel shows the image from a signed URL.
    await expect
      .poll(() =>
        widget('[data-testid=message] img.im').evaluate((el) => (el as HTMLImageElement).naturalWidth),
      )
      .toBeGreaterThan(0);
  });

  it('sends an order card from the orders page and from the panel’s "my orders" picker', async () => {
    await page.goto(`${mall.url}/orders`);
    const firstOrder = page.locator('section.order[data-order-no]').first();
    const orderNo = (await firstOrder.getAttribute('data-order-no')) ?? '';
    await firstOrder.locator('.ask-order').click();
    const fromPage = await agentGot('the order card', (m) => m.content?.order?.orderNo === orderNo);
    expect(fromPage.content?.order?.totalFen).toBeGreaterThanOrEqual(0);

    await widget('button:has-text("我的订单")').click();
    const picker = widget('[data-testid=order-picker] button');
    await expect.poll(() => picker.count()).toBeGreaterThan(1);
    const secondNo = await widget('[data-testid=order-picker] button').nth(1).innerText();
    await picker.nth(1).click();
    const picked = await agentGot(
      'the picked order',
      (m) =>
        !!m.content?.order &&
        secondNo.includes(m.content.order.orderNo ?? '#') &&
        m.content.order.orderNo !== orderNo,
    );
    expect(picked.conversationId).toBe(conversationId);
  });

  it('shows the agent’s reply, typing and read state; tells the agent what the customer read', async () => {
    const reads: kefu.v1.IReadReceipt[] = [];
    admin.on('read', (r) => reads.push(r));
    await admin.typing(conversationId, true);
    await expect.poll(() => widget('[data-testid=typing]').isVisible()).toBe(true);
    await admin.sendText(conversationId, '您好，今天下午发货 🚚');
    await expect.poll(() => widget('.ls').innerText()).toContain('您好，今天下午发货 🚚');
    await expect.poll(() => widget('[data-testid=typing]').count()).toBe(0);
    // The panel is open and visible: the customer's read position reaches the agent.
    const reply = await waitFor('reply stored', async () =>
      messageModel(server.db).findOne({ conversation_id: conversationId, sender_uid: admin.uid }).lean(),
    );
    await waitFor('read receipt at the agent', () => reads.find((r) => Number(r.readSeq) >= reply.seq));
    // The agent reads everything: the customer's messages turn 已读.
    const last = atAgent.filter((m) => m.conversationId === conversationId).at(-1);
    await admin.markRead(conversationId, last?.seq ?? 0);
    await expect.poll(() => widget('[data-testid=read-state]').allInnerTexts()).not.toContain('未读');
    expect(await widget('[data-testid=read-state]').count()).toBeGreaterThan(0);
  });

  it('takes a rating when the agent invites one, and stores it', async () => {
    await admin.send(conversationId, {
      ratingInvite: { inviteId: 'inv-1', scale: RatingScale.RATING_SCALE_FIVE_STAR, askSolved: true },
    });
    const form = widget('[data-testid=rating]');
    await expect.poll(() => form.isVisible()).toBe(true);
    await form.locator('button[role=radio]').nth(3).click(); // 4 stars
    await form.locator('.sv').getByRole('button', { name: '已解决', exact: true }).click();
    await form.locator('textarea').fill('回复很快');
    await form.locator('button[type=submit]').click();
    const rating = await waitFor('rating stored', () =>
      ratingModel(server.db).findById(`${conversationId}:inv-1`).lean(),
    );
    expect(rating).toMatchObject({ score: 4, solved: 'yes', comment: '回复很快', customer_uid: 'u_u1001' });
    await expect.poll(() => widget('.ls').innerText()).toContain('感谢您的评价');
  });

  it('loses and duplicates nothing across a network cut, and says it is reconnecting', async () => {
    const customerTexts = () => atAgent.filter((m) => m.content?.text && m.sender?.uid === 'u_u1001');
    const before = customerTexts().length;
    expectingNetworkErrors = true;
    proxy.cut();
    await context.setOffline(true);
    await expect.poll(() => widget('[data-testid=offline]').isVisible(), { timeout: 20_000 }).toBe(true);
    for (const t of ['断网时发的第一条', '断网时发的第二条']) {
      await widget('textarea').fill(t);
      await widget('textarea').press('Enter');
    }
    await expect.poll(() => widget('[data-testid=pending]').count()).toBe(2);
    // The agent answers meanwhile; the customer gets it after reconnecting (seq-gap sync).
    await admin.sendText(conversationId, '网络恢复后您会看到这条');
    await new Promise((r) => setTimeout(r, 1_000));
    await context.setOffline(false);
    proxy.restore();
    await waitFor(
      'both offline messages at the agent',
      () =>
        atAgent.filter((m) => m.content?.text?.text?.startsWith('断网时发的')).length === 2
          ? true
          : undefined,
      { timeoutMs: 40_000 },
    );
    await expect.poll(() => widget('[data-testid=pending]').count(), { timeout: 20_000 }).toBe(0);
    await expect
      .poll(() => widget('.ls').innerText(), { timeout: 20_000 })
      .toContain('网络恢复后您会看到这条');
    expectingNetworkErrors = false;
    // Exactly once: at the agent, in the database, and on the customer's screen.
    expect(customerTexts().length).toBe(before + 2);
    expect(new Set(atAgent.map((m) => m.id)).size).toBe(atAgent.length);
    expect(
      await messageModel(server.db).countDocuments({ conversation_id: conversationId, text: /^断网时发的/ }),
    ).toBe(2);
    // Each shown once, as a stored message (the own copies arrive by fan-out after the acks).
    const shown = async () =>
      (await widget('[data-testid=message]').allInnerTexts()).filter((t) => t.includes('断网时发的')).length;
    await expect.poll(shown).toBe(2);
    await new Promise((r) => setTimeout(r, 500));
    expect(await shown()).toBe(2);
    const seqs = await widget('[data-testid=message]').evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('data-seq'))),
    );
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('says at once when the device goes offline, and reconnects as soon as it is back', async () => {
    expectingNetworkErrors = true;
    // Only the browser goes offline (the socket is not cut): without the offline event the widget would
    // notice by the MQTT keepalive, 30 s or more later.
    await context.setOffline(true);
    await expect.poll(() => widget('[data-testid=offline]').isVisible(), { timeout: 15_000 }).toBe(true);
    await widget('textarea').fill('离线事件后的消息');
    await widget('textarea').press('Enter');
    // Reconnect attempts fail meanwhile and the backoff grows; the online event cuts it short.
    await new Promise((r) => setTimeout(r, 6_000));
    await context.setOffline(false);
    await waitFor(
      'the message at the agent',
      () => atAgent.find((m) => m.content?.text?.text === '离线事件后的消息'),
      { timeoutMs: 15_000 },
    );
    await expect.poll(() => widget('[data-testid=offline]').isVisible(), { timeout: 15_000 }).toBe(false);
    expectingNetworkErrors = false;
  });

  it('keeps history across a reload: the newest page first, older pages on scrolling up', async () => {
    // More than one page (30) of history.
    for (let i = 1; i <= 35; i++) await admin.sendText(conversationId, `第 ${String(i)} 条补充说明`);
    await waitFor('35 notes at the agent', () =>
      atAgent.filter((m) => m.content?.text?.text?.endsWith('条补充说明')).length === 35 ? true : undefined,
    );
    await page.reload();
    await page.locator(`${W} button.b`).click();
    await expect.poll(() => widget('.ls').innerText(), { timeout: 20_000 }).toContain('第 35 条补充说明');
    const first = await widget('[data-testid=message]').count();
    expect(first).toBeLessThanOrEqual(30);
    expect(await widget('.ls').innerText()).not.toContain('请问这个耳机什么时候发货😊');
    // Scrolling to the top loads the page before, until the beginning.
    for (let i = 0; i < 5 && !(await widget('.ls').innerText()).includes('请问这个耳机什么时候发货😊'); i++) {
      await widget('.ls').evaluate((el) => {
        el.scrollTop = 0;
        el.dispatchEvent(new Event('scroll'));
      });
      await page.waitForTimeout(300);
    }
    await expect.poll(() => widget('.ls').innerText()).toContain('请问这个耳机什么时候发货😊');
    const seqs = await widget('[data-testid=message]').evaluateAll((els) =>
      els.map((e) => Number(e.getAttribute('data-seq'))),
    );
    expect(seqs.length).toBeGreaterThan(first);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('renders server-side content: a system notice and a bot reply with sources and suggestions', async () => {
    // Stored and fanned out the way the server does (the bot issue adds the producer): the next seqs of
    // the conversation, then a Message envelope on the customer's down topic.
    const repo = new MessageRepository(server.db);
    const publisher = createMqttPublisher(server.mqtt, createTopics('kefu'));
    const last = await messageModel(server.db)
      .find({ conversation_id: conversationId })
      .sort({ seq: -1 })
      .limit(1)
      .lean();
    let seq = last[0]?.seq ?? 0;
    const contents: [string, kefu.v1.IContent][] = [
      ['system', { system: { code: 'transfer', text: '已为您转接到售后组' } }],
      [
        'bot',
        {
          botReply: {
            text: '积分兑换的商品一般 48 小时内发货。',
            sources: [{ title: '发货规则', url: 'https://help.example.com/ship' }],
            suggestions: ['如何查询物流？'],
          },
        },
      ],
    ];
    for (const [role, content] of contents) {
      seq += 1;
      const stored = {
        id: messageId(conversationId, seq),
        conversationId,
        seq,
        clientMsgId: `srv${String(seq).padStart(8, '0')}`,
        senderUid: role,
        senderRole: role,
        content: kefu.v1.Content.encode(content).finish(),
        contentKind: role === 'bot' ? 'botReply' : 'system',
        internalNote: false,
        createdAt: new Date(),
      };
      await repo.insertMessage(stored);
      await publisher.toUser(
        'c',
        'u_u1001',
        { id: stored.clientMsgId, sentAtMs: Date.now(), message: toWireMessage(stored, 'c') },
        1,
      );
    }
    await expect.poll(() => widget('.sys').allInnerTexts()).toContain('已为您转接到售后组');
    const bot = widget('.bot');
    await expect.poll(() => bot.innerText()).toContain('积分兑换的商品一般 48 小时内发货。');
    expect(await bot.locator('a').getAttribute('href')).toBe('https://help.example.com/ship');
    await bot.locator('button:has-text("如何查询物流？")').click();
    await agentGot('the suggestion as text', (m) => m.content?.text?.text === '如何查询物流？');
  });

  it('counts unread messages on the bubble, flashes the tab title and tells the host while closed', async () => {
    await page.evaluate(() => {
      const w = window as unknown as { Kefu: (...a: unknown[]) => void; __unread: number[] };
      w.__unread = [];
      w.Kefu('on', 'unread', (n: number) => w.__unread.push(n));
      w.Kefu('close');
    });
    await expect.poll(() => widget('.w').isVisible()).toBe(false);
    await admin.sendText(conversationId, '还在吗？');
    await admin.sendText(conversationId, '订单已发出');
    await expect.poll(() => widget('button.b .n').innerText()).toBe('2');
    await expect.poll(() => page.title(), { timeout: 5_000 }).toMatch(/^【新消息】/);
    expect(await page.evaluate(() => (window as unknown as { __unread: number[] }).__unread)).toEqual([1, 2]);
    await widget('button.b').click();
    await expect.poll(() => widget('button.b .n').isHidden()).toBe(true);
    await expect.poll(() => page.title()).not.toMatch(/新消息/);
  });

  it('leaves no CSS or globals on the host page, and the hostile host CSS does not reach the widget', async () => {
    const keys = await page.evaluate(() => {
      const before = new Set((window as unknown as { __hostKeys: string[] }).__hostKeys);
      return Object.keys(window).filter((k) => !before.has(k) && k !== '__hostKeys' && k !== '__unread');
    });
    expect(keys).toEqual(['Kefu']);
    // Nothing of ours in the host document except the one shadow host.
    const foreign = await page.evaluate(() => ({
      styles: [...document.querySelectorAll('style,link[rel=stylesheet]')].filter((s) =>
        s.textContent.includes('kefu-color'),
      ).length,
      hosts: document.querySelectorAll('[data-kefu]').length,
    }));
    expect(foreign).toEqual({ styles: 0, hosts: 1 });
    // The host's hostile rules (button padding 12px 24px / font 18px, * box-sizing content-box) stay
    // outside: the widget's own button and textarea keep their sizes.
    const inside = await page.evaluate(() => {
      const root = document.querySelector('[data-kefu]')?.shadowRoot;
      const bubble = root?.querySelector('button.b');
      const send = root?.querySelector('.in .btn');
      const area = root?.querySelector('textarea');
      const cs = (el: Element | null | undefined) => (el ? getComputedStyle(el) : undefined);
      return {
        bubble: bubble?.getBoundingClientRect().width,
        sendFont: cs(send)?.fontSize,
        sendPadding: cs(send)?.paddingLeft,
        areaBox: cs(area)?.boxSizing,
      };
    });
    expect(inside).toEqual({ bubble: 56, sendFont: '14px', sendPadding: '16px', areaBox: 'border-box' });
    // And the host's own buttons are as the host styled them.
    const hostButton = await page.evaluate(() => {
      const b = document.querySelector('body button:not([data-kefu] *)');
      return b ? getComputedStyle(b).fontSize : undefined;
    });
    expect(hostButton).toBeDefined();
  });

  it('switches to English', async () => {
    await page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('setLocale', 'en');
    });
    await expect.poll(() => widget('.hd h2').innerText()).toContain('Customer service');
    await page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('setLocale', 'zh-CN');
    });
  });

  it('had no console errors and no uncaught exceptions on the host page', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });

  it('is keyboard accessible: Tab to the bubble, Enter opens, Esc closes', async () => {
    await page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('close');
    });
    await widget('button.b').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => widget('.w').isVisible()).toBe(true);
    // Focus moves into the panel (the message input).
    await expect
      .poll(() =>
        page.evaluate(() => document.querySelector('[data-kefu]')?.shadowRoot?.activeElement?.tagName),
      )
      .toBe('TEXTAREA');
    await page.keyboard.press('Escape');
    await expect.poll(() => widget('.w').isVisible()).toBe(false);
    await widget('button.b').click();
  });

  it('asks for a rating at the end only if the chat was answered and not rated yet', async () => {
    const endChat = async () => {
      await widget('.hd button:has-text("结束会话")').click();
      await widget('[role=alertdialog] button:has-text("结束会话")').click();
      await expect.poll(() => widget('.ls').innerText()).toContain('会话已结束');
    };
    // Rated from the agent's invite already: not asked a second time.
    await endChat();
    await expect.poll(() => widget('button:has-text("开始新会话")').isVisible()).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(await widget('[data-testid=rating]').count()).toBe(0);
    // A new chat, answered and not rated: asked once, with the default template's labels.
    await widget('button:has-text("开始新会话")').click();
    const second = await waitFor(
      'a new conversation at the agent',
      () => admin.conversations().find((c) => c.id !== conversationId)?.id,
    );
    await admin.sendText(second, '还有别的问题吗？');
    await expect.poll(() => widget('.ls').innerText()).toContain('还有别的问题吗？');
    await endChat();
    const form = widget('[data-testid=rating]');
    await expect.poll(() => form.isVisible()).toBe(true);
    await form.locator('button[role=radio]').nth(4).click();
    // The template's label for the score, and its tags for high scores.
    expect(await form.locator('[data-testid=rating-label]').innerText()).toBe('非常满意');
    expect(await form.locator('.tags button').allInnerTexts()).toEqual([
      '回复及时',
      '态度很好',
      '问题已解决',
    ]);
    await form.locator('button[type=submit]').click();
    const rating = await waitFor('rating at close stored', () =>
      ratingModel(server.db).findById(`${second}:close:${second}`).lean(),
    );
    expect(rating).toMatchObject({ score: 5, scale: 'five_star' });
    await expect.poll(() => widget('[data-testid=rating]').count()).toBe(0);
    // A new chat can start.
    await expect.poll(() => widget('button:has-text("开始新会话")').isVisible()).toBe(true);
  });

  it('forgets the customer on this device when the mall signs out (Kefu logout)', async () => {
    const keys = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kefu:')));
    expect((await keys()).length).toBeGreaterThan(0);
    await Promise.all([
      page.waitForURL((u) => u.pathname === '/' || u.pathname.startsWith('/login')),
      page.click('#sign-out'),
    ]);
    expect(await keys()).toEqual([]);
    expect(await page.locator(`${W} .w`).count()).toBe(0); // no panel until the visitor opens one
  });

  it('refuses a forged identity with a visible, friendly error', async () => {
    const forged = await browser.newContext();
    const p = await forged.newPage();
    await p.goto(`${mall.url}/login`);
    await Promise.all([
      p.waitForURL((u) => !u.pathname.startsWith('/login')),
      p.click('.person[data-user-id="u1002"] button'),
    ]);
    // A tampered response: the mall's signature over another user id.
    await p.route('**/api/kefu/identity', async (route) => {
      const res = await route.fetch();
      const body = (await res.json()) as { identity: { user_id: string }; signature: string };
      body.identity.user_id = 'u1001';
      await route.fulfill({ response: res, json: body });
    });
    await p.locator(`${W} button.b`).click();
    const error = p.locator(`${W} [data-testid=error]`);
    await expect.poll(() => error.isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await error.innerText()).toContain('身份验证失败');
    await forged.close();
  });

  it('opens full screen over the visible area on a phone, even on a page wider than the screen', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const p = await phone.newPage();
    await p.goto(`${mall.url}/products/p1002`);
    await p.locator(`${W} button.b`).dispatchEvent('click');
    await expect.poll(() => p.locator(`${W} .w`).isVisible()).toBe(true);
    const fit = await p.evaluate(() => {
      const panel = document.querySelector('[data-kefu]')?.shadowRoot?.querySelector('.p');
      const r = panel?.getBoundingClientRect();
      const vv = window.visualViewport;
      return {
        panel: r && [r.left, r.top, r.width, r.height].map(Math.round),
        visible: vv && [vv.offsetLeft, vv.offsetTop, vv.width, vv.height].map(Math.round),
      };
    });
    expect(fit.panel).toEqual(fit.visible);
    await phone.close();
  });

  it('works as an ES module in a single-page app: createKefu (lazy panel chunk) and the headless client', async () => {
    const esm = new URL('../../dist/esm/', import.meta.url);
    const spa = await browser.newContext();
    const p = await spa.newPage();
    const chunks: string[] = [];
    let spaApp = '';
    // A real loopback HTTP server (Chromium only lets loopback pages call a loopback API).
    const site = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]?.slice(1) || 'index.html';
      const send = (type: string, body: string | Buffer): void => {
        res.writeHead(200, { 'content-type': type });
        res.end(body);
      };
      if (path === 'index.html')
        send(
          'text/html',
          '<!doctype html><title>SPA</title><body><script type="module" src="/app.js"></script></body>',
        );
      else if (path === 'app.js') send('text/javascript', spaApp);
      else if (/^[\w.-]+\.js$/.test(path)) {
        chunks.push(path);
        send('text/javascript', readFileSync(new URL(path, esm)));
      } else {
        res.writeHead(404);
        res.end();
      }
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    const siteUrl = `http://127.0.0.1:${String((site.address() as AddressInfo).port)}/`;
    // The app's own module (a string: it runs in the page, untouched by the test runner's transform).
    const app = `
      import { createKefu, createHeadlessClient } from './index.js';
      const server = ${JSON.stringify(proxy.url)};
      const client = createHeadlessClient({ server, storagePrefix: 'spa:h' });
      await client.start();
      const state = await client.open();
      await client.stop();
      const widget = createKefu();
      widget.init({ server, locale: 'en' });
      widget.open();
      window.spaResult = {
        conversation: state.id || '',
        globals: Object.keys(window).filter((k) => k.toLowerCase().includes('kefu')),
      };`;
    spaApp = app;
    await p.goto(siteUrl);
    const result = await waitFor('the SPA ran', () =>
      p.evaluate(
        () => (window as unknown as { spaResult?: { conversation: string; globals: string[] } }).spaResult,
      ),
    );
    expect(result.conversation).not.toBe('');
    expect(result.globals).toEqual([]); // the ESM build adds no global at all
    await expect
      .poll(() => p.locator(`${W} .hd h2`).innerText(), { timeout: 20_000 })
      .toContain('Customer service');
    expect(chunks.some((c) => c.startsWith('kefu-panel-'))).toBe(true);
    await spa.close();
    await new Promise((resolve) => site.close(resolve));
  });

  it('offers leave-a-message when no agent is online, and stores it', async () => {
    await admin.stop();
    const visitor = await browser.newContext();
    const p = await visitor.newPage();
    await p.goto(`${mall.url}/`);
    await p.locator(`${W} button.b`).click();
    await p.locator(`${W} button:has-text("留言")`).click();
    const form = p.locator(`${W} [data-testid=leave-message]`);
    await form.locator('input[name=phone]').fill('13800138000');
    await form.locator('textarea').fill('请客服上线后回电');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => p.locator(`${W} [data-testid=leave-done]`).isVisible()).toBe(true);
    const stored = await waitFor('leave message stored', () =>
      server.db.collection('leave_messages').findOne({ content: '请客服上线后回电' }),
    );
    expect(stored).toMatchObject({ phone: '13800138000', status: 'new' });
    await visitor.close();
  });

  it('shows routing notices: queue reminder with "keep waiting", and leave-a-message when the queue is full', async () => {
    // Nobody is online (the previous test stopped the agent). Queue reminder after 1 s; room in the queue
    // for one more than wait now (earlier tests' visitors).
    const waiting = await server.db.collection('conversations').countDocuments({ status: 'queued' });
    await new SettingRepository(server.db).saveSetting('routing', {
      queue_timeout: { remind_after_s: 1, close_after_s: 3600 },
      max_queue_length: waiting + 1,
      texts: { no_agent: '当前没有客服在线，请稍候或留言' },
    });
    await new Promise((r) => setTimeout(r, ROUTING_CACHE_MS + 200));
    const first = await browser.newContext();
    const p = await first.newPage();
    await p.goto(`${mall.url}/`);
    await p.locator(`${W} button.b`).click();
    const notice = (code: string) => p.locator(`${W} [data-testid=notice][data-code=${code}]`);
    await expect.poll(() => notice('no_agent').innerText()).toContain('当前没有客服在线');
    await expect.poll(() => notice('queue_reminder').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await notice('queue_reminder').first().locator('button:has-text("继续等待")').click();
    const kept = await waitFor('the customer kept waiting', () =>
      server.db.collection('conversations').findOne({ status: 'queued', queue_kept_at: { $exists: true } }),
    );
    expect(kept['channel']).toBe('web');

    // A second customer finds the queue full: told so, and offered leave-a-message at once.
    const second = await browser.newContext();
    const q = await second.newPage();
    await q.goto(`${mall.url}/`);
    await q.locator(`${W} button.b`).click();
    await expect
      .poll(() => q.locator(`${W} [data-testid=notice][data-code=queue_full]`).innerText())
      .toContain('请留言');
    await expect
      .poll(() => q.locator(`${W} [data-testid=offer-leave-message] button`).isVisible())
      .toBe(true);
    await first.close();
    await second.close();
    await new SettingRepository(server.db).saveSetting('routing', {});
  });
});
