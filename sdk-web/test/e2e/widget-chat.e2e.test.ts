// End-to-end: chatting in the widget on the demo mall (widget-page-env.ts): the product card, text with
// emoji, an image, order cards, the agent's reply with typing and read state, ratings from the agent's
// invite and at the end, and signing out once the chat has ended. A real Chromium, the real server and
// an agent on sdk-core.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { kefu } from '@kefu/proto';
import { waitFor } from '@kefu/tools/testing';
import { ratingModel } from '../../../server/src/model/rating.js';
import { messageModel } from '../../../server/src/model/message.js';
import { W, useWidgetPage } from './widget-page-env.js';

const { RatingScale } = kefu.v1;

describe('web widget on the demo mall', () => {
  const env = useWidgetPage('widget-chat-e2e');
  const { widget, agentGot } = env;
  let conversationId = '';

  it('opens from the product page and sends the product card', async () => {
    await env.page.goto(`${env.mall.url}/products/p1001`);
    await env.page.click('#ask-product');
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
    const session = await env.admin.sessions.current();
    const res = await fetch(`${env.server.url}${img.url ?? ''}`, {
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
    await env.page.goto(`${env.mall.url}/orders`);
    const firstOrder = env.page.locator('section.order[data-order-no]').first();
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
    env.admin.on('read', (r) => reads.push(r));
    await env.admin.typing(conversationId, true);
    await expect.poll(() => widget('[data-testid=typing]').isVisible()).toBe(true);
    await env.admin.sendText(conversationId, '您好，今天下午发货 🚚');
    await expect.poll(() => widget('.ls').innerText()).toContain('您好，今天下午发货 🚚');
    await expect.poll(() => widget('[data-testid=typing]').count()).toBe(0);
    // The panel is open and visible: the customer's read position reaches the agent.
    const reply = await waitFor('reply stored', async () =>
      messageModel(env.server.db)
        .findOne({ conversation_id: conversationId, sender_uid: env.admin.uid })
        .lean(),
    );
    await waitFor('read receipt at the agent', () => reads.find((r) => Number(r.readSeq) >= reply.seq));
    // The agent reads everything: the customer's messages turn 已读.
    const last = env.atAgent.filter((m) => m.conversationId === conversationId).at(-1);
    await env.admin.markRead(conversationId, last?.seq ?? 0);
    await expect.poll(() => widget('[data-testid=read-state]').allInnerTexts()).not.toContain('未读');
    expect(await widget('[data-testid=read-state]').count()).toBeGreaterThan(0);
  });

  it('takes a rating when the agent invites one, and stores it', async () => {
    await env.admin.send(conversationId, {
      ratingInvite: { inviteId: 'inv-1', scale: RatingScale.RATING_SCALE_FIVE_STAR, askSolved: true },
    });
    const form = widget('[data-testid=rating]');
    await expect.poll(() => form.isVisible()).toBe(true);
    await form.locator('button[role=radio]').nth(3).click(); // 4 stars
    await form.locator('.sv').getByRole('button', { name: '已解决', exact: true }).click();
    await form.locator('textarea').fill('回复很快');
    await form.locator('button[type=submit]').click();
    const rating = await waitFor('rating stored', () =>
      ratingModel(env.server.db).findById(`${conversationId}:inv-1`).lean(),
    );
    expect(rating).toMatchObject({ score: 4, solved: 'yes', comment: '回复很快', customer_uid: 'u_u1001' });
    await expect.poll(() => widget('.ls').innerText()).toContain('感谢您的评价');
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
      () => env.admin.conversations().find((c) => c.id !== conversationId)?.id,
    );
    await env.admin.sendText(second, '还有别的问题吗？');
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
      ratingModel(env.server.db).findById(`${second}:close:${second}`).lean(),
    );
    expect(rating).toMatchObject({ score: 5, scale: 'five_star' });
    await expect.poll(() => widget('[data-testid=rating]').count()).toBe(0);
    // A new chat can start.
    await expect.poll(() => widget('button:has-text("开始新会话")').isVisible()).toBe(true);
  });

  it('forgets the customer on this device when the mall signs out (Kefu logout)', async () => {
    const keys = () =>
      env.page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kefu:')));
    expect((await keys()).length).toBeGreaterThan(0);
    await Promise.all([
      env.page.waitForURL((u) => u.pathname === '/' || u.pathname.startsWith('/login')),
      env.page.click('#sign-out'),
    ]);
    expect(await keys()).toEqual([]);
    expect(await env.page.locator(`${W} .w`).count()).toBe(0); // no panel until the visitor opens one
  });

  it('had no console errors and no uncaught exceptions on the host page', () => {
    expect(env.pageErrors).toEqual([]);
    expect(env.consoleErrors).toEqual([]);
  });
});
