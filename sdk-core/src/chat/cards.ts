// What customer UIs (web widget, mini-program component) send besides text: product and order cards as
// the host describes them, media as the upload endpoint answered (server/README.md), and how cards show
// prices (one implementation for the widget, the mini-program and the console).
import { formatYuan, kefu } from '@kefu/proto';
import { CUSTOMER_STRINGS, fmt, type CustomerLocale } from './strings.js';

/** Product card as the host page describes it (REFERENCE.md §A). */
export interface ProductInput {
  id: string;
  title: string;
  description?: string;
  /** Price or points text, e.g. "1200 积分". */
  label?: string;
  image?: string;
  url?: string;
  points?: number;
  price_fen?: number;
}

/** Order card as the host page (or the mall adapter) describes it (REFERENCE.md §A). */
export interface OrderInput {
  order_no: string;
  /** 1 awaiting payment … 7 cancelled, 0 custom (status_text). */
  status: number;
  status_text?: string;
  /** Cash part in fen (0 for points-only orders). */
  total_fen: number;
  /** Points part (积分), when the mall says. */
  total_points?: number;
  goods_count?: number;
  goods?: { name: string; picture_url?: string; qty?: number }[];
  url?: string;
  /** ISO 8601 or Unix milliseconds. */
  created_at?: string | number;
}

export type UploadKind = 'image' | 'voice' | 'file';

/** What `POST /api/v1/uploads` answers (server/README.md). */
export interface UploadResult {
  upload_id: string;
  url: string;
  thumbnail_url?: string;
  signed_url: string;
  signed_thumbnail_url?: string;
  width?: number;
  height?: number;
  /** Voice clips: the duration the server measured. */
  duration_ms?: number;
  size_bytes: number;
  mime_type: string;
  name?: string;
}

/** An HTTP answer that was not 2xx, with the server's error code and message. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly code = '',
    /** The server's `details` (e.g. `{ reason: 'too_short' }`). */
    readonly details?: unknown,
  ) {
    super(message);
  }

  /** `details.reason`, the finer cause the server names for some refusals (server/README.md "Uploads"). */
  get reason(): string {
    const r = (this.details as { reason?: unknown } | null | undefined)?.reason;
    return typeof r === 'string' ? r : '';
  }
}

/** The error of a non-2xx answer from its JSON body (`{error: {code, message}}`, server/README.md). */
export function httpError(status: number, body: unknown): HttpError {
  const e = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof e === 'string') return new HttpError(status, e);
  const { code, message, details } = (e ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
  return new HttpError(
    status,
    typeof message === 'string' && message ? message : `HTTP ${String(status)}`,
    typeof code === 'string' ? code : '',
    details,
  );
}

/** Host code is plain JavaScript: coerce what it passes. */
function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function orderStatus(n: unknown): kefu.v1.OrderStatus {
  const s = Number(n);
  const known = Number.isInteger(s) && s >= 0 && s <= 7;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- range checked above
  return known ? s : kefu.v1.OrderStatus.ORDER_STATUS_CUSTOM;
}

/** A finite number from what the host passed (numbers may arrive as strings), else 0. */
function num(v: unknown): number {
  const n = Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** Unix ms from the host's ISO string or number. */
function toMs(v: string | number | undefined): number {
  if (typeof v === 'number') return v;
  const t = v ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : 0;
}

export function productContent(p: ProductInput): kefu.v1.IContent {
  return {
    product: {
      id: str(p.id).slice(0, 64),
      title: str(p.title).slice(0, 200),
      description: str(p.description).slice(0, 1000),
      label: str(p.label).slice(0, 200),
      image: str(p.image),
      url: str(p.url),
      points: num(p.points),
      priceFen: num(p.price_fen),
    },
  };
}

/** An order card's amounts: cash in fen and points (OrderCard.total_points). */
export interface OrderTotals {
  totalFen?: unknown;
  totalPoints?: unknown;
}

export function orderContent(o: OrderInput): kefu.v1.IContent {
  const goods = Array.isArray(o.goods) ? o.goods : [];
  const points = Math.round(num(o.total_points));
  const order: kefu.v1.IOrderCard = {
    orderNo: str(o.order_no).slice(0, 64),
    status: orderStatus(o.status),
    statusText: str(o.status_text).slice(0, 200),
    totalFen: Math.round(num(o.total_fen)),
    goodsCount: o.goods_count ?? goods.length,
    items: goods
      .slice(0, 50)
      .map((g) => ({ name: str(g.name), image: str(g.picture_url), qty: Number(g.qty) || 1 })),
    url: str(o.url),
    createdAtMs: toMs(o.created_at),
    ...(points > 0 ? { totalPoints: points } : {}),
  };
  return { order };
}

/**
 * A price or total in points and/or cash: "1200 积分", "¥9.90", "¥9.90 + 1200 积分" ("1200 points" in
 * English); "" when both are 0 (a total of "¥0.00" on a points-only order would be wrong, not free).
 */
export function formatPrice(fen: unknown, points: unknown, locale: CustomerLocale = 'zh-CN'): string {
  const cash = Math.round(num(fen));
  const pts = Math.round(num(points));
  const pointsText = pts > 0 ? fmt(CUSTOMER_STRINGS[locale].pointsAmount, { n: pts }) : '';
  if (cash > 0 && pointsText) return `${formatYuan(cash)} + ${pointsText}`;
  return cash > 0 ? formatYuan(cash) : pointsText;
}

/** An order card's total line: "合计 1200 积分", "合计 ¥9.90 + 1200 积分"; "" when nothing is known. */
export function orderTotalText(order: OrderTotals, locale: CustomerLocale = 'zh-CN'): string {
  const v = formatPrice(order.totalFen, order.totalPoints, locale);
  return v ? fmt(CUSTOMER_STRINGS[locale].totalLabel, { v }) : '';
}

/** A product card's price: the host's label when it gave one, else its points and cash. */
export function productPriceText(
  product: { label?: string | null; points?: unknown; priceFen?: unknown },
  locale: CustomerLocale = 'zh-CN',
): string {
  return product.label || formatPrice(product.priceFen, product.points, locale);
}

/** The message content that shows an uploaded image (the upload's id, URLs and measurements). */
export function imageContent(up: UploadResult): kefu.v1.IContent {
  return {
    image: {
      uploadId: up.upload_id,
      url: up.url,
      thumbnailUrl: up.thumbnail_url ?? '',
      width: up.width ?? 0,
      height: up.height ?? 0,
      sizeBytes: up.size_bytes,
      mimeType: up.mime_type,
    },
  };
}

/** A voice clip message; the server's measured duration wins over the recorder's. */
export function voiceContent(up: UploadResult, recordedMs = 0): kefu.v1.IContent {
  return {
    voice: {
      uploadId: up.upload_id,
      url: up.url,
      durationMs: Math.round(up.duration_ms ?? recordedMs),
      mimeType: up.mime_type,
      sizeBytes: up.size_bytes,
    },
  };
}

/** A file message (name as the server cleaned it up). */
export function fileContent(up: UploadResult, name: string): kefu.v1.IContent {
  return {
    file: {
      uploadId: up.upload_id,
      url: up.url,
      name: up.name ?? name,
      sizeBytes: up.size_bytes,
      mimeType: up.mime_type,
    },
  };
}
