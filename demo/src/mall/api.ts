import Router from '@koa/router';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context, Next } from 'koa';
import { findProduct } from './catalog.js';
import { toApiOrder, toApiProduct } from './cards.js';
import { HttpError, requireId } from './errors.js';
import { signCustomer } from './identity.js';
import { findOrder, listOrders } from './orders.js';
import { findCustomer } from './users.js';

export interface ApiDeps {
  publicUrl: () => string;
  identitySecret: string;
  /** When set, the backend API requires `Authorization: Bearer <apiToken>`. */
  apiToken: string | undefined;
  /** The signed-in user id of the request's session, if any. */
  sessionUserId: (ctx: Context) => string | undefined;
}

const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Bearer check in constant time (hashing first makes the lengths equal). */
function requireBearer(token: string | undefined) {
  return async (ctx: Context, next: Next): Promise<void> => {
    if (token !== undefined) {
      const match = /^Bearer (\S+)$/.exec(ctx.get('Authorization'));
      if (!match?.[1] || !timingSafeEqual(digest(match[1]), digest(token))) {
        ctx.set('WWW-Authenticate', 'Bearer realm="mall-api"');
        throw new HttpError(
          401,
          'unauthenticated',
          'A valid "Authorization: Bearer <MALL_API_TOKEN>" header is required',
        );
      }
    }
    await next();
  };
}

function parseLimit(raw: unknown): number {
  if (raw === undefined) return DEFAULT_LIMIT;
  if (typeof raw !== 'string' || !/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
    throw new HttpError(400, 'bad_request', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return Number(raw);
}

/**
 * The mall's backend API, called by the Kefu server's HTTP mall adapter (demo/README.md documents the
 * format), and the browser-facing identity endpoint the widget calls with the session cookie.
 */
export function apiRoutes(deps: ApiDeps): Router {
  const router = new Router({ prefix: '/api' });

  router.get('/kefu/identity', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    const userId = deps.sessionUserId(ctx);
    const customer = userId === undefined ? undefined : findCustomer(userId);
    if (!customer) throw new HttpError(401, 'unauthenticated', 'Not signed in to the mall');
    ctx.body = signCustomer(deps.identitySecret, customer);
  });

  const bearer = requireBearer(deps.apiToken);
  router.get('/products/:id', bearer, (ctx) => {
    const id = requireId(ctx.params['id'], 'product id');
    const product = findProduct(id);
    if (!product) throw new HttpError(404, 'not_found', `No product ${id}`);
    ctx.body = toApiProduct(deps.publicUrl(), product);
  });
  router.get('/users/:user_id/orders', bearer, (ctx) => {
    const userId = requireId(ctx.params['user_id'], 'user_id');
    const limit = parseLimit(ctx.query['limit']);
    // A user the mall does not know simply has no orders.
    ctx.body = { orders: listOrders(userId, limit).map((o) => toApiOrder(deps.publicUrl(), o)) };
  });
  router.get('/users/:user_id/orders/:order_no', bearer, (ctx) => {
    const userId = requireId(ctx.params['user_id'], 'user_id');
    const orderNo = requireId(ctx.params['order_no'], 'order_no');
    const order = findOrder(userId, orderNo);
    if (!order) throw new HttpError(404, 'not_found', `No order ${orderNo} for user ${userId}`);
    ctx.body = toApiOrder(deps.publicUrl(), order);
  });
  return router;
}
