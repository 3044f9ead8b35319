import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMall } from '../src/index.js';
import { PRODUCTS } from '../src/index.js';
import { dataJson, KEFU_URL, mall, page, rawGet, signIn } from './helpers.js';

let m: RunningMall;
beforeAll(async () => {
  m = await mall();
});
afterAll(async () => {
  await m.stop();
});

const LOADER = `<script async src="${KEFU_URL}/sdk/v1/kefu-loader.js"></script>`;

describe('mall pages', () => {
  it('the product list shows all 8 products, prices and the Kefu snippet for a visitor', async () => {
    const { status, text, res } = await page(m.url, '/');
    expect(status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(text).toContain('<html lang="zh-CN">');
    for (const p of PRODUCTS) expect(text).toContain(`href="/products/${p.id}"`);
    expect(text.match(/class="card"/g)).toHaveLength(8);
    expect(text).toContain('咖啡电子兑换券（中杯拿铁）');
    expect(text).toContain('1200 积分');
    expect(text).toContain('9800 积分 + ¥49.00');
    expect(text).toContain('积分+现金');
    expect(text).toContain(LOADER);
    expect(text).toContain(
      `Kefu('init', {"server":"${KEFU_URL}","locale":"zh-CN","color":"#e4393c","position":"right"});`,
    );
    expect(text).toContain(`Kefu('setAttributes', {"page":"home"});`);
    expect(text).not.toContain("Kefu('identify'");
    expect(text).toContain('您好，游客');
  });

  it('a signed-in customer gets the identify call and the header with the switcher', async () => {
    const cookie = await signIn(m.url, 'u1001');
    const { text } = await page(m.url, '/', cookie);
    expect(text).toContain(`Kefu('identify', {"url":"/api/kefu/identity"});`);
    expect(text).toContain('<b>张三</b>');
    expect(text).toContain('VIP 3 会员');
    expect(text).toMatch(/<select id="switch-user" name="user_id">/);
    expect(text).toMatch(/<form method="post" action="\/logout" data-kefu-logout>/);
    expect(text).toContain(LOADER);
  });

  it('the product detail has a 咨询客服 button carrying the product card', async () => {
    const { status, text } = await page(m.url, '/products/p1002');
    expect(status).toBe(200);
    expect(text).toContain('<h1>智能运动手环 NFC 版</h1>');
    expect(text).toContain('咨询客服');
    expect(text).toContain(`Kefu('setAttributes', {"page":"product","product_id":"p1002"});`);
    expect(dataJson(text, 'data-kefu-product')).toEqual([
      {
        id: 'p1002',
        title: '智能运动手环 NFC 版',
        description: '1.62 英寸高清屏，心率血氧监测，NFC 门禁公交，续航 14 天。',
        label: '9800 积分 + ¥49.00',
        image: `${m.url}/img/p1002.svg`,
        url: `${m.url}/products/p1002`,
      },
    ]);
  });

  it('我的订单 lists every status newest first, each with a 咨询此订单 order card', async () => {
    const cookie = await signIn(m.url, 'u1001');
    const { status, text } = await page(m.url, '/orders', cookie);
    expect(status).toBe(200);
    for (const s of ['待付款', '待发货', '运输中', '派送中', '已完成', '待评价', '已取消', '退款中']) {
      expect(text).toContain(s);
    }
    const cards = dataJson(text, 'data-kefu-order') as {
      order_no: string;
      status: number;
      created_at: string;
    }[];
    expect(cards.map((c) => c.status).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const times = cards.map((c) => c.created_at);
    expect(times).toEqual([...times].sort().reverse());
    expect(cards[0]).toEqual({
      order_no: 'JF202611230001',
      status: 1,
      status_text: '待付款',
      total_fen: 4900,
      total_points: 9800,
      goods_count: 1,
      goods: [{ name: '智能运动手环 NFC 版', picture_url: `${m.url}/img/p1002.svg` }],
      url: `${m.url}/orders/JF202611230001`,
      created_at: '2026-11-23T02:15:00.000Z',
    });
    expect(text.match(/咨询此订单/g)).toHaveLength(8);
  });

  it("order pages need sign-in and show only the customer's own orders", async () => {
    const anonymous = await page(m.url, '/orders');
    expect(anonymous.status).toBe(302);
    expect(anonymous.res.headers.get('location')).toBe('/login?next=%2Forders');
    const lisi = await signIn(m.url, 'u1002');
    const own = await page(m.url, '/orders/JF202611220011', lisi);
    expect(own.status).toBe(200);
    expect(own.text).toContain('订单详情');
    const others = await page(m.url, '/orders/JF202611230001', lisi);
    expect(others.status).toBe(404);
    expect(others.text).toContain('未找到编号为“JF202611230001”的订单');
  });

  it('the sign-in page offers the 3 demo customers and visitor browsing', async () => {
    const { status, text } = await page(m.url, '/login?next=%2Fproducts%2Fp1003');
    expect(status).toBe(200);
    for (const name of ['张三', '李四', '王五']) expect(text).toContain(`<h2>${name}</h2>`);
    expect(text).toContain('以游客身份浏览');
    expect(text).toContain('href="/products/p1003"');
    expect(text.match(/name="next" value="\/products\/p1003"/g)).toHaveLength(3);
  });

  it('signing in sets an HttpOnly SameSite=Lax cookie; signing out ends the session', async () => {
    const res = await fetch(`${m.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ user_id: 'u1003', next: '/orders' }),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/orders');
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^mall_sid=[A-Za-z0-9_-]{32};/);
    expect(setCookie).toMatch(/httponly/i);
    expect(setCookie).toMatch(/samesite=lax/i);
    const cookie = setCookie.split(';')[0]!;
    expect((await page(m.url, '/orders', cookie)).status).toBe(200);
    const out = await fetch(`${m.url}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^mall_sid=;/);
    expect((await page(m.url, '/orders', cookie)).status).toBe(302);
  });

  it('serves the generated images, the page script and the stylesheet with its hostile block', async () => {
    const img = await fetch(`${m.url}/img/p1001.svg`);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/svg+xml');
    expect(await img.text()).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((await fetch(`${m.url}/img/logo.svg`)).status).toBe(200);
    const css = await (await fetch(`${m.url}/static/mall.css`)).text();
    expect(css).toContain('HOSTILE GLOBAL RULES');
    for (const rule of [
      '* { box-sizing: content-box; }',
      'button { font-size: 18px; padding: 12px 24px; }',
      'div { line-height: 2; }',
      'img { border: 2px solid #ccc; }',
    ]) {
      expect(css).toContain(rule);
    }
    const js = await (await fetch(`${m.url}/static/mall.js`)).text();
    expect(js).toContain("kefu('sendProduct'");
    expect(js).toContain("kefu('sendOrder'");
    expect(js).toContain("kefu('logout')");
  });
});

describe('mall pages: hostile input', () => {
  it('escapes HTML from the search query everywhere it is echoed', async () => {
    const q = '</script><script>alert(1)</script>"><img src=x onerror=alert(2)>';
    const { status, text } = await page(m.url, `/?q=${encodeURIComponent(q)}`);
    expect(status).toBe(200);
    expect(text).not.toContain('<script>alert(1)');
    expect(text).not.toContain('<img src=x');
    expect(text).toContain('&#60;/script&#62;&#60;script&#62;alert(1)');
    // Inside the inline script the same text is \u-escaped JSON, which cannot close the element.
    expect(text).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
    expect(text.match(/<script/g)).toHaveLength(3);
  });

  it('an unknown product id gets a 404 page with the id escaped', async () => {
    const { status, text } = await page(
      m.url,
      `/products/${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
    );
    expect(status).toBe(404);
    expect(text).toContain('页面不存在');
    expect(text).not.toContain('<img src=x');
    expect((await page(m.url, '/products/p9999')).status).toBe(404);
  });

  it('an overly long id is refused without echoing it in full', async () => {
    const long = 'p'.repeat(5000);
    const product = await page(m.url, `/products/${long}`);
    expect(product.status).toBe(404);
    expect(product.text).not.toContain(long.slice(0, 100));
    expect((await page(m.url, `/img/${long}.svg`)).status).toBe(404);
  });

  it('path traversal in /img/ finds nothing', async () => {
    for (const path of [
      '/img/../../package.json',
      '/img/..%2F..%2Fpackage.json',
      '/img/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/img/..\\..\\package.json',
      '/img/p1001.svg%00.png',
      '/img/p9999.svg',
      '/img/p1001.png',
    ]) {
      const res = await rawGet(m.url, path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('"workspaces"');
    }
  });

  it('refuses open redirects after sign-in and in the visitor link', async () => {
    for (const next of [
      '//evil.example.com',
      'https://evil.example.com',
      '/\\evil.example.com',
      'javascript:alert(1)',
    ]) {
      const res = await fetch(`${m.url}/login`, {
        method: 'POST',
        body: new URLSearchParams({ user_id: 'u1001', next }),
        redirect: 'manual',
      });
      expect(res.headers.get('location'), next).toBe('/');
      const { text } = await page(m.url, `/login?next=${encodeURIComponent(next)}`);
      expect(text).not.toContain('evil.example.com');
      expect(text).not.toContain('javascript:');
    }
  });

  it('an unknown user, a non-form body or an oversized body signs no one in', async () => {
    const unknown = await fetch(`${m.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ user_id: '<b>u9999</b>' }),
      redirect: 'manual',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.headers.get('set-cookie')).toBeNull();
    expect(await unknown.text()).toContain('没有这个演示用户');
    const json = await fetch(`${m.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'u1001' }),
      redirect: 'manual',
    });
    expect(json.status).toBe(415);
    expect(json.headers.get('set-cookie')).toBeNull();
    const huge = await fetch(`${m.url}/login`, {
      method: 'POST',
      body: new URLSearchParams({ user_id: 'u1001', next: `/${'a'.repeat(10_000)}` }),
      redirect: 'manual',
    });
    expect(huge.status).toBe(413);
    expect(huge.headers.get('set-cookie')).toBeNull();
  });

  it('a forged session cookie is an anonymous visitor', async () => {
    const { text } = await page(m.url, '/', 'mall_sid=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(text).toContain('您好，游客');
    expect(text).not.toContain("Kefu('identify'");
  });
});
