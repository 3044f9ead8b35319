// End-to-end: the widget as a guest on the host page (widget-page-env.ts): unread counts and the tab
// title, no CSS or globals left on the page, locales, keyboard access, a forged identity, a phone's
// screen, and the ES module build in a single-page app.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { W, startChat, useWidgetPage } from './widget-page-env.js';

describe('web widget on the demo mall', () => {
  const env = useWidgetPage('widget-host-e2e');
  const { widget } = env;
  let conversationId = '';

  beforeAll(async () => {
    conversationId = await startChat(env, '请问这个耳机什么时候发货😊');
  });

  it('counts unread messages on the bubble, flashes the tab title and tells the host while closed', async () => {
    await env.page.evaluate(() => {
      const w = window as unknown as { Kefu: (...a: unknown[]) => void; __unread: number[] };
      w.__unread = [];
      w.Kefu('on', 'unread', (n: number) => w.__unread.push(n));
      w.Kefu('close');
    });
    await expect.poll(() => widget('.w').isVisible()).toBe(false);
    await env.admin.sendText(conversationId, '还在吗？');
    await env.admin.sendText(conversationId, '订单已发出');
    await expect.poll(() => widget('button.b .n').innerText()).toBe('2');
    await expect.poll(() => env.page.title(), { timeout: 5_000 }).toMatch(/^【新消息】/);
    expect(await env.page.evaluate(() => (window as unknown as { __unread: number[] }).__unread)).toEqual([
      1, 2,
    ]);
    await widget('button.b').click();
    await expect.poll(() => widget('button.b .n').isHidden()).toBe(true);
    await expect.poll(() => env.page.title()).not.toMatch(/新消息/);
  });

  it('leaves no CSS or globals on the host page, and the hostile host CSS does not reach the widget', async () => {
    const keys = await env.page.evaluate(() => {
      const before = new Set((window as unknown as { __hostKeys: string[] }).__hostKeys);
      return Object.keys(window).filter((k) => !before.has(k) && k !== '__hostKeys' && k !== '__unread');
    });
    expect(keys).toEqual(['Kefu']);
    // Nothing of ours in the host document except the one shadow host.
    const foreign = await env.page.evaluate(() => ({
      styles: [...document.querySelectorAll('style,link[rel=stylesheet]')].filter((s) =>
        s.textContent.includes('kefu-color'),
      ).length,
      hosts: document.querySelectorAll('[data-kefu]').length,
    }));
    expect(foreign).toEqual({ styles: 0, hosts: 1 });
    // The host's hostile rules (button padding 12px 24px / font 18px, * box-sizing content-box) stay
    // outside: the widget's own button and textarea keep their sizes.
    const inside = await env.page.evaluate(() => {
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
    const hostButton = await env.page.evaluate(() => {
      const b = document.querySelector('body button:not([data-kefu] *)');
      return b ? getComputedStyle(b).fontSize : undefined;
    });
    expect(hostButton).toBeDefined();
  });

  it('switches to English', async () => {
    await env.page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('setLocale', 'en');
    });
    await expect.poll(() => widget('.hd h2').innerText()).toContain('Customer service');
    await env.page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('setLocale', 'zh-CN');
    });
  });

  it('had no console errors and no uncaught exceptions on the host page', () => {
    expect(env.pageErrors).toEqual([]);
    expect(env.consoleErrors).toEqual([]);
  });

  it('is keyboard accessible: Tab to the bubble, Enter opens, Esc closes', async () => {
    await env.page.evaluate(() => {
      (window as unknown as { Kefu: (...a: unknown[]) => void }).Kefu('close');
    });
    await widget('button.b').focus();
    await env.page.keyboard.press('Enter');
    await expect.poll(() => widget('.w').isVisible()).toBe(true);
    // Focus moves into the panel (the message input).
    await expect
      .poll(() =>
        env.page.evaluate(() => document.querySelector('[data-kefu]')?.shadowRoot?.activeElement?.tagName),
      )
      .toBe('TEXTAREA');
    await env.page.keyboard.press('Escape');
    await expect.poll(() => widget('.w').isVisible()).toBe(false);
    await widget('button.b').click();
  });

  it('refuses a forged identity with a visible, friendly error', async () => {
    const forged = await env.browser.newContext();
    const p = await forged.newPage();
    await p.goto(`${env.mall.url}/login`);
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
    const phone = await env.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    const p = await phone.newPage();
    await p.goto(`${env.mall.url}/products/p1002`);
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
    const spa = await env.browser.newContext();
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
      const server = ${JSON.stringify(env.proxy.url)};
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
});
