// The snake_case JSON of products and orders that clients receive (the widget's cards, the console's
// customer panel): one shape wherever the server hands mall data out.
import type { MallOrder, MallProduct } from './types.js';

/** The snake_case product JSON (same shape as the mall's contract; see server/README.md "Mall adapter"). */
export function productJson(p: MallProduct): Record<string, unknown> {
  return {
    id: p.id,
    title: p.title,
    description: p.description ?? null,
    image_url: p.imageUrl,
    url: p.url,
    points: p.points ?? null,
    price_fen: p.priceFen ?? null,
    label: p.label,
  };
}

/** The snake_case order JSON the widget turns into OrderCard content. */
export function orderJson(o: MallOrder): Record<string, unknown> {
  return {
    order_no: o.orderNo,
    status: o.status,
    status_text: o.statusText,
    total_fen: o.totalFen,
    total_points: o.totalPoints,
    goods_count: o.goodsCount,
    goods: o.goods.map((g) => ({ name: g.name, picture_url: g.pictureUrl, qty: g.qty })),
    url: o.url,
    created_at: o.createdAt.toISOString(),
  };
}
