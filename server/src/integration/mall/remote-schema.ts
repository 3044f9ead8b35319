import { ORDER_STATUS_TEXT, priceLabel } from '@kefu/proto';
import { z } from 'zod';
import type { MallOrder, MallProduct, OrderStatusCode } from './types.js';

/**
 * The JSON the mall's API answers (documented in server/README.md, "Mall adapter"). Extra fields are
 * ignored; anything else that does not match is refused, so nothing unvalidated reaches a client.
 */

/** Links end up in customers' browsers: only http(s) URLs or paths on the mall's origin ("/img/1.svg"). */
const link = z
  .string()
  .max(2048)
  .refine(
    (s) => (s.startsWith('/') && !s.startsWith('//')) || /^https?:\/\/[^\s/]+/i.test(s),
    'must be an http(s) URL or a path starting with "/"',
  )
  .refine((s) => !/[\s\p{Cc}]/u.test(s), 'must not contain spaces or control characters');

const fen = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const text = (max: number) => z.string().max(max);

export const remoteProductSchema = z.object({
  id: z.union([z.string().min(1).max(128), z.number().int()]).transform(String),
  title: text(200).min(1),
  description: text(2000).nullish(),
  image_url: link,
  url: link,
  points: z.number().int().min(0).nullish(),
  price_fen: fen.nullish(),
  label: text(100).nullish(),
});

const remoteGoodsSchema = z.object({
  name: text(200).min(1),
  picture_url: link,
  qty: z.number().int().min(1).max(1_000_000).nullish(),
});

export const remoteOrderSchema = z
  .object({
    order_no: z.string().min(1).max(64),
    status: z.number().int().min(0).max(7),
    status_text: text(50),
    total_fen: fen,
    total_points: z.number().int().min(0).max(1e12).nullish(),
    goods_count: z.number().int().min(0).max(1_000_000),
    goods: z.array(remoteGoodsSchema).max(100),
    url: link,
    created_at: z.iso.datetime({ offset: true }),
  })
  .refine((o) => o.status !== 0 || o.status_text.trim() !== '', {
    message: 'status 0 (custom) needs a status_text',
    path: ['status_text'],
  });

export const remoteOrderListSchema = z.object({ orders: z.array(remoteOrderSchema).max(200) });

export function productFromRemote(r: z.infer<typeof remoteProductSchema>): MallProduct {
  const points = r.points ?? undefined;
  const priceFen = r.price_fen ?? undefined;
  return {
    id: r.id,
    title: r.title,
    description: r.description ?? undefined,
    imageUrl: r.image_url,
    url: r.url,
    points,
    priceFen,
    label: r.label?.trim() ? r.label : priceLabel(points, priceFen),
  };
}

export function orderFromRemote(r: z.infer<typeof remoteOrderSchema>): MallOrder {
  const status = r.status as OrderStatusCode;
  return {
    orderNo: r.order_no,
    status,
    statusText: r.status_text.trim() || (status === 0 ? '' : ORDER_STATUS_TEXT[status]),
    totalFen: r.total_fen,
    totalPoints: r.total_points ?? 0,
    goodsCount: r.goods_count,
    goods: r.goods.map((g) => ({ name: g.name, pictureUrl: g.picture_url, qty: g.qty ?? 1 })),
    url: r.url,
    createdAt: new Date(r.created_at),
  };
}
