import { createHash } from 'node:crypto';
import { ORDER_STATUS_TEXT, priceLabel } from '@kefu/proto';
import { NotFoundError } from '../../errors.js';
import {
  MAX_ORDERS_LIMIT,
  type MallAdapter,
  type MallOrder,
  type MallOrderGoods,
  type MallProduct,
  type OrderStatusCode,
} from './types.js';

interface CatalogEntry {
  id: string;
  title: string;
  description: string;
  points: number;
  priceFen?: number;
}

/** A small fixed points-mall catalog; images and pages are paths on the demo mall's origin. */
const CATALOG: readonly CatalogEntry[] = [
  {
    id: 'p1001',
    title: '小米充电宝 10000mAh',
    description: '双向快充，轻薄便携',
    points: 1200,
    priceFen: 990,
  },
  { id: 'p1002', title: '清风抽纸 3 层 24 包', description: '原生木浆，柔韧亲肤', points: 800 },
  { id: 'p1003', title: '星巴克 50 元电子券', description: '全国门店通用，兑换后 30 天有效', points: 2500 },
  {
    id: 'p1004',
    title: '飞利浦电动牙刷 HX2421',
    description: '声波震动，两种模式',
    points: 3000,
    priceFen: 4900,
  },
  { id: 'p1005', title: '膳魔师保温杯 500ml', description: '不锈钢真空保温，12 小时保温', points: 1800 },
  { id: 'p1006', title: '京东 E 卡 100 元', description: '电子卡密，兑换后即时发放', points: 5000 },
  {
    id: 'p1007',
    title: '罗技无线鼠标 M185',
    description: '即插即用，续航 12 个月',
    points: 1500,
    priceFen: 1990,
  },
  { id: 'p1008', title: '五常大米 5kg', description: '当季新米，产地直发', points: 1000 },
];

function toProduct(e: CatalogEntry): MallProduct {
  return {
    id: e.id,
    title: e.title,
    description: e.description,
    imageUrl: `/img/${e.id}.svg`,
    url: `/products/${e.id}`,
    points: e.points,
    priceFen: e.priceFen,
    label: priceLabel(e.points, e.priceFen),
  };
}

/** Every demo customer's orders are dated relative to this instant, so they are the same on every run. */
const ANCHOR_MS = Date.parse('2025-06-01T10:00:00+08:00');
const HOUR_MS = 3_600_000;
/** Status of the i-th order (newest first): a mix that shows every kind of card, custom text included. */
const STATUS_CYCLE: readonly OrderStatusCode[] = [1, 3, 2, 5, 4, 6, 7, 0];
const CUSTOM_STATUS_TEXT = '退款处理中';

/** Deterministic pseudo-random bytes for a customer: the same uid always gets the same orders. */
function seedBytes(customerUid: string): Buffer {
  return createHash('sha256').update(`kefu-demo-mall:${customerUid}`).digest();
}

function ordersOf(customerUid: string): MallOrder[] {
  const seed = seedBytes(customerUid);
  const byte = (i: number): number => seed[i % seed.length] ?? 0;
  const count = 3 + (byte(0) % 4); // 3..6 orders
  const offset = byte(1) % STATUS_CYCLE.length;
  const serial = seed.readUInt32BE(2) % 100_000_000;
  const orders: MallOrder[] = [];
  let createdAt = ANCHOR_MS - (byte(6) % 48) * HOUR_MS;
  for (let i = 0; i < count; i++) {
    const goods: MallOrderGoods[] = [];
    const lines = 1 + (byte(7 + i) % 3); // 1..3 distinct products
    let totalFen = 0;
    let totalPoints = 0;
    for (let j = 0; j < lines; j++) {
      const entry = CATALOG[(byte(13 + i * 3 + j) + j) % CATALOG.length];
      if (!entry || goods.some((g) => g.name === entry.title)) continue;
      const qty = 1 + (byte(20 + i + j) % 2);
      goods.push({ name: entry.title, pictureUrl: `/img/${entry.id}.svg`, qty });
      totalFen += (entry.priceFen ?? 0) * qty;
      totalPoints += entry.points * qty;
    }
    const status = STATUS_CYCLE[(offset + i) % STATUS_CYCLE.length] ?? 1;
    const orderNo = `DM${String(serial).padStart(8, '0')}${String(i + 1).padStart(2, '0')}`;
    orders.push({
      orderNo,
      status,
      statusText: status === 0 ? CUSTOM_STATUS_TEXT : ORDER_STATUS_TEXT[status],
      totalFen,
      totalPoints,
      goodsCount: goods.reduce((n, g) => n + g.qty, 0),
      goods,
      url: `/orders/${orderNo}`,
      createdAt: new Date(createdAt),
    });
    createdAt -= (24 + (byte(26 + i) % 120)) * HOUR_MS;
  }
  return orders;
}

/**
 * The in-memory demo mall, used by tests and whenever no mall is configured (no MALL_* variables):
 * a fixed catalog, and a few orders in various statuses derived from each customer's uid.
 */
export function createDemoMall(): MallAdapter {
  const products = new Map(CATALOG.map((e) => [e.id, toProduct(e)]));
  return {
    getProduct(id) {
      const product = products.get(id);
      if (!product) return Promise.reject(new NotFoundError('Unknown product'));
      return Promise.resolve(structuredClone(product));
    },
    listOrders(customerUid, { limit }) {
      return Promise.resolve(ordersOf(customerUid).slice(0, Math.min(limit, MAX_ORDERS_LIMIT)));
    },
    getOrder(customerUid, orderNo) {
      const order = ordersOf(customerUid).find((o) => o.orderNo === orderNo);
      if (!order) return Promise.reject(new NotFoundError('Unknown order'));
      return Promise.resolve(order);
    },
  };
}

/** The demo catalog's product ids (for demos and tests). */
export const DEMO_PRODUCT_IDS: readonly string[] = CATALOG.map((e) => e.id);
