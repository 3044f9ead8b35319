/** The mall's own stylesheet, served at /static/mall.css. */
export const MALL_CSS = `
/* ==========================================================================
   HOSTILE GLOBAL RULES — deliberately generic rules like those found on real host sites.
   The Kefu widget must look and work the same despite them (its UI lives in a Shadow root).
   Do not remove: the browser tests check the widget's immunity against this block.
   ========================================================================== */
* { box-sizing: content-box; }
button { font-size: 18px; padding: 12px 24px; }
div { line-height: 2; }
img { border: 2px solid #ccc; }
a { color: #e4393c; }
input, select { font-size: 16px; }
/* ======================== end of hostile global rules ===================== */

body { margin: 0; font: 14px/1.6 -apple-system, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  color: #333; background: #f5f5f5; }
.wrap { max-width: 1120px; margin: 0 auto; padding: 0 16px; line-height: 1.6; }
.topbar { background: #fff; border-bottom: 2px solid #e4393c; }
.topbar .wrap { display: flex; align-items: center; gap: 24px; height: 64px; }
.brand { display: flex; align-items: center; gap: 10px; color: #e4393c; text-decoration: none;
  font-size: 22px; font-weight: 700; }
.brand img { width: 36px; height: 36px; border: 0; }
.nav { display: flex; gap: 18px; flex: 1; }
.nav a { color: #333; text-decoration: none; padding: 4px 0; }
.nav a.on { color: #e4393c; border-bottom: 2px solid #e4393c; }
.account { display: flex; align-items: center; gap: 10px; font-size: 13px; line-height: 1.4; }
.account .who b { color: #e4393c; }
.account form { display: inline-flex; gap: 6px; margin: 0; }
.account select { font-size: 13px; padding: 3px; }
.btn { display: inline-block; border: 1px solid #e4393c; background: #e4393c; color: #fff; border-radius: 4px;
  font-size: 14px; line-height: 1.4; padding: 8px 18px; cursor: pointer; text-decoration: none; }
.btn:hover { background: #c81623; }
.btn.ghost { background: #fff; color: #e4393c; }
.btn.small { font-size: 12px; padding: 4px 10px; }
.btn[disabled] { opacity: .55; cursor: not-allowed; }
main.wrap { padding-top: 20px; padding-bottom: 40px; }
h1 { font-size: 20px; margin: 0 0 16px; }
.banner { background: linear-gradient(90deg, #e4393c, #ff7043); color: #fff; border-radius: 8px; padding: 20px 24px;
  margin-bottom: 20px; line-height: 1.6; }
.banner b { font-size: 22px; }
.search { display: flex; gap: 8px; margin-bottom: 16px; }
.search input { flex: 1; max-width: 320px; font-size: 14px; padding: 7px 10px; border: 1px solid #ccc; border-radius: 4px; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 16px; }
.card { background: #fff; border-radius: 8px; overflow: hidden; text-decoration: none; color: inherit;
  display: block; line-height: 1.5; transition: box-shadow .15s; }
.card:hover { box-shadow: 0 4px 16px rgba(0,0,0,.12); }
.card img { display: block; width: 100%; height: auto; aspect-ratio: 1; border: 0; }
.card .body { padding: 10px 12px 14px; line-height: 1.5; }
.card .title { font-size: 14px; height: 42px; overflow: hidden; }
.price { color: #e4393c; font-weight: 700; font-size: 16px; }
.tag { display: inline-block; font-size: 12px; color: #e4393c; border: 1px solid #f5a5a7; border-radius: 2px;
  padding: 0 4px; margin-left: 6px; font-weight: 400; line-height: 1.5; }
.detail { display: flex; gap: 32px; background: #fff; border-radius: 8px; padding: 24px; line-height: 1.6; }
.detail img { width: 360px; height: 360px; border: 0; border-radius: 6px; }
.detail .info { flex: 1; line-height: 1.6; }
.detail .price { font-size: 24px; }
.detail .actions { display: flex; gap: 12px; margin-top: 24px; }
.muted { color: #999; font-size: 13px; }
.orders { display: flex; flex-direction: column; gap: 14px; }
.order { background: #fff; border-radius: 8px; line-height: 1.6; }
.order .head { display: flex; justify-content: space-between; padding: 10px 16px; border-bottom: 1px solid #eee;
  font-size: 13px; color: #666; line-height: 1.6; }
.order .status { color: #e4393c; font-weight: 600; }
.order .status.s5, .order .status.s7 { color: #999; }
.order .lines { padding: 8px 16px; line-height: 1.6; }
.line { display: flex; align-items: center; gap: 12px; padding: 6px 0; line-height: 1.5; }
.line img { width: 64px; height: 64px; border: 0; border-radius: 4px; }
.line .name { flex: 1; }
.line .name a { color: #333; text-decoration: none; }
.order .foot { display: flex; justify-content: flex-end; align-items: center; gap: 12px; padding: 10px 16px;
  border-top: 1px solid #f3f3f3; line-height: 1.6; }
.empty, .notice { background: #fff; border-radius: 8px; padding: 40px; text-align: center; color: #666; line-height: 1.6; }
.people { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 16px; }
.person { background: #fff; border-radius: 8px; padding: 20px; line-height: 1.6; }
.person h2 { font-size: 18px; margin: 0 0 4px; }
.person form { margin: 12px 0 0; }
.footer { text-align: center; color: #999; font-size: 12px; padding: 24px 0 40px; line-height: 1.6; }
.brand, .nav a, .btn, .account label { white-space: nowrap; }

/* Phones: the header wraps into two rows (brand and navigation, then the account), the product detail
   stacks, order rows wrap; nothing may be wider than the screen (the chat bubble is fixed to its corner). */
@media (max-width: 640px) {
  .wrap { padding: 0 12px; }
  .topbar .wrap { flex-wrap: wrap; height: auto; gap: 6px 16px; padding-top: 10px; padding-bottom: 10px; }
  .brand { font-size: 18px; }
  .brand img { width: 28px; height: 28px; }
  .nav { gap: 14px; }
  .account { flex: 1 1 100%; flex-wrap: wrap; gap: 6px 10px; }
  .account .who { flex: 1 1 100%; }
  main.wrap { padding-top: 14px; }
  .banner { padding: 14px 16px; }
  .banner b { font-size: 18px; }
  .search input { min-width: 0; max-width: none; }
  .grid { grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 10px; }
  .card .title { font-size: 13px; height: 40px; }
  .price { font-size: 14px; }
  .detail { flex-direction: column; gap: 16px; padding: 16px; }
  .detail img { width: 100%; height: auto; max-width: 360px; aspect-ratio: 1; align-self: center; }
  .detail .actions { flex-wrap: wrap; }
  .order .head { flex-wrap: wrap; gap: 2px 12px; padding: 10px 12px; }
  .order .lines { padding: 8px 12px; }
  .line { flex-wrap: wrap; }
  .line .name { min-width: 0; }
  .line .muted { flex: 1 1 100%; padding-left: 76px; }
  .order .foot { flex-wrap: wrap; gap: 8px; padding: 10px 12px; }
  .empty, .notice { padding: 24px 16px; }
}
`;
