import { priceLabel } from '@kefu/proto/card-text';
import { PRODUCTS, type Product } from './catalog.js';
import { orderPageUrl, toOrderCard, toProductCard } from './cards.js';
import { markup, raw, type Raw } from './html.js';
import { renderPage, type PageContext } from './layout.js';
import type { Order } from './orders.js';
import { CUSTOMERS } from './users.js';

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

/** A data attribute holding JSON; the html template escapes it, the page script parses it. */
const dataJson = (name: string, value: unknown): Raw => markup` ${raw(name)}="${JSON.stringify(value)}"`;

function cashTag(p: Product): Raw {
  return p.price_fen > 0 ? markup`<span class="tag">积分+现金</span>` : markup``;
}

/** 首页: banner, search and the product grid; `q` filters by title (and is echoed, escaped). */
export function homePage(ctx: PageContext, q: string): string {
  const query = q.trim();
  const shown = query
    ? PRODUCTS.filter((p) => p.title.includes(query) || p.category.includes(query))
    : PRODUCTS;
  const cards = shown.map(
    (p) =>
      markup`<a class="card" href="/products/${p.id}" data-product-id="${p.id}">
        <img src="/img/${p.id}.svg" alt="${p.title}" width="400" height="400" loading="lazy" />
        <div class="body">
          <div class="title">${p.title}</div>
          <div class="price">${priceLabel(p.points, p.price_fen)}${cashTag(p)}</div>
        </div>
      </a>`,
  );
  const heading = query
    ? markup`<h1>搜索“${query}”的结果（${shown.length} 件）</h1>`
    : markup`<h1>热门兑换</h1>`;
  const banner = ctx.customer
    ? markup`<div class="banner">
        <b>${ctx.customer.name}</b>，您有 <b>${ctx.customer.points}</b> 积分可用，快来兑换好礼吧！
      </div>`
    : markup`<div class="banner">
        <b>积分当钱花</b> · 登录后查看可用积分与订单，兑换有疑问随时咨询在线客服。
      </div>`;
  return renderPage(ctx, {
    title: '首页',
    nav: 'home',
    attributes: query ? { page: 'home', search: query.slice(0, 100) } : { page: 'home' },
    body: markup`${banner}
      <form class="search" action="/" method="get" role="search">
        <input type="search" name="q" value="${query}" placeholder="搜索商品，例如：保温杯" maxlength="50" />
        <button type="submit" class="btn">搜索</button>
      </form>
      ${heading}
      ${shown.length ? markup`<div class="grid">${cards}</div>` : markup`<div class="empty">没有找到相关商品，换个关键词试试。</div>`}`,
  });
}

/** 商品详情 with the "咨询客服" button (sends the product card, then opens the chat). */
export function productPage(ctx: PageContext, p: Product): string {
  const card = toProductCard(ctx.publicUrl, p);
  return renderPage(ctx, {
    title: p.title,
    nav: 'none',
    attributes: { page: 'product', product_id: p.id },
    body: markup`<div class="detail" data-product-id="${p.id}">
      <img src="/img/${p.id}.svg" alt="${p.title}" width="360" height="360" />
      <div class="info">
        <div class="muted">${p.category} · 商品编号 ${p.id}</div>
        <h1>${p.title}</h1>
        <p>${p.description}</p>
        <div class="price">${priceLabel(p.points, p.price_fen)}${cashTag(p)}</div>
        <p class="muted">包邮 · 兑换后 48 小时内发货 · 虚拟卡券即时到账</p>
        <div class="actions">
          <button type="button" class="btn" disabled title="演示商城暂不支持兑换">立即兑换</button>
          <button type="button" class="btn ghost" id="ask-product" ${dataJson('data-kefu-product', card)}>
            咨询客服
          </button>
        </div>
      </div>
    </div>`,
  });
}

function orderLines(o: Order): Raw[] {
  return o.lines.map(
    (l) =>
      markup`<div class="line">
        <img src="/img/${l.product.id}.svg" alt="" width="64" height="64" />
        <span class="name"><a href="/products/${l.product.id}">${l.product.title}</a></span>
        <span class="muted">${priceLabel(l.product.points, l.product.price_fen)} × ${l.qty}</span>
      </div>`,
  );
}

function orderTotal(o: Order): string {
  return priceLabel(o.total_points, o.total_fen);
}

function orderBlock(ctx: PageContext, o: Order, withDetailLink: boolean): Raw {
  const card = toOrderCard(ctx.publicUrl, o);
  return markup`<section class="order" data-order-no="${o.order_no}">
    <div class="head">
      <span>${dateTime.format(new Date(o.created_at))} · 订单号 ${o.order_no}</span>
      <span class="status s${o.status}">${o.status_text}</span>
    </div>
    <div class="lines">${orderLines(o)}</div>
    <div class="foot">
      <span>共 ${o.goods_count} 件，合计 <span class="price">${orderTotal(o)}</span></span>
      ${withDetailLink ? markup`<a class="btn ghost small" href="/orders/${o.order_no}">查看详情</a>` : false}
      <button type="button" class="btn small ask-order" ${dataJson('data-kefu-order', card)}>
        咨询此订单
      </button>
    </div>
  </section>`;
}

/** 我的订单 for the signed-in customer. */
export function ordersPage(ctx: PageContext, orders: readonly Order[]): string {
  return renderPage(ctx, {
    title: '我的订单',
    nav: 'orders',
    attributes: { page: 'orders' },
    body: markup`<h1>我的订单</h1>
      ${orders.length ? markup`<div class="orders">${orders.map((o) => orderBlock(ctx, o, true))}</div>` : markup`<div class="empty">您还没有订单，去首页逛逛吧。</div>`}`,
  });
}

/** 订单详情 (the `url` of order cards). */
export function orderPage(ctx: PageContext, o: Order): string {
  return renderPage(ctx, {
    title: `订单 ${o.order_no}`,
    nav: 'orders',
    attributes: { page: 'order', order_no: o.order_no },
    body: markup`<h1>订单详情</h1>
      <div class="orders">${orderBlock(ctx, o, false)}</div>
      <p class="muted">
        <a href="/orders">← 返回我的订单</a> · 订单链接 ${orderPageUrl(ctx.publicUrl, o.order_no)}
      </p>`,
  });
}

/** 登录: pick a demo customer, or browse as a visitor. */
export function signInPage(ctx: PageContext, next: string): string {
  const current = ctx.customer;
  const people = CUSTOMERS.map(
    (c) =>
      markup`<div class="person" data-user-id="${c.user_id}">
        <h2>${c.name}</h2>
        <div class="muted">${c.title} · 用户编号 ${c.user_id}</div>
        <div>可用积分 ${c.points}${c.phone ? markup` · 手机 ${c.phone.slice(0, 3)}****${c.phone.slice(-4)}` : false}</div>
        <form method="post" action="/login"${raw(current && current.user_id !== c.user_id ? ' data-kefu-logout' : '')}>
          <input type="hidden" name="user_id" value="${c.user_id}" />
          <input type="hidden" name="next" value="${next}" />
          <button type="submit" class="btn">${current?.user_id === c.user_id ? '继续使用此账号' : `以${c.name}的身份登录`}</button>
        </form>
      </div>`,
  );
  const visitor = current
    ? markup`<form method="post" action="/logout" data-kefu-logout>
        <button type="submit" class="btn ghost" id="browse-as-visitor">退出登录，以游客身份浏览</button>
      </form>`
    : markup`<a class="btn ghost" id="browse-as-visitor" href="${next}">以游客身份浏览</a>`;
  return renderPage(ctx, {
    title: '登录',
    nav: 'login',
    attributes: { page: 'login' },
    body: markup`<h1>选择演示用户登录</h1>
      <p class="muted">这是 Kefu 的演示商城：登录后，商城后端为当前用户签名身份，客服可以看到用户资料与订单；游客咨询则以匿名访客身份接入。</p>
      <div class="people">${people}</div>
      <p>${visitor}</p>`,
  });
}

/** A friendly error page (404 etc.); `detail` is echoed escaped. */
export function messagePage(ctx: PageContext, title: string, detail: string): string {
  return renderPage(ctx, {
    title,
    nav: 'none',
    attributes: { page: 'error' },
    body: markup`<div class="notice">
      <h1>${title}</h1>
      <p>${detail}</p>
      <p><a class="btn" href="/">返回首页</a></p>
    </div>`,
  });
}
