// End-to-end (issue 17): the workbench by keyboard — Alt+↑/↓ between conversations (the pane always shows
// the selected one and the focus stays on the list or in the composer), Alt+K to the composer, Enter /
// Shift+Enter, Alt+N internal note, Alt+C close (its dialog first), and the `?` help overlay (zh/en, Esc).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitFor } from '@kefu/tools/testing';
import { received, signInConsole, startStack, type Customer, type Stack } from './stack.js';

describe('console keyboard shortcuts', () => {
  let stack: Stack;
  let page: Page;
  const customers: Customer[] = [];
  const ids: string[] = [];
  /** The list's rows, top to bottom. */
  const listed = async (): Promise<string[]> => {
    const rows = page.locator('.conv[data-conversation]');
    const out: string[] = [];
    for (let i = 0; i < (await rows.count()); i++)
      out.push((await rows.nth(i).getAttribute('data-conversation')) ?? '');
    return out;
  };
  const selectedRow = () =>
    page.locator('.conv.selected').getAttribute('data-conversation', { timeout: 1_000 });
  const paneName = () => page.locator('.chat-head b').textContent({ timeout: 1_000 });
  const focused = () =>
    page.evaluate(
      "(() => { const el = document.activeElement; return el?.getAttribute('data-conversation') ? 'row:' + el.getAttribute('data-conversation') : el?.closest('.composer') ? 'composer' : el?.tagName ?? ''; })()",
    );

  beforeAll(async () => {
    stack = await startStack('console-shortcuts', {
      agents: [{ username: 'xiaowang', display_name: '小王', role: 'agent', password: 'xiaowang-pass-1' }],
    });
    page = await stack.page();
    await signInConsole(page, stack.server, 'xiaowang', 'xiaowang-pass-1');
    for (const [uid, name] of [
      ['u5001', '甲'],
      ['u5002', '乙'],
      ['u5003', '丙'],
    ] as const) {
      const c = await stack.customer(uid, name);
      const id = await stack.chat(c, 'xiaowang');
      await c.client.sendText(id, `我是${name}`);
      customers.push(c);
      ids.push(id);
    }
    await waitFor('three chats listed', async () => (await listed()).length === 3, { timeoutMs: 20_000 });
  }, 180_000);

  afterAll(async () => {
    await stack.stop();
  });

  it('opens the help with ? and closes it with Esc, in both languages', async () => {
    await page.locator('body').press('?');
    const help = page.locator('[role=dialog].help');
    await expect.poll(() => help.count()).toBe(1);
    const text = (await help.textContent()) ?? '';
    for (const line of [
      '键盘快捷键',
      'Alt + ↑',
      '上一个会话',
      'Alt + K',
      '输入框获得焦点',
      'Alt + C',
      '结束当前会话',
    ]) {
      expect(text).toContain(line);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => help.count()).toBe(0);
    await page.click('header button:has-text("English")');
    await page.click('header button.help-button');
    await expect.poll(() => help.textContent({ timeout: 1_000 })).toContain('Previous conversation');
    await page.keyboard.press('Escape');
    await page.click('header button:has-text("中文")');
  });

  it('moves between conversations with Alt+↑/↓; the pane and the focus follow', async () => {
    const order = await listed();
    await page.locator(`[data-conversation="${order[0] ?? ''}"]`).click();
    expect(await selectedRow()).toBe(order[0]);
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(selectedRow).toBe(order[1]);
    await expect.poll(focused).toBe(`row:${order[1] ?? ''}`);
    const second = customers[ids.indexOf(order[1] ?? '')];
    expect(second).toBeDefined();
    await expect.poll(() => page.locator('.thread').textContent({ timeout: 1_000 })).toContain('我是');
    await page.keyboard.press('Alt+ArrowDown');
    await page.keyboard.press('Alt+ArrowDown'); // already the last: stays
    await expect.poll(selectedRow).toBe(order[2]);
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(selectedRow).toBe(order[1]);
    // The pane shows the selected conversation's customer.
    const names = await page.locator('.conv.selected .conv-name').textContent();
    expect(await paneName()).toBe(names);
  });

  it('goes to the composer with Alt+K; a draft stays with its conversation', async () => {
    await page.keyboard.press('Alt+k');
    await expect.poll(focused).toBe('composer');
    // `?` while typing is just a character.
    await page.keyboard.type('草稿？?');
    expect(await page.locator('[role=dialog].help').count()).toBe(0);
    const here = await selectedRow();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(selectedRow).not.toBe(here);
    // In the next conversation the focus is in its (empty) composer.
    await expect.poll(focused).toBe('composer');
    expect(await page.inputValue('.composer textarea')).toBe('');
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(selectedRow).toBe(here);
    await expect.poll(() => page.inputValue('.composer textarea')).toBe('草稿？?');
    await page.fill('.composer textarea', '');
  });

  it('sends on Enter, breaks lines on Shift+Enter, toggles the internal note with Alt+N', async () => {
    const id = (await selectedRow()) ?? '';
    const customer = customers[ids.indexOf(id)];
    if (!customer) throw new Error('no customer for the selected row');
    await page.keyboard.press('Alt+k');
    await page.keyboard.type('第一行');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('第二行');
    await page.keyboard.press('Enter');
    await received(customer, 'two lines', (m) => m.content?.text?.text === '第一行\n第二行');

    await page.keyboard.press('Alt+n');
    await expect.poll(() => page.locator('.composer.noting').count()).toBe(1);
    await page.keyboard.type('只给同事看');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.msg.note').count(), { timeout: 10_000 }).toBe(1);
    await page.keyboard.press('Alt+n');
    await expect.poll(() => page.locator('.composer.noting').count()).toBe(0);
    await page.waitForTimeout(500);
    expect(customer.messages.some((m) => m.content?.text?.text === '只给同事看')).toBe(false);
  });

  it('asks before closing with Alt+C (Esc keeps the chat open)', async () => {
    await page.keyboard.press('Alt+c');
    const dialog = page.locator('form.dialog[aria-label="会话小结"]');
    await expect.poll(() => dialog.count()).toBe(1);
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    const id = (await selectedRow()) ?? '';
    await page.keyboard.press('Alt+c');
    const category = (await dialog.locator('select[name=category] option').nth(1).textContent()) ?? '';
    await dialog.locator('select[name=category]').selectOption({ label: category });
    await dialog.locator('button[type=submit]').click();
    await expect.poll(() => page.locator(`[data-conversation="${id}"]`).count(), { timeout: 10_000 }).toBe(0);
  });

  it('had no uncaught errors in the page', () => {
    expect(stack.pageErrors).toEqual([]);
  });
});
