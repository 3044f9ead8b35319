// End-to-end (issue 17): a transfer between two open consoles. The receiving agent is told like for a new
// chat (chime, desktop notification while the tab is hidden) and reads who transferred it and the note —
// once, also after a reload; system notices are centred grey lines. The sending agent's list drops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitFor } from '@kefu/tools/testing';
import { conversationModel } from '../../../server/src/model/conversation.js';
import { ATTENTION_PROBE } from './attention.js';
import { signInConsole, startStack, type Stack } from './stack.js';

const NOTE = '积分问题，请主管处理';

describe('console transfers', () => {
  let stack: Stack;
  let from: Page;
  let to: Page;
  let id = '';
  const occurrences = async (p: Page, text: string): Promise<number> =>
    ((await p.locator('main.chat').textContent({ timeout: 1_000 })) ?? '').split(text).length - 1;

  beforeAll(async () => {
    stack = await startStack('console-transfer', {
      agents: [
        { username: 'xiaowang', display_name: '小王', role: 'agent', password: 'xiaowang-pass-1' },
        { username: 'laozhang', display_name: '老张', role: 'supervisor', password: 'laozhang-pass-1' },
      ],
    });
    from = await stack.page();
    to = await stack.page({ init: ATTENTION_PROBE });
    await signInConsole(to, stack.server, 'laozhang', 'laozhang-pass-1');
    await to.selectOption('select[name=status]', 'busy');
    await signInConsole(from, stack.server, 'xiaowang', 'xiaowang-pass-1');
    const customer = await stack.customer('u6001', '孙七');
    id = await stack.chat(customer, 'xiaowang');
    await customer.client.sendText(id, '我的积分少了');
    await from.locator(`[data-conversation="${id}"]`).click({ timeout: 20_000 });
    await to.selectOption('select[name=status]', 'online');
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
  });

  it("tells the receiving agent like a new chat, and drops it from the sender's list", async () => {
    await to.evaluate('window.__hidden = true; window.__chimes = 0');
    await waitFor('laozhang online', async () =>
      ((await stack.api('GET', '/agent/transfer-targets'))['agents'] as { uid: string }[]).some(
        (a) => a.uid === stack.uids['laozhang'],
      ),
    );
    await from.click('.actions button:has-text("转接")');
    await from.selectOption('form.dialog select[name=target]', `a:${stack.uids['laozhang'] ?? ''}`);
    await from.fill('form.dialog textarea[name=note]', NOTE);
    await from.click('form.dialog button[type=submit]');
    await waitFor('transferred', async () => {
      const doc = await conversationModel(stack.server.db).findById(id).lean();
      return doc?.agent_uid === stack.uids['laozhang'];
    });
    await expect.poll(() => from.locator(`[data-conversation="${id}"]`).count(), { timeout: 10_000 }).toBe(0);
    expect(await from.locator('main.chat.empty').count()).toBe(1);

    await expect.poll(() => to.locator(`[data-conversation="${id}"]`).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => to.evaluate('window.__chimes'), { timeout: 5_000 }).toBeGreaterThan(0);
    const notes = await to.evaluate<{ title: string; body: string }[]>('window.__notifications');
    expect(notes.some((n) => n.body.includes(`由 小王 转接：${NOTE}`))).toBe(true);
    await to.evaluate('window.__hidden = false');
  });

  it('shows the transfer and its note once, as centred system lines, also after a reload', async () => {
    await to.locator(`[data-conversation="${id}"]`).click();
    await expect
      .poll(() => to.locator('.thread').textContent({ timeout: 1_000 }), { timeout: 10_000 })
      .toContain('我的积分少了');
    await expect.poll(() => occurrences(to, NOTE), { timeout: 10_000 }).toBe(1);
    expect(await occurrences(to, `由 小王 转接：${NOTE}`)).toBe(1);
    // The server's notices are in the thread as centred lines (not bubbles).
    await expect
      .poll(() => to.locator('.msg.center .system-line').allTextContents(), { timeout: 10_000 })
      .toEqual(expect.arrayContaining(['会话已由 小王 转接给 老张', `由 小王 转接：${NOTE}`]));
    await to.reload();
    await to.locator(`[data-conversation="${id}"]`).click({ timeout: 20_000 });
    await expect.poll(() => occurrences(to, `由 小王 转接：${NOTE}`), { timeout: 10_000 }).toBe(1);
  });

  it('had no uncaught errors in the pages', () => {
    expect(stack.pageErrors).toEqual([]);
  });
});
