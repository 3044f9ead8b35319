// The demo mall on a phone (390 × 844, Chromium): no page is wider than the screen, the chat bubble sits
// in the bottom corner, and the header's labels stay on one line. The widget loader is the built
// sdk-web bundle, answered by the test in place of the Kefu server (the bubble needs nothing else).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '@kefu/tools/chromium';
import type { RunningMall } from '../src/index.js';
import { KEFU_URL, mall } from './helpers.js';

const PHONE = { width: 390, height: 844 };
const LOADER = new URL('../../sdk-web/dist/bundle/kefu-loader.js', import.meta.url);

interface Layout {
  viewport: number;
  documentWidth: number;
  bubble: { left: number; top: number; right: number; bottom: number } | null;
  /** Text lines of each single-line header label (brand, nav links, buttons, switcher label). */
  labelLines: Record<string, number>;
}

// Runs in the page (a string: demo's tests compile without the DOM library).
const MEASURE = `(() => {
  const lines = (el) => {
    const tops = new Set();
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let text = walk.nextNode(); text; text = walk.nextNode()) {
      if (!text.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
    }
    return tops.size;
  };
  const labels = {};
  for (const el of document.querySelectorAll('.topbar .brand, .topbar .nav a, .topbar .btn, .topbar label'))
    labels[el.textContent.trim()] = lines(el);
  const host = document.querySelector('[data-kefu]');
  const b = host && host.getBoundingClientRect();
  return {
    viewport: window.innerWidth,
    documentWidth: document.documentElement.scrollWidth,
    bubble: b && { left: b.left, top: b.top, right: b.right, bottom: b.bottom },
    labelLines: labels,
  };
})()`;

describe('demo mall on a phone', () => {
  let m: RunningMall;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    m = await mall();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    page = await context.newPage();
    // The panel is never opened here: nothing but the loader is asked of the Kefu server. (The route
    // added last is tried first.)
    await page.route(`${KEFU_URL}/**`, (route) => route.abort());
    await page.route(`${KEFU_URL}/sdk/v1/kefu-loader.js`, (route) =>
      route.fulfill({ contentType: 'text/javascript', body: readFileSync(LOADER) }),
    );
  }, 60_000);

  afterAll(async () => {
    await browser.close();
    await m.stop();
  });

  const check = async (path: string): Promise<Layout> => {
    await page.goto(`${m.url}${path}`);
    await page.locator('[data-kefu]').waitFor({ state: 'attached' });
    return page.evaluate<Layout>(MEASURE);
  };

  const expectFits = (layout: Layout, path: string): void => {
    expect(layout.viewport, path).toBe(PHONE.width);
    expect(layout.documentWidth, `${path}: page wider than the screen`).toBeLessThanOrEqual(PHONE.width);
    const b = layout.bubble;
    expect(b, path).not.toBeNull();
    if (!b) return;
    // In the bottom-right corner, fully on screen.
    expect(b.left, path).toBeGreaterThanOrEqual(PHONE.width / 2);
    expect(b.right, path).toBeLessThanOrEqual(PHONE.width);
    expect(b.top, path).toBeGreaterThanOrEqual(PHONE.height / 2);
    expect(b.bottom, path).toBeLessThanOrEqual(PHONE.height);
    for (const [label, lines] of Object.entries(layout.labelLines))
      expect(lines, `${path}: header label "${label}" broken over lines`).toBe(1);
  };

  it('fits every page of a visitor: home, search, product, sign-in, not found', async () => {
    for (const path of [
      '/',
      '/?q=%E4%BF%9D%E6%B8%A9',
      '/products/p1002',
      '/products/p1005',
      '/login',
      '/nope',
    ]) {
      const layout = await check(path);
      expectFits(layout, path);
      expect(Object.keys(layout.labelLines).length, path).toBeGreaterThanOrEqual(3);
    }
  });

  it('fits the signed-in header (name, points, switcher, sign-out) and the order pages', async () => {
    await page.goto(`${m.url}/login`);
    await Promise.all([
      page.waitForURL((u) => !u.pathname.startsWith('/login')),
      page.click('.person[data-user-id="u1001"] button'),
    ]);
    for (const path of ['/', '/orders', '/orders/JF202611150004', '/products/p1007']) {
      const layout = await check(path);
      expectFits(layout, path);
      expect(layout.labelLines['退出登录'], path).toBe(1);
      expect(layout.labelLines['切换用户'], path).toBe(1);
    }
  });

  it('keeps the desktop layout on a wide screen', async () => {
    const desktop = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await desktop.route(`${KEFU_URL}/**`, (route) => route.abort());
    await desktop.goto(`${m.url}/products/p1002`);
    const side = await desktop.evaluate<boolean>(
      `(() => { const d = document.querySelector('.detail'); return getComputedStyle(d).flexDirection === 'row'; })()`,
    );
    expect(side).toBe(true);
    await desktop.close();
  });
});
