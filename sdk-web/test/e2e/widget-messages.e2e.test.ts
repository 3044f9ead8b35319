// Issue 17 on the web widget: quoting (引用), recalling (撤回) and the built-in sticker pack. Real
// Chromium on the demo mall, the real server and an agent on sdk-core (harness.ts). The server's recall window is set to
// 60 s here, shorter than the widget's 120 s default, to see a refusal handled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { kefu } from '@kefu/proto';
import { waitFor } from '@kefu/tools/testing';
import {
  agentGot,
  conversationOf,
  injectMessage,
  inWidget,
  openChat,
  shopper,
  startWidgetEnv,
  type WidgetEnv,
} from './harness.js';

describe('web widget: quote, recall, stickers (issue 17)', () => {
  let env: WidgetEnv;
  let page: Page;
  let widget: ReturnType<typeof inWidget>;
  let conversationId = '';
  const recalls: kefu.v1.IMessageRecalled[] = [];

  /** The row whose bubble starts with `text` (not one merely quoting it). */
  const row = (text: string) =>
    widget('[data-testid=message]').filter({
      has: page.locator('.kefu-line > .bb', { hasText: new RegExp(`^${text}`) }),
    });
  const act = async (text: string, action: '引用' | '撤回') => {
    await row(text).hover();
    await row(text).locator(`.kefu-actions button:has-text("${action}")`).click();
  };
  const send = async (text: string) => {
    await widget('textarea').fill(text);
    await widget('textarea').press('Enter');
    return agentGot(env, text, (m) => m.content?.text?.text === text);
  };

  beforeAll(async () => {
    env = await startWidgetEnv('widget-messages', [], { RECALL_WINDOW_S: '60' });
    env.admin.on('recalled', (r) => recalls.push(r));
    ({ page } = await shopper(env, 'u1001'));
    widget = inWidget(page);
    await openChat(page);
    conversationId = await conversationOf(env, 'u_u1001');
  }, 180_000);

  afterAll(async () => {
    await env.stop();
  });

  it('quotes a message: the composer shows it with a cancel, the reply carries quote_message_id', async () => {
    const id = await env.admin.sendText(conversationId, '您的订单已发货，请注意查收');
    await expect.poll(() => row('您的订单已发货').count()).toBe(1);
    const original = await agentGot(env, 'its own message', (m) => m.clientMsgId === id);
    await act('您的订单已发货', '引用');
    const quoting = widget('[data-testid=quoting]');
    await expect.poll(() => quoting.innerText()).toContain('管理员：您的订单已发货，请注意查收');
    // The cursor is where the reply goes; ✕ cancels the quote.
    await expect
      .poll(() =>
        page.evaluate(() => document.querySelector('[data-kefu]')?.shadowRoot?.activeElement?.tagName),
      )
      .toBe('TEXTAREA');
    await quoting.locator('button[aria-label="取消引用"]').click();
    expect(await quoting.count()).toBe(0);
    const plain = await send('先问一句别的');
    expect(plain.quoteMessageId ?? '').toBe('');
    await act('您的订单已发货', '引用');
    const reply = await send('大概什么时候到？');
    expect(reply.quoteMessageId).toBe(original.id);
    expect(await quoting.count()).toBe(0);
    await expect
      .poll(() => row('大概什么时候到？').locator('[data-testid=quote]').innerText())
      .toBe('管理员：您的订单已发货，请注意查收');
  });

  it('shows the quoted message when its quote is tapped', async () => {
    for (let i = 1; i <= 15; i++) await env.admin.sendText(conversationId, `物流更新 ${String(i)}`);
    await expect.poll(() => row('物流更新 15').count(), { timeout: 10_000 }).toBe(1);
    await act('您的订单已发货', '引用');
    await send('再确认一下物流');
    // Sending brings the list back to the newest message, far below the quoted one.
    await expect.poll(() => row('再确认一下物流').isVisible()).toBe(true);
    const inView = (text: string) =>
      row(text).evaluate((el) => {
        const list = el.closest('.ls')?.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return !!list && r.top >= list.top - 1 && r.bottom <= list.bottom + 1;
      });
    await expect.poll(() => inView('再确认一下物流')).toBe(true);
    expect(await inView('您的订单已发货')).toBe(false);
    await row('再确认一下物流').locator('[data-testid=quote]').click();
    await expect.poll(() => inView('您的订单已发货')).toBe(true);
  });

  it('says when a quoted message is unknown here ("引用的消息") or was recalled ("原消息已撤回")', async () => {
    // The agent quotes an internal note: the customer never sees the note, so the quote says only that.
    const noteId = await env.admin.send(
      conversationId,
      { text: { text: '内部备注：先核实物流' } },
      { internalNote: true },
    );
    const note = await agentGot(env, 'the note', (m) => m.clientMsgId === noteId);
    await env.admin.send(conversationId, { text: { text: '已为您核实' } }, { quoteMessageId: note.id ?? '' });
    await expect.poll(() => row('已为您核实').locator('[data-testid=quote]').innerText()).toBe('引用的消息');
    expect(await widget('.ls').innerText()).not.toContain('内部备注');
    const mine = await send('这条我会撤回');
    await env.admin.send(conversationId, { text: { text: '收到您这条' } }, { quoteMessageId: mine.id ?? '' });
    const quote = row('收到您这条').locator('[data-testid=quote]');
    await expect.poll(() => quote.innerText()).toBe('你：这条我会撤回');
    await act('这条我会撤回', '撤回');
    await expect.poll(() => quote.innerText()).toBe('原消息已撤回');
  });

  it('recalls the customer’s own message: 你撤回了一条消息 in place, the agent told', async () => {
    const mine = await send('发错了，撤回');
    await act('发错了，撤回', '撤回');
    await waitFor('the recall at the agent', () => recalls.find((r) => r.messageId === mine.id));
    // The widget hears of its recall from the server as the agent does, not necessarily first.
    await expect.poll(() => row('发错了，撤回').count()).toBe(0);
    const placeholder = widget(`[data-testid=recalled][data-id="${mine.id ?? ''}"]`);
    await expect.poll(() => placeholder.innerText()).toBe('你撤回了一条消息');
    const stored = await env.server.db.collection('messages').findOne({ _id: (mine.id ?? '') as never });
    expect(stored?.['recalled_at']).toBeTruthy();
  });

  it('shows the agent’s recall as 客服撤回了一条消息, with no 撤回 on agents’ messages', async () => {
    const id = await env.admin.sendText(conversationId, '这句说错了');
    await expect.poll(() => row('这句说错了').count()).toBe(1);
    expect(await row('这句说错了').locator('.kefu-actions button:has-text("撤回")').count()).toBe(0);
    const sent = await agentGot(env, 'the agent’s own copy', (m) => m.clientMsgId === id);
    await env.admin.recall(conversationId, sent.id ?? '');
    const placeholder = widget(`[data-testid=recalled][data-id="${sent.id ?? ''}"]`);
    await expect.poll(() => placeholder.innerText()).toBe('客服撤回了一条消息');
  });

  it('offers 撤回 only within the recall window and says so when the server refuses', async () => {
    const ago = (s: number) => new Date(Date.now() - s * 1000);
    await injectMessage(
      env,
      conversationId,
      'u_u1001',
      { text: { text: '五分钟前发的' } },
      ago(300),
      'customer',
    );
    await injectMessage(
      env,
      conversationId,
      'u_u1001',
      { text: { text: '110 秒前发的' } },
      ago(110),
      'customer',
    );
    await expect.poll(() => row('110 秒前发的').count()).toBe(1);
    const recall = (text: string) => row(text).locator('.kefu-actions button:has-text("撤回")');
    expect(await recall('五分钟前发的').count()).toBe(0);
    // 110 s old: the widget's window (120 s, less a margin) still offers it — and the server, set to
    // 60 s here, refuses: the customer is told, the message stays.
    expect(await recall('110 秒前发的').count()).toBe(1);
    await act('110 秒前发的', '撤回');
    await expect.poll(() => widget('[data-testid=notice-toast]').innerText()).toContain('无法撤回');
    expect(await row('110 秒前发的').count()).toBe(1);
    // Seconds later the action is gone by itself.
    await expect.poll(() => recall('110 秒前发的').count(), { timeout: 15_000 }).toBe(0);
  });

  it('sends a sticker of the built-in pack, drawn from the server; its alt text follows the language', async () => {
    await widget('button[aria-label="表情包"]').click();
    const picker = widget('[data-testid=sticker-picker]');
    await expect.poll(() => picker.locator('button').count()).toBe(16);
    const loaded = () =>
      picker
        .locator('img')
        .evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length);
    await expect.poll(loaded).toBe(16);
    await picker.locator('button[aria-label="谢谢"]').click();
    expect(await picker.count()).toBe(0);
    const sent = await agentGot(env, 'the sticker', (m) => m.content?.sticker?.stickerId === 'thanks');
    expect(sent.content?.sticker).toEqual({
      pack: 'kefu',
      stickerId: 'thanks',
      url: `${env.server.url}/sdk/v1/stickers/kefu/thanks.svg`,
      alt: '谢谢',
    });
    const shown = widget('[data-testid=message] img[data-testid=sticker]');
    await expect.poll(() => shown.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    expect(await shown.getAttribute('alt')).toBe('谢谢');
    // Quoted, a sticker reads as its alt text.
    await shown.hover();
    await widget(
      '[data-testid=message]:has([data-testid=sticker]) .kefu-actions button:has-text("引用")',
    ).click();
    expect(await widget('[data-testid=quoting]').innerText()).toContain('你：[表情] 谢谢');
    await widget('[data-testid=quoting] button').click();
    await page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('setLocale', 'en');
    });
    await widget('button[aria-label="Stickers"]').click();
    await widget('[data-testid=sticker-picker] button[aria-label="Coffee"]').click();
    const coffee = await agentGot(
      env,
      'the English sticker',
      (m) => m.content?.sticker?.stickerId === 'coffee',
    );
    expect(coffee.content?.sticker?.alt).toBe('Coffee');
    await page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('setLocale', 'zh-CN');
    });
  });

  it('had no console errors or uncaught exceptions', () => {
    expect(env.errors).toEqual([]);
  });
});
