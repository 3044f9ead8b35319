// The people of the agent-shift suite (issue 17): agents and a supervisor in console pages, customers in
// the demo mall's widget (desktop or phone), and what each of them sees. Everything goes through the real
// stack of demo/test/console/stack.ts: server, embedded broker, FerretDB, the demo mall and Chromium.
import { expect } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { waitFor } from '@kefu/tools/testing';
import { ATTENTION_PROBE } from '../console/attention.js';
import { signInConsole, type Stack } from '../console/stack.js';

export const W = '[data-kefu]';
export const PHONE = { width: 390, height: 844 };

/** A console tab: an agent or a supervisor, with chimes and desktop notifications counted. */
export interface Desk {
  page: Page;
  username: string;
  uid: string;
}

export async function desk(stack: Stack, username: string, password: string): Promise<Desk> {
  const page = await stack.page({ init: ATTENTION_PROBE });
  await signInConsole(page, stack.server, username, password);
  return { page, username, uid: stack.uids[username] ?? '' };
}

export async function setStatus(d: Desk, status: 'online' | 'busy' | 'away'): Promise<void> {
  await d.page.selectOption('select[name=status]', status);
}

/** A shopper on the demo mall: signed in through the mall's form, the widget not opened yet. */
export interface Shopper {
  context: BrowserContext;
  page: Page;
  uid: string;
  w: (selector: string) => Locator;
  errors: string[];
}

export async function shopper(
  stack: Stack,
  userId: string,
  viewport = { width: 1280, height: 800 },
): Promise<Shopper> {
  const context = await stack.browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${stack.mall?.url ?? ''}/login`);
  await Promise.all([
    page.waitForURL((u) => !u.pathname.startsWith('/login')),
    page.click(`.person[data-user-id="${userId}"] button`),
  ]);
  return { context, page, uid: `u_${userId}`, w: (selector) => page.locator(`${W} ${selector}`), errors };
}

/** Opens the widget from its bubble; resolves with the conversation it opened. */
export async function openWidget(stack: Stack, s: Shopper): Promise<string> {
  await s.w('button.b').click();
  await s.w('.w').waitFor({ state: 'visible' });
  return conversationOf(stack, s.uid);
}

export function conversationOf(stack: Stack, customerUid: string): Promise<string> {
  return waitFor(`${customerUid}'s open conversation`, async () => {
    const c = await stack.server.db
      .collection('conversations')
      .findOne({ customer_uid: customerUid, status: { $ne: 'closed' } });
    return c ? String(c['_id']) : undefined;
  });
}

export async function say(s: Shopper, text: string): Promise<void> {
  await s.w('textarea').fill(text);
  await s.w('textarea').press('Enter');
}

/** The widget's message list as the customer reads it. */
export function widgetText(s: Shopper): Promise<string> {
  return s.w('.ls').innerText({ timeout: 2_000 });
}

/** Rows the widget renders as messages (bubbles and system lines), for "nothing appeared" checks. */
export function widgetRows(s: Shopper): Promise<number> {
  return s.w('[data-testid=message]').count();
}

/** The agent writes into the selected conversation (Enter sends). */
export async function reply(d: Desk, text: string): Promise<void> {
  await d.page.fill('.composer textarea', text);
  await d.page.press('.composer textarea', 'Enter');
}

export function row(d: Desk, conversationId: string): Locator {
  return d.page.locator(`[data-conversation="${conversationId}"]`);
}

/** What the conversation list previews for a conversation. */
export function preview(d: Desk, conversationId: string): Promise<string> {
  return row(d, conversationId)
    .locator('.conv-last')
    .innerText({ timeout: 2_000 })
    .catch(() => '');
}

export interface PaneExpectation {
  /** The customer's name as the agent sees it (masked without pii:view), e.g. "张*". */
  name: string;
  /** Texts the thread must show. */
  shows: readonly string[];
  /** Texts of other conversations the thread must not show. */
  hides: readonly string[];
}

/**
 * Clicks the conversation and checks the whole pane is about it: header, customer panel, every message
 * in the thread (message ids begin with the conversation's id), the texts it must and must not show.
 */
export async function select(d: Desk, conversationId: string, want: PaneExpectation): Promise<void> {
  await row(d, conversationId).click({ timeout: 20_000 });
  await expectPane(d, conversationId, want);
}

export async function expectPane(d: Desk, conversationId: string, want: PaneExpectation): Promise<void> {
  const { page } = d;
  await expect
    .poll(() => page.locator('main.chat .chat-head b').innerText({ timeout: 1_000 }), { timeout: 10_000 })
    .toBe(want.name);
  await expect
    .poll(() => page.locator('.customer-panel [data-field=name]').innerText({ timeout: 1_000 }), {
      timeout: 10_000,
    })
    .toBe(want.name);
  const thread = page.locator('.thread');
  for (const text of want.shows)
    await expect.poll(() => thread.innerText({ timeout: 1_000 }), { timeout: 10_000 }).toContain(text);
  const ids = await page
    .locator('.thread .msg[data-id]')
    .evaluateAll((els: { getAttribute(name: string): string | null }[]) =>
      els.map((e) => e.getAttribute('data-id') ?? '').filter((id) => id !== ''),
    );
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids)
    expect(id.startsWith(`${conversationId}:`), `${id} in ${conversationId}'s pane`).toBe(true);
  const text = await thread.innerText();
  for (const other of want.hides) expect(text, `pane of ${want.name}`).not.toContain(other);
}

/** Chimes and desktop notifications the desk got so far (attention.ts). */
export async function attention(
  d: Desk,
): Promise<{ chimes: number; notes: { title: string; body: string }[] }> {
  return {
    chimes: await d.page.evaluate<number>('window.__chimes'),
    notes: await d.page.evaluate<{ title: string; body: string }[]>('window.__notifications'),
  };
}

/** Records when a conversation's row first appears in the desk's list (page clock = machine clock). */
export async function watchArrival(d: Desk, conversationId: string): Promise<void> {
  await d.page.evaluate(`(() => {
    const id = ${JSON.stringify(conversationId)};
    window.__arrived ??= {};
    const seen = () => {
      if (!document.querySelector('[data-conversation="' + id + '"]')) return false;
      window.__arrived[id] ??= Date.now();
      return true;
    };
    if (seen()) return;
    const observer = new MutationObserver(() => { if (seen()) observer.disconnect(); });
    observer.observe(document.body, { childList: true, subtree: true });
  })()`);
}

export async function arrivedAt(d: Desk, conversationId: string): Promise<number> {
  return waitFor(`${conversationId} in ${d.username}'s list`, () =>
    d.page.evaluate<number | undefined>(`window.__arrived?.[${JSON.stringify(conversationId)}]`),
  );
}
