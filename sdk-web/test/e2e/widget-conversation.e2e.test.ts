// Issue 17 on the web widget, conversation side: the order picker only sends, totals in points, message
// times, internal notes never showing, ending the chat asks first, leave-a-message knows the name.
// Real Chromium on the demo mall, the real server and an agent on sdk-core (harness.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { waitFor } from '@kefu/tools/testing';
import { messageModel } from '../../../server/src/model/message.js';
import {
  TIME_ZONE,
  agentGot,
  conversationOf,
  inWidget,
  injectMessage,
  openChat,
  shopper,
  startWidgetEnv,
  type WidgetEnv,
} from './harness.js';

/** `hour:minute` China time, `days` days before today there. */
function chinaDaysAgo(days: number, hour: number, minute: number): Date {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE })
    .format(new Date())
    .split('-')
    .map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days, hour - 8, minute));
}

describe('web widget: conversation (issue 17)', () => {
  let env: WidgetEnv;
  let context: BrowserContext;
  let page: Page;
  let widget: ReturnType<typeof inWidget>;
  let conversationId = '';

  beforeAll(async () => {
    env = await startWidgetEnv('widget-conversation');
    ({ context, page } = await shopper(env, 'u1001'));
    widget = inWidget(page);
    await page.goto(`${env.mall.url}/orders`);
    await openChat(page);
    conversationId = await conversationOf(env, 'u_u1001');
  }, 180_000);

  afterAll(async () => {
    await env.stop();
  });

  it('sends the order picked in "my orders" without opening its page', async () => {
    const opened: string[] = [];
    context.on('page', (p) => opened.push(p.url()));
    await widget('button:has-text("我的订单")').click();
    const entry = (no: string) => widget(`[data-testid=order-picker] button:has-text("${no}")`);
    await expect.poll(() => entry('JF202611180003').count()).toBe(1);
    await entry('JF202611180003').click();
    await agentGot(env, 'the picked order', (m) => m.content?.order?.orderNo === 'JF202611180003');
    await expect.poll(() => widget('[data-testid=order-card]').count()).toBe(1);
    await page.waitForTimeout(1_000);
    expect(opened).toEqual([]);
    expect(context.pages()).toHaveLength(1);
  });

  it('shows points-only order totals in points, never as ¥0.00', async () => {
    await widget('button:has-text("我的订单")').click();
    const picker = widget('[data-testid=order-picker]');
    await expect.poll(() => picker.locator('button').count()).toBeGreaterThan(3);
    // JF202611180003 is two 3600-point items; JF202611230001 costs 9800 points + ¥49.00.
    expect(await picker.locator('button:has-text("JF202611180003")').innerText()).not.toContain('¥0.00');
    expect(await picker.locator('button:has-text("JF202611230001")').innerText()).toContain('¥49.00');
    await widget('button:has-text("我的订单")').click();
    // The card the mall's orders page sends carries the points: they show while it is on its way and the
    // stored card never claims ¥0.00.
    await page.locator('section.order[data-order-no="JF202611020005"] .ask-order').click();
    await agentGot(env, 'the page’s order', (m) => m.content?.order?.orderNo === 'JF202611020005');
    await expect.poll(() => widget('[data-testid=order-card]').count()).toBe(2);
    for (const text of await widget('[data-testid=order-card]').allInnerTexts())
      expect(text).not.toContain('¥0.00');
  });

  it('shows message times: a divider after 5 minutes or on another day, "14:05" or "12月6日 14:05"', async () => {
    const times = () => widget('[data-testid=time]').allInnerTexts();
    // Everything so far was sent within a minute: one divider, today's time only.
    await expect.poll(times).toHaveLength(1);
    expect((await times())[0]).toMatch(/^\d\d:\d\d$/);
    // Older messages from two days ago (14:05, 14:07 and 14:20 China time), then one now.
    for (const [h, m, text] of [
      [14, 5, '两天前 14:05'],
      [14, 7, '两天前 14:07'],
      [14, 20, '两天前 14:20'],
    ] as const)
      await injectMessage(env, conversationId, 'u_u1001', { text: { text } }, chinaDaysAgo(2, h, m));
    await env.admin.sendText(conversationId, '现在的消息');
    await expect.poll(() => widget('.ls').innerText()).toContain('现在的消息');
    const shown = await times();
    expect(shown).toHaveLength(4);
    expect(shown[1]).toMatch(/^(\d{4}年)?\d{1,2}月\d{1,2}日 14:05$/);
    expect(shown[2]).toMatch(/^(\d{4}年)?\d{1,2}月\d{1,2}日 14:20$/);
    expect(shown[3]).toMatch(/^\d\d:\d\d$/);
    // The divider sits right before its message.
    const before = await widget('[data-testid=time]')
      .nth(2)
      .evaluate((el) => el.nextElementSibling?.textContent ?? '');
    expect(before).toContain('两天前 14:20');
    await page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('setLocale', 'en');
    });
    await expect.poll(async () => (await times())[1]).toMatch(/^[A-Z][a-z]{2} \d{1,2}(, \d{4})?, 14:05$/);
    await page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('setLocale', 'zh-CN');
    });
  });

  it('never shows internal notes: no bubble, unread count, chime, title flash or scroll (live, sync, history)', async () => {
    const note = async (text: string): Promise<number> => {
      await env.admin.send(conversationId, { text: { text } }, { internalNote: true });
      const stored = await waitFor('the note stored', () =>
        messageModel(env.server.db).findOne({ conversation_id: conversationId, text }).lean(),
      );
      return stored.seq;
    };
    const seqs = () =>
      widget('[data-testid=message]').evaluateAll((els) =>
        els.map((e) => Number(e.getAttribute('data-seq'))),
      );
    const count = await widget('[data-testid=message]').count();
    const dividers = await widget('[data-testid=time]').count();
    // Live, scrolled up: nothing moves.
    await widget('.ls').evaluate((el) => {
      el.scrollTop = 0;
    });
    const noteSeq = await note('内部备注：客户是老客户');
    await page.waitForTimeout(1_500);
    expect(await widget('[data-testid=message]').count()).toBe(count);
    expect(await widget('[data-testid=time]').count()).toBe(dividers);
    expect(await widget('.ls').evaluate((el) => el.scrollTop)).toBe(0);
    expect(await seqs()).not.toContain(noteSeq);
    // Live, panel closed: no badge, no flashing title; a real message after it counts once.
    await page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('close');
    });
    await note('内部备注：不要显示');
    await page.waitForTimeout(1_500);
    expect(await widget('button.b .n').isHidden()).toBe(true);
    expect(await page.title()).not.toMatch(/新消息/);
    await env.admin.sendText(conversationId, '备注之后的回复');
    await expect.poll(() => widget('button.b .n').innerText()).toBe('1');
    await widget('button.b').click();
    // Sync: away from the page while a note and a reply are sent, then back.
    await page.goto('about:blank');
    const awaySeq = await note('内部备注：离开期间');
    await env.admin.sendText(conversationId, '离开期间的回复');
    await page.goto(`${env.mall.url}/orders`);
    await openChat(page);
    await expect.poll(() => widget('.ls').innerText(), { timeout: 20_000 }).toContain('离开期间的回复');
    // History: a reload reads the same messages over HTTP.
    await page.reload();
    await openChat(page);
    await expect.poll(() => widget('.ls').innerText(), { timeout: 20_000 }).toContain('离开期间的回复');
    const text = await widget('.ls').innerText();
    expect(text).not.toContain('内部备注');
    expect(await seqs()).not.toContain(awaySeq);
    expect(await seqs()).not.toContain(noteSeq);
  });

  it('asks before ending the chat; Esc and 取消 keep it going', async () => {
    const dialog = widget('[role=alertdialog]');
    const status = async (): Promise<unknown> =>
      (await env.server.db.collection('conversations').findOne({ _id: conversationId as never }))?.['status'];
    await widget('.hd button:has-text("结束会话")').click();
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toContain('结束本次会话');
    // Focus moves into the dialog; Esc cancels it without closing the panel.
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            document
              .querySelector('[data-kefu]')
              ?.shadowRoot?.activeElement?.closest('[role=alertdialog]') !== null,
        ),
      )
      .toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await widget('.w').isVisible()).toBe(true);
    await widget('.hd button:has-text("结束会话")').click();
    await dialog.locator('button:has-text("取消")').click();
    await expect.poll(() => dialog.count()).toBe(0);
    await page.waitForTimeout(500);
    expect(await status()).not.toBe('closed');
    await widget('.hd button:has-text("结束会话")').click();
    await dialog.locator('button:has-text("结束会话")').click();
    await expect.poll(() => widget('.ls').innerText()).toContain('会话已结束');
    await expect.poll(status).toBe('closed');
  });

  it('pre-fills leave-a-message with the signed-in customer’s name, which stays editable', async () => {
    await env.admin.stop();
    const other = await shopper(env, 'u1002');
    const w = inWidget(other.page);
    await openChat(other.page);
    await w('[data-testid=offer-leave-message] button').click();
    const form = w('[data-testid=leave-message]');
    await expect.poll(() => form.locator('input[name=name]').inputValue()).toBe('李四');
    await form.locator('input[name=name]').fill('李先生');
    await form.locator('textarea').fill('请明天上午回电');
    await form.locator('button[type=submit]').click();
    await expect.poll(() => w('[data-testid=leave-done]').isVisible()).toBe(true);
    const stored = await waitFor('left message stored', () =>
      env.server.db.collection('leave_messages').findOne({ content: '请明天上午回电' }),
    );
    expect(stored['name']).toBe('李先生');
    await other.context.close();
  });

  it('had no console errors or uncaught exceptions', () => {
    expect(env.errors).toEqual([]);
  });
});
