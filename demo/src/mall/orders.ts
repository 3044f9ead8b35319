import { ORDER_STATUS_TEXT } from '@kefu/proto/card-text';
import { findProduct, type Product } from './catalog.js';

export interface OrderLine {
  product: Product;
  qty: number;
}

/** An order as the mall keeps it; `toApiOrder` (api.ts) turns it into the backend API shape. */
export interface Order {
  order_no: string;
  user_id: string;
  status: number;
  status_text: string;
  lines: readonly OrderLine[];
  /** Cash part in fen (sum of the lines' cash prices). */
  total_fen: number;
  total_points: number;
  goods_count: number;
  created_at: string;
}

interface OrderSeed {
  no: string;
  status: number;
  /** Only for status 0 (custom text). */
  text?: string;
  items: readonly (readonly [productId: string, qty: number])[];
  /** China Standard Time, as the mall's operators read it. */
  at: string;
}

// Fixed data, so the "我的订单" page, the backend API and the tests always agree.
const SEEDS: Readonly<Record<string, readonly OrderSeed[]>> = {
  u1001: [
    { no: 'JF202611230001', status: 1, items: [['p1002', 1]], at: '2026-11-23T10:15:00+08:00' },
    { no: 'JF202611210002', status: 2, items: [['p1007', 1]], at: '2026-11-21T20:42:00+08:00' },
    { no: 'JF202611180003', status: 3, items: [['p1003', 2]], at: '2026-11-18T09:03:00+08:00' },
    {
      no: 'JF202611150004',
      status: 4,
      items: [
        ['p1005', 1],
        ['p1008', 1],
      ],
      at: '2026-11-15T14:30:00+08:00',
    },
    { no: 'JF202611020005', status: 6, items: [['p1004', 1]], at: '2026-11-02T11:11:00+08:00' },
    { no: 'JF202610280006', status: 5, items: [['p1001', 3]], at: '2026-10-28T08:20:00+08:00' },
    { no: 'JF202610120007', status: 7, items: [['p1006', 1]], at: '2026-10-12T22:05:00+08:00' },
    {
      no: 'JF202609300008',
      status: 0,
      text: '退款中',
      items: [['p1005', 1]],
      at: '2026-09-30T16:48:00+08:00',
    },
  ],
  u1002: [
    { no: 'JF202611220011', status: 3, items: [['p1008', 1]], at: '2026-11-22T13:00:00+08:00' },
    { no: 'JF202611100012', status: 5, items: [['p1006', 1]], at: '2026-11-10T19:26:00+08:00' },
    { no: 'JF202610200013', status: 1, items: [['p1005', 1]], at: '2026-10-20T07:55:00+08:00' },
  ],
  u1003: [
    { no: 'JF202611190021', status: 2, items: [['p1001', 1]], at: '2026-11-19T12:34:00+08:00' },
    { no: 'JF202611050022', status: 7, items: [['p1003', 1]], at: '2026-11-05T17:40:00+08:00' },
  ],
};

function buildOrder(userId: string, seed: OrderSeed): Order {
  const lines = seed.items.map(([productId, qty]) => {
    const product = findProduct(productId);
    if (!product) throw new Error(`order ${seed.no} names unknown product ${productId}`);
    return { product, qty };
  });
  return {
    order_no: seed.no,
    user_id: userId,
    status: seed.status,
    status_text: seed.text ?? ORDER_STATUS_TEXT[seed.status] ?? '',
    lines,
    total_fen: lines.reduce((sum, l) => sum + l.product.price_fen * l.qty, 0),
    total_points: lines.reduce((sum, l) => sum + l.product.points * l.qty, 0),
    goods_count: lines.reduce((sum, l) => sum + l.qty, 0),
    created_at: new Date(seed.at).toISOString(),
  };
}

const ORDERS = new Map<string, readonly Order[]>(
  Object.entries(SEEDS).map(([userId, seeds]) => [
    userId,
    seeds.map((s) => buildOrder(userId, s)).sort((a, b) => b.created_at.localeCompare(a.created_at)),
  ]),
);

/** The user's orders, newest first (empty for users without orders). */
export function listOrders(userId: string, limit = Infinity): readonly Order[] {
  return (ORDERS.get(userId) ?? []).slice(0, limit);
}

/** The user's order, or undefined when it does not exist or belongs to someone else. */
export function findOrder(userId: string, orderNo: string): Order | undefined {
  return ORDERS.get(userId)?.find((o) => o.order_no === orderNo);
}
