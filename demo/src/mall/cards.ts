// The texts alone: the demo mini-programs bundle this file, and @kefu/proto's root brings Protobuf.
import { priceLabel } from '@kefu/proto/card-text';
import type { Product } from './catalog.js';
import type { Order } from './orders.js';

/** GET /api/products/:id — the shape the Kefu server's mall adapter reads. */
export interface ApiProduct {
  id: string;
  title: string;
  description: string;
  image_url: string;
  url: string;
  points: number;
  price_fen: number;
  label: string;
}

/** GET /api/users/:user_id/orders[/:order_no] — the shape the Kefu server's mall adapter reads. */
export interface ApiOrder {
  order_no: string;
  status: number;
  status_text: string;
  /** Cash part in fen (0 for points-only orders). */
  total_fen: number;
  /** Points part, so cards can say "1200 积分" instead of "¥0.00". */
  total_points: number;
  goods_count: number;
  goods: { name: string; picture_url: string; qty: number }[];
  url: string;
  created_at: string;
}

/** Kefu('sendProduct', …) payload. */
export interface ProductCard {
  id: string;
  title: string;
  description: string;
  label: string;
  image: string;
  url: string;
}

/** Kefu('sendOrder', …) payload. */
export interface OrderCard {
  order_no: string;
  status: number;
  status_text: string;
  total_fen: number;
  total_points: number;
  goods_count: number;
  goods: { name: string; picture_url: string }[];
  url: string;
  created_at: string;
}

export const productImageUrl = (base: string, id: string): string => `${base}/img/${id}.svg`;
export const productPageUrl = (base: string, id: string): string => `${base}/products/${id}`;
export const orderPageUrl = (base: string, orderNo: string): string => `${base}/orders/${orderNo}`;

export function toApiProduct(base: string, p: Product): ApiProduct {
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    image_url: productImageUrl(base, p.id),
    url: productPageUrl(base, p.id),
    points: p.points,
    price_fen: p.price_fen,
    label: priceLabel(p.points, p.price_fen),
  };
}

export function toProductCard(base: string, p: Product): ProductCard {
  const api = toApiProduct(base, p);
  return {
    id: api.id,
    title: api.title,
    description: api.description,
    label: api.label,
    image: api.image_url,
    url: api.url,
  };
}

export function toApiOrder(base: string, o: Order): ApiOrder {
  return {
    order_no: o.order_no,
    status: o.status,
    status_text: o.status_text,
    total_fen: o.total_fen,
    total_points: o.total_points,
    goods_count: o.goods_count,
    goods: o.lines.map((l) => ({
      name: l.product.title,
      picture_url: productImageUrl(base, l.product.id),
      qty: l.qty,
    })),
    url: orderPageUrl(base, o.order_no),
    created_at: o.created_at,
  };
}

export function toOrderCard(base: string, o: Order): OrderCard {
  const api = toApiOrder(base, o);
  return { ...api, goods: api.goods.map(({ name, picture_url }) => ({ name, picture_url })) };
}
