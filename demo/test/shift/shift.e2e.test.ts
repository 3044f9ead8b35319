// The agent shift (issue 17): two agents and a supervisor in the console, three customers on the demo mall
// (one on a phone) arriving over time, all in Chromium at once against the real stack. After every step
// it checks what each person sees. Steps run in order and share the people; a failing step does not stop
// the later ones (each checks its own expectations). docs/testing.md lists the steps and the defects each
// one caught.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { conversationModel } from '../../../server/src/model/conversation.js';
import type { Stack } from '../console/stack.js';
import { GREETING_WANG, L, STEP_MS, Z, assignedTo, closeWithSummary, startShift, transfer } from './cast.js';
import {
  PHONE,
  arrivedAt,
  attention,
  expectPane,
  openWidget,
  preview,
  reply,
  row,
  say,
  select,
  setStatus,
  shopper,
  watchArrival,
  widgetRows,
  widgetText,
  type Desk,
  type Shopper,
} from './people.js';

describe('an agent shift', { timeout: STEP_MS }, () => {
  let stack: Stack;
  let wang: Desk; // agent 小王
  let li: Desk; // agent 小李
  let boss: Desk; // supervisor 老张
  let zhang: Shopper; // 张三, desktop
  let lisi: Shopper; // 李四, desktop
  let wangwu: Shopper; // 王五, phone
  let zhangChat = '';
  let lisiChat = '';

  beforeAll(async () => {
    ({ stack, wang, li, boss } = await startShift());
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
  });

  it('张三 arrives: 小王 is told, the customer is greeted with his name, the wait shows', async () => {
    zhang = await shopper(stack, 'u1001');
    zhangChat = await openWidget(stack, zhang);
    await assignedTo(stack, zhangChat, wang);
    await expect.poll(() => row(wang, zhangChat).count(), { timeout: 20_000 }).toBe(1);
    await expect.poll(async () => (await attention(wang)).chimes, { timeout: 10_000 }).toBeGreaterThan(0);
    await expect.poll(() => widgetText(zhang), { timeout: 10_000 }).toContain(GREETING_WANG);
    await say(zhang, '张三：积分什么时候到账');
    await expect.poll(() => row(wang, zhangChat).locator('.waiting').count(), { timeout: 10_000 }).toBe(1);
  });

  it('李四 arrives too: both chats wait in 小王’s list with their previews', async () => {
    lisi = await shopper(stack, 'u1002');
    lisiChat = await openWidget(stack, lisi);
    await assignedTo(stack, lisiChat, wang);
    await say(lisi, '李四：订单 202412060002 还没发货');
    await expect.poll(() => preview(wang, lisiChat), { timeout: 20_000 }).toContain('李四：订单');
    expect(await preview(wang, zhangChat)).toContain('张三：积分什么时候到账');
  });

  it('小王 switches back and forth: the pane always shows the selected chat, and replies go there', async () => {
    for (const [id, want] of [
      [lisiChat, L],
      [zhangChat, Z],
      [lisiChat, L],
      [zhangChat, Z],
    ] as const)
      await select(wang, id, want);
    await reply(wang, '小王回张三：今天内到账');
    await expect.poll(() => widgetText(zhang), { timeout: 10_000 }).toContain('小王回张三：今天内到账');
    await expectPane(wang, zhangChat, { ...Z, shows: [...Z.shows, '小王回张三：今天内到账'] });
    await select(wang, lisiChat, L);
    await reply(wang, '小王回李四：正在查物流');
    await expect.poll(() => widgetText(lisi), { timeout: 10_000 }).toContain('小王回李四：正在查物流');
    await expectPane(wang, lisiChat, { ...L, shows: [...L.shows, '小王回李四：正在查物流'] });
    expect(await widgetText(zhang)).not.toContain('小王回李四');
    expect(await widgetText(lisi)).not.toContain('小王回张三');
    // Answered: neither chat waits any more.
    for (const id of [zhangChat, lisiChat])
      await expect.poll(() => row(wang, id).locator('.waiting').count(), { timeout: 10_000 }).toBe(0);
  });

  it('an internal note stays with the agents: no bubble, no unread and no trace at the customer', async () => {
    await select(wang, zhangChat, Z);
    const rows = await widgetRows(zhang);
    await wang.page.check('.note-toggle input');
    await reply(wang, '备注：张三是高价值客户');
    await wang.page.uncheck('.note-toggle input');
    await expect.poll(() => wang.page.locator('.msg.note').count(), { timeout: 10_000 }).toBe(1);
    await reply(wang, '小王回张三：还有别的问题吗');
    await expect.poll(() => widgetText(zhang), { timeout: 10_000 }).toContain('还有别的问题吗');
    const seen = await widgetText(zhang);
    expect(seen).not.toContain('备注');
    expect(seen).not.toContain('暂不支持');
    expect(await widgetRows(zhang)).toBe(rows + 1);
    await zhang.page.reload();
    await zhang.w('button.b').click();
    await expect.poll(() => widgetText(zhang), { timeout: 20_000 }).toContain('还有别的问题吗');
    expect(await widgetText(zhang)).not.toContain('暂不支持');
    expect(await widgetRows(zhang)).toBe(rows + 1);
  });

  it('小王 recalls a message to 李四: gone from the customer’s screen and from the list preview', async () => {
    await select(wang, lisiChat, L);
    await reply(wang, '小王发错了：您的订单已取消');
    await expect.poll(() => widgetText(lisi), { timeout: 10_000 }).toContain('您的订单已取消');
    const mine = wang.page.locator('.msg.right', { hasText: '您的订单已取消' });
    await mine.locator('button:has-text("撤回")').click();
    await expect.poll(() => widgetText(lisi), { timeout: 10_000 }).not.toContain('您的订单已取消');
    await expect.poll(() => preview(wang, lisiChat), { timeout: 10_000 }).toBe('[已撤回]');
    await wang.page.reload();
    await expect.poll(() => preview(wang, lisiChat), { timeout: 20_000 }).toBe('[已撤回]');
  });

  it('张三 rates from 小王’s invite: the rating starts no waiting timer', async () => {
    await select(wang, zhangChat, Z);
    await wang.page.click('.actions button:has-text("邀请评价")');
    const form = zhang.w('[data-testid=rating]');
    await expect.poll(() => form.isVisible(), { timeout: 10_000 }).toBe(true);
    await form.locator('button[role=radio]').nth(4).click();
    await form.locator('button[type=submit]').click();
    await waitFor('rating stored', () =>
      stack.server.db.collection('ratings').findOne({ conversation_id: zhangChat }),
    );
    await expect.poll(() => preview(wang, zhangChat), { timeout: 10_000 }).toContain('评价');
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await row(wang, zhangChat).locator('.waiting').count()).toBe(0);
    // The server agrees (a reload shows what it stores, not the console's live rule).
    expect(
      (await conversationModel(stack.server.db).findById(zhangChat).lean())?.waiting_since,
    ).toBeUndefined();
    await wang.page.reload();
    await expect.poll(() => row(wang, zhangChat).count(), { timeout: 20_000 }).toBe(1);
    expect(await row(wang, zhangChat).locator('.waiting').count()).toBe(0);
  });

  it('小王 transfers 李四 to 小李 with a note: both sides get a line, 小李 is told and reads the note', async () => {
    await setStatus(li, 'online');
    await li.page.evaluate('window.__hidden = true; window.__chimes = 0; window.__notifications = []');
    await watchArrival(li, lisiChat);
    await select(wang, lisiChat, L);
    await transfer(wang, li, '李四催发货，请跟进物流');
    const shown = await arrivedAt(li, lisiChat);
    const submitted = await wang.page.evaluate<number>('window.__submitAt');
    // Measured, not asserted (timings on a shared machine are noisy): the closing note of issue 17.
    console.info(`shift: transfer click → row at the receiver ${String(shown - submitted)} ms`);
    await expect.poll(() => row(wang, lisiChat).count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(async () => (await attention(li)).chimes, { timeout: 10_000 }).toBeGreaterThan(0);
    const notes = (await attention(li)).notes.map((n) => n.body);
    expect(notes.some((b) => b.includes('李四催发货，请跟进物流'))).toBe(true);
    await li.page.evaluate('window.__hidden = false');
    await select(li, lisiChat, {
      ...L,
      shows: [...L.shows, '李四催发货，请跟进物流', '会话已由 小王 转接给 小李'],
    });
    // The recalled text stays gone for the agent who takes the chat.
    expect(await preview(li, lisiChat)).not.toContain('您的订单已取消');
    expect(await li.page.locator('.thread').innerText()).not.toContain('您的订单已取消');
    await expect.poll(() => widgetText(lisi), { timeout: 10_000 }).toContain('会话已转接给客服 小李');
    expect(await widgetText(lisi)).not.toContain('请跟进物流');
    expect(await widgetText(lisi)).not.toContain('暂不支持');
  });

  it('老张 (with pii:view) watches his group’s conversations and switches between them; notes show to him', async () => {
    await boss.page.click('.tabs button:has-text("全部会话")');
    for (const [id, want] of [
      [zhangChat, { ...Z, name: '张三', shows: [...Z.shows, '备注：张三是高价值客户'] }],
      [lisiChat, { ...L, name: '李四' }],
      [zhangChat, { ...Z, name: '张三' }],
    ] as const)
      await select(boss, id, want);
  });

  it('王五 on a phone: the bubble is on screen; he ends the chat unanswered and is not asked to rate', async () => {
    await setStatus(wang, 'busy');
    wangwu = await shopper(stack, 'u1003', PHONE);
    const box = await wangwu.w('button.b').boundingBox();
    expect(box && box.x + box.width <= PHONE.width && box.y + box.height <= PHONE.height).toBe(true);
    expect(await wangwu.page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
      PHONE.width,
    );
    const chat = await openWidget(stack, wangwu);
    await say(wangwu, '王五：积分能换京东E卡吗');
    await expect.poll(() => row(li, chat).count(), { timeout: 20_000 }).toBe(1);
    await wangwu.w('.hd button:has-text("结束会话")').click();
    await wangwu.w('[role=alertdialog] button:has-text("结束会话")').click();
    await expect.poll(() => widgetText(wangwu), { timeout: 10_000 }).toContain('会话已结束');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await wangwu.w('[data-testid=rating]').count()).toBe(0);
    await setStatus(wang, 'online');
  });

  it('reloads mid-chat on both sides keep everything in place', async () => {
    await lisi.page.reload();
    await lisi.w('button.b').click();
    await expect.poll(() => widgetText(lisi), { timeout: 20_000 }).toContain('会话已转接给客服 小李');
    expect(await widgetText(lisi)).not.toContain('您的订单已取消');
    await li.page.reload();
    await select(li, lisiChat, L);
    await reply(li, '小李：物流已催');
    await expect.poll(() => widgetText(lisi), { timeout: 10_000 }).toContain('小李：物流已催');
    // The customer has the chat open: the reply turns 已读, and stays so when the console reloads.
    const status = () =>
      li.page
        .locator('.thread .msg', { hasText: '小李：物流已催' })
        .locator('.status')
        .innerText({ timeout: 1_000 })
        .catch(() => '');
    await expect.poll(status, { timeout: 10_000 }).toContain('已读');
    await li.page.reload();
    await select(li, lisiChat, L);
    await expect.poll(status, { timeout: 10_000 }).toContain('已读');
  });

  it('张三 goes offline and comes back: what 小王 sent meanwhile arrives once, in order', async () => {
    stack.proxy?.cut();
    await zhang.context.setOffline(true);
    await expect.poll(() => zhang.w('[data-testid=offline]').isVisible(), { timeout: 20_000 }).toBe(true);
    await select(wang, zhangChat, Z);
    await reply(wang, '离线时第一条');
    await reply(wang, '离线时第二条');
    await new Promise((r) => setTimeout(r, 1_000));
    await zhang.context.setOffline(false);
    stack.proxy?.restore();
    await expect.poll(() => widgetText(zhang), { timeout: 40_000 }).toContain('离线时第二条');
    const text = await widgetText(zhang);
    expect(text.split('离线时第一条').length - 1).toBe(1);
    expect(text.indexOf('离线时第一条')).toBeLessThan(text.indexOf('离线时第二条'));
    // 李四 was cut too (same network path) and is back as well.
    await reply(li, '小李：还在吗');
    await expect.poll(() => widgetText(lisi), { timeout: 40_000 }).toContain('小李：还在吗');
  });

  it('closes with a summary: 张三 (rated already) is not asked again; 李四 is asked once', async () => {
    for (const [d, id] of [
      [wang, zhangChat],
      [li, lisiChat],
    ] as const) {
      await select(d, id, id === zhangChat ? Z : L);
      await closeWithSummary(d, '已处理');
      await waitFor(`${id} closed`, async () => {
        const doc = await conversationModel(stack.server.db).findById(id).lean();
        return doc?.status === 'closed' ? doc : undefined;
      });
    }
    await expect.poll(() => widgetText(zhang), { timeout: 10_000 }).toContain('会话已结束');
    await expect.poll(() => lisi.w('[data-testid=rating]').isVisible(), { timeout: 10_000 }).toBe(true);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await zhang.w('[data-testid=rating]').count()).toBe(0);
  });

  it('had no uncaught errors in any page', () => {
    expect(stack.pageErrors).toEqual([]);
    expect([...zhang.errors, ...lisi.errors, ...wangwu.errors]).toEqual([]);
  });
});
