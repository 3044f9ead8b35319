import { escapeHtml, markup, jsonForScript, raw, type Raw } from './html.js';
import { CUSTOMERS, type Customer } from './users.js';

/** What every page needs to know about the request. */
export interface PageContext {
  /** Kefu server base URL (no trailing slash): the widget's `server` and where the loader comes from. */
  kefuUrl: string;
  /** The mall's own absolute base URL (no trailing slash), for card links and images. */
  publicUrl: string;
  customer: Customer | undefined;
  /** The current path and query, so signing in comes back here. */
  path: string;
}

export interface PageInput {
  title: string;
  nav: 'home' | 'orders' | 'login' | 'none';
  /** Free string key-values for Kefu('setAttributes'). */
  attributes: Record<string, string>;
  body: Raw;
}

/**
 * The embedding snippet exactly as the real mall uses it (sdk-web README). Logged-in customers get the
 * identify call; anonymous visitors do not, so the widget starts a visitor session.
 */
export function kefuSnippet(ctx: PageContext, attributes: Record<string, string>): Raw {
  const init = { server: ctx.kefuUrl, locale: 'zh-CN', color: '#e4393c', position: 'right' };
  const identify = ctx.customer
    ? `\n  Kefu('identify', ${jsonForScript({ url: '/api/kefu/identity' })});`
    : '';
  return raw(`<script>
  window.Kefu = window.Kefu || function () { (window.Kefu.q = window.Kefu.q || []).push(arguments); };
  Kefu('init', ${jsonForScript(init)});${identify}
  Kefu('setAttributes', ${jsonForScript(attributes)});
</script>
<script async src="${escapeHtml(ctx.kefuUrl)}/sdk/v1/kefu-loader.js"></script>`);
}

function header(ctx: PageContext, nav: PageInput['nav']): Raw {
  const link = (href: string, key: PageInput['nav'], text: string): Raw =>
    markup`<a href="${href}" ${raw(key === nav ? ' class="on"' : '')}>${text}</a>`;
  const c = ctx.customer;
  const account = c
    ? markup`<span class="who">您好，<b>${c.name}</b> · ${c.title} · 可用 ${c.points} 积分</span>
        <form method="post" action="/login" data-kefu-logout>
          <label class="muted" for="switch-user">切换用户</label>
          <select id="switch-user" name="user_id">
            ${CUSTOMERS.map(
              (o) =>
                markup`<option value="${o.user_id}" ${raw(o.user_id === c.user_id ? ' selected' : '')}>
                  ${o.name}
                </option>`,
            )}
          </select>
          <input type="hidden" name="next" value="${ctx.path}" />
          <button type="submit" class="btn ghost small">切换</button>
        </form>
        <form method="post" action="/logout" data-kefu-logout>
          <button type="submit" class="btn ghost small" id="sign-out">退出登录</button>
        </form>`
    : markup`<span class="who">您好，游客</span>
        <a class="btn small" id="sign-in" href="/login?next=${encodeURIComponent(ctx.path)}">登录</a>`;
  return markup`<header class="topbar">
    <div class="wrap">
      <a class="brand" href="/"><img src="/img/logo.svg" alt="" width="36" height="36" />积分商城</a>
      <nav class="nav">${link('/', 'home', '首页')}${link('/orders', 'orders', '我的订单')}</nav>
      <div class="account">${account}</div>
    </div>
  </header>`;
}

/** A complete page: head, header, body, footer, page script and the Kefu snippet. */
export function renderPage(ctx: PageContext, page: PageInput): string {
  return markup`<!doctype html>
    <html lang="zh-CN">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${page.title} - 积分商城</title>
        <link rel="icon" href="/img/logo.svg" />
        <link rel="stylesheet" href="/static/mall.css" />
        ${kefuSnippet(ctx, page.attributes)}
      </head>
      <body>
        ${header(ctx, page.nav)}
        <main class="wrap">${page.body}</main>
        <footer class="footer">
          积分商城（Kefu 演示站点）· 所有商品与订单均为演示数据 · 客服服务由 Kefu 提供
        </footer>
        <script src="/static/mall.js"></script>
      </body>
    </html> `.html;
}
