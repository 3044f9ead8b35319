/**
 * The mall adapter: what Kefu needs from the points mall (积分商城) to show product and order cards
 * (proto ProductCard / OrderCard, REFERENCE.md §A "Cards"). Money is integer fen (1/100 yuan).
 */

/**
 * Sobot's order status codes (proto OrderStatus); 0 = custom, `statusText` says it. The default texts
 * and price labels are @kefu/proto's ORDER_STATUS_TEXT and priceLabel (the demo mall and the UIs use
 * them too).
 */
export type OrderStatusCode = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface MallProduct {
  id: string;
  title: string;
  description?: string | undefined;
  /** Absolute http(s) URL or a path on the mall's origin ("/img/p1001.svg"). */
  imageUrl: string;
  /** The product page. */
  url: string;
  points?: number | undefined;
  priceFen?: number | undefined;
  /** What the card shows as the price, e.g. "1200 积分 + ¥9.90". */
  label: string;
}

export interface MallOrderGoods {
  name: string;
  pictureUrl: string;
  qty: number;
}

export interface MallOrder {
  orderNo: string;
  status: OrderStatusCode;
  /** Always set: the mall's text, or the default text of the status code. */
  statusText: string;
  totalFen: number;
  /** Points paid (points only, or points plus cash); 0 when none. */
  totalPoints: number;
  goodsCount: number;
  goods: MallOrderGoods[];
  url: string;
  createdAt: Date;
}

export interface MallAdapter {
  /** Throws NotFoundError for an unknown product, UpstreamError when the mall fails. */
  getProduct(id: string): Promise<MallProduct>;
  /** The customer's recent orders, newest first; `customerUid` is Kefu's uid (`u_<mall user id>`). */
  listOrders(customerUid: string, options: { limit: number }): Promise<MallOrder[]>;
  /** One of the customer's orders; NotFoundError when it is unknown or someone else's. */
  getOrder(customerUid: string, orderNo: string): Promise<MallOrder>;
}

export const MAX_ORDERS_LIMIT = 20;

/**
 * Ids the mall's API is asked about: letters, digits and `_ - . : @`, starting with a letter or digit (no
 * spaces, slashes, `%` or dot segments). Checked at the edge, so a malformed id is the caller's 400, never
 * a request the mall refuses (a 502 of ours). The customer identity's `user_id` follows the same rule.
 */
export const MALL_USER_ID = /^[A-Za-z0-9][A-Za-z0-9_.:@-]{0,63}$/;
export const MALL_PRODUCT_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
export const MALL_ORDER_NO = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/**
 * The mall's user id behind a Kefu customer uid (`u_<user id>`, see auth-service `customerUid`), or
 * undefined for visitors (`v_…`) and anything else: they have no mall account, hence no orders.
 */
export function mallUserIdOf(customerUid: string): string | undefined {
  return customerUid.startsWith('u_') && customerUid.length > 2 ? customerUid.slice(2) : undefined;
}
