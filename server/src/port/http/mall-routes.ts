import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { z } from 'zod';
import { ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import {
  MALL_ORDER_NO,
  MALL_PRODUCT_ID,
  MALL_USER_ID,
  MAX_ORDERS_LIMIT,
  mallUserIdOf,
  type MallAdapter,
} from '../../integration/mall/index.js';
import { orderJson, productJson } from '../../integration/mall/mall-json.js';
import type { AccessClaims, TokenService } from '../../service/auth/tokens.js';
import type { ConversationAccess } from '../../service/workbench/workbench-service.js';
import { principalOf, requireAgent, requireAuth } from './auth.js';
import { parseQuery } from './validate.js';

const ordersQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_ORDERS_LIMIT).default(10),
});
const idRule = 'must be letters, digits, "_", "-", "." or ":" (starting with a letter or digit)';
const productId = z.string().regex(MALL_PRODUCT_ID, idRule);
const orderNo = z.string().regex(MALL_ORDER_NO, 'must be letters, digits, "_" or "-"');
/** A mall customer (`u_<user id>`) or a visitor (`v_…`, no orders). */
const customerUid = z
  .string()
  .refine(
    (uid) => /^v_[A-Za-z0-9]{1,40}$/.test(uid) || MALL_USER_ID.test(mallUserIdOf(uid) ?? ''),
    'must be a customer uid (u_<mall user id>) or a visitor uid',
  );

function param<S extends z.ZodType>(ctx: Context, name: string, schema: S): z.infer<S> {
  const result = schema.safeParse((ctx.params as Record<string, string | undefined>)[name]);
  if (!result.success) throw new ValidationError(`Invalid ${name}: ${result.error.issues[0]?.message ?? ''}`);
  return result.data;
}

/** Order routes under /sdk are for customers: their uid comes from the token, never from the request. */
const requireCustomer: Middleware = async (ctx, next) => {
  if (principalOf(ctx).role !== 'customer') throw new ForbiddenError('Customers only');
  await next();
};

/**
 * The mall adapter over HTTP: products for anyone signed in, a customer's own orders for the widget's
 * "my recent orders", any customer's orders for agents (the console). Visitors have no mall account:
 * their order list is empty.
 */
export function mallRoutes(deps: {
  tokens: TokenService;
  mall: MallAdapter;
  /** How far the caller reaches a customer (port/access); orders need a chat they may read whole. */
  mayServe: (p: AccessClaims, customerUid: string) => Promise<ConversationAccess>;
}): Router {
  const router = new Router({ prefix: '/api/v1' });
  router.use(requireAuth(deps.tokens));

  router.get('/sdk/mall/products/:id', async (ctx) => {
    const id = param(ctx, 'id', productId);
    ctx.body = productJson(await deps.mall.getProduct(id));
  });

  router.get('/sdk/mall/orders', requireCustomer, async (ctx) => {
    const p = principalOf(ctx);
    const q = parseQuery(ctx, ordersQuery);
    const orders =
      p.kind === 'visitor' || mallUserIdOf(p.uid) === undefined
        ? []
        : await deps.mall.listOrders(p.uid, { limit: q.limit });
    ctx.body = { orders: orders.map(orderJson) };
  });

  router.get('/sdk/mall/orders/:order_no', requireCustomer, async (ctx) => {
    const p = principalOf(ctx);
    const no = param(ctx, 'order_no', orderNo);
    if (p.kind === 'visitor' || mallUserIdOf(p.uid) === undefined) throw new NotFoundError('Unknown order');
    ctx.body = orderJson(await deps.mall.getOrder(p.uid, no));
  });

  router.get('/mall/customers/:uid/orders', requireAgent(), async (ctx) => {
    const uid = param(ctx, 'uid', customerUid);
    const q = parseQuery(ctx, ordersQuery);
    if ((await deps.mayServe(principalOf(ctx), uid)) !== 'full') throw new NotFoundError('Unknown customer');
    const orders = mallUserIdOf(uid) === undefined ? [] : await deps.mall.listOrders(uid, { limit: q.limit });
    ctx.body = { orders: orders.map(orderJson) };
  });

  return router;
}
