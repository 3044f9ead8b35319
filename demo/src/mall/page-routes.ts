import Router from '@koa/router';
import type { Context } from 'koa';
import type { MallRequest } from './app.js';
import { findProduct } from './catalog.js';
import { MALL_JS } from './client.js';
import { HttpError, ID_PATTERN } from './errors.js';
import { LOGO_SVG, productSvg } from './images.js';
import { findOrder, listOrders } from './orders.js';
import { homePage, orderPage, ordersPage, productPage, signInPage } from './pages.js';
import { SESSION_COOKIE, type SessionStore } from './session.js';
import { MALL_CSS } from './styles.js';
import { findCustomer } from './users.js';

const FORM_LIMIT_BYTES = 4096;
const SESSION_MAX_AGE_MS = 7 * 24 * 3600 * 1000;

/** Only same-site relative paths: no `//host`, no backslashes (browsers read `/\host` as `//host`), no controls. */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || value.length > 300) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  return /[\u0000-\u001f\u007f]/.test(value) ? '/' : value;
}

const firstString = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

async function readForm(ctx: Context): Promise<URLSearchParams> {
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new HttpError(415, 'unsupported_media_type', 'Expected a form body', '请使用页面上的表单提交。');
  }
  const tooLarge = new HttpError(413, 'payload_too_large', 'Form body too large', '提交的内容过大。');
  if (Number(ctx.get('Content-Length') || 0) > FORM_LIMIT_BYTES) throw tooLarge;
  // Read to the end even when too large (discarding the excess), so the connection stays usable.
  const chunks: Buffer[] = [];
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    ctx.req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= FORM_LIMIT_BYTES) chunks.push(chunk);
    });
    ctx.req.once('end', resolve);
    ctx.req.once('error', reject);
  });
  if (size > FORM_LIMIT_BYTES) throw tooLarge;
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function send(ctx: Context, type: string, body: string, cache: string): void {
  ctx.type = type;
  ctx.set('Cache-Control', cache);
  ctx.body = body;
}

/** The HTML pages, sign-in/out and the static assets (all generated in code). */
export function pageRoutes(sessions: SessionStore, request: MallRequest): Router {
  const router = new Router();
  const page = (ctx: Context, body: string): void => {
    send(ctx, 'html', body, 'no-store');
  };
  const requireCustomer = (ctx: Context): boolean => {
    if (request.pageContext(ctx).customer) return true;
    ctx.redirect(`/login?next=${encodeURIComponent(ctx.url)}`);
    return false;
  };
  const notFound = (what: string, id: string): HttpError =>
    new HttpError(
      404,
      'not_found',
      `No ${what}`,
      `未找到编号为“${id.slice(0, 64)}”的${what === 'product' ? '商品' : '订单'}。`,
    );

  router.get('/', (ctx) => {
    const q = firstString(ctx.query['q']) ?? '';
    page(ctx, homePage(request.pageContext(ctx), q.slice(0, 50)));
  });
  router.get('/products/:id', (ctx) => {
    const id = ctx.params['id'] ?? '';
    const product = ID_PATTERN.test(id) ? findProduct(id) : undefined;
    if (!product) throw notFound('product', id);
    page(ctx, productPage(request.pageContext(ctx), product));
  });
  router.get('/orders', (ctx) => {
    if (!requireCustomer(ctx)) return;
    const pc = request.pageContext(ctx);
    page(ctx, ordersPage(pc, pc.customer ? listOrders(pc.customer.user_id) : []));
  });
  router.get('/orders/:order_no', (ctx) => {
    if (!requireCustomer(ctx)) return;
    const pc = request.pageContext(ctx);
    const orderNo = ctx.params['order_no'] ?? '';
    const order =
      pc.customer && ID_PATTERN.test(orderNo) ? findOrder(pc.customer.user_id, orderNo) : undefined;
    if (!order) throw notFound('order', orderNo);
    page(ctx, orderPage(pc, order));
  });

  router.get('/login', (ctx) => {
    const next = safeNext(firstString(ctx.query['next']));
    // The header's own sign-in link then points back to `next` too, never echoing the raw query.
    page(ctx, signInPage({ ...request.pageContext(ctx), path: next }, next));
  });
  router.post('/login', async (ctx) => {
    const form = await readForm(ctx);
    const userId = form.get('user_id') ?? '';
    if (!findCustomer(userId)) {
      throw new HttpError(400, 'bad_request', 'Unknown demo user', '没有这个演示用户，请在登录页选择。');
    }
    sessions.destroy(request.sessionId(ctx));
    ctx.cookies.set(SESSION_COOKIE, sessions.create(userId), {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      maxAge: SESSION_MAX_AGE_MS,
      overwrite: true,
    });
    ctx.status = 303;
    ctx.redirect(safeNext(form.get('next')));
  });
  router.post('/logout', (ctx) => {
    sessions.destroy(request.sessionId(ctx));
    ctx.cookies.set(SESSION_COOKIE, null, { httpOnly: true, sameSite: 'lax', path: '/', overwrite: true });
    ctx.status = 303;
    ctx.redirect('/');
  });

  router.get('/img/:file', (ctx) => {
    const match = /^([A-Za-z0-9_-]{1,64})\.svg$/.exec(ctx.params['file'] ?? '');
    const svg = match?.[1] === 'logo' ? LOGO_SVG : match?.[1] ? productSvg(match[1]) : undefined;
    if (svg === undefined) throw new HttpError(404, 'not_found', 'No such image', '图片不存在。');
    send(ctx, 'image/svg+xml', svg, 'public, max-age=3600');
  });
  router.get('/static/mall.css', (ctx) => {
    send(ctx, 'text/css', MALL_CSS, 'public, max-age=300');
  });
  router.get('/static/mall.js', (ctx) => {
    send(ctx, 'application/javascript', MALL_JS, 'public, max-age=300');
  });
  return router;
}
