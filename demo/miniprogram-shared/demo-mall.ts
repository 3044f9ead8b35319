// What the uni-app and Taro demo mini-programs share: the demo mall's products (the same catalog the web
// mall shows), the signed identity from the mall's backend, and what to do with <kefu-chat>'s `navigate`
// event. Platform-free: each framework passes its own request function (uni.request, Taro.request).
import type { SignedIdentity } from '../src/mall/identity.js';
// The texts alone: the demo mini-programs bundle this file, and @kefu/proto's root brings Protobuf.
import { priceLabel } from '@kefu/proto/card-text';
import { PRODUCTS, findProduct } from '../src/mall/catalog.js';
import { productImageUrl, productPageUrl } from '../src/mall/cards.js';

/** Where WeChat DevTools' simulator reaches the services `npm start` runs on this machine. */
export const DEMO_KEFU_SERVER = 'http://127.0.0.1:8080';
export const DEMO_MALL_URL = 'http://127.0.0.1:8081';

/** The product <kefu-chat> shows with a send button (its `product` property). */
export interface KefuProduct {
  id: string;
  title: string;
  image: string;
  price_fen: number;
  points: number;
  url: string;
}

export interface DemoProduct extends KefuProduct {
  description: string;
  label: string;
}

/** The detail of <kefu-chat>'s `navigate` event: the host decides where a card leads. */
export interface KefuNavigate {
  kind: 'product' | 'order' | 'link';
  id?: string;
  url: string;
}

/** What a demo page does for a `navigate` event: open one of its pages, or copy a web address. */
export type NavigateAction = { type: 'page'; url: string } | { type: 'copy'; text: string };

export const PRODUCT_PAGE = '/pages/product/index';
export const CHAT_PAGE = '/pages/chat/index';

export function listDemoProducts(): DemoProduct[] {
  return PRODUCTS.map((p) => toDemoProduct(p.id)).filter((p): p is DemoProduct => p !== undefined);
}

export function demoProduct(id: string | undefined): DemoProduct | undefined {
  return id === undefined ? undefined : toDemoProduct(id);
}

/** The product the chat page hands <kefu-chat> (exactly its `product` fields), or null for none. */
export function chatProduct(id: string | undefined): KefuProduct | null {
  const p = demoProduct(id);
  return p
    ? { id: p.id, title: p.title, image: p.image, price_fen: p.price_fen, points: p.points, url: p.url }
    : null;
}

function toDemoProduct(id: string): DemoProduct | undefined {
  const p = findProduct(id);
  if (!p) return undefined;
  return {
    id: p.id,
    title: p.title,
    description: p.description,
    label: priceLabel(p.points, p.price_fen),
    image: productImageUrl(DEMO_MALL_URL, p.id),
    price_fen: p.price_fen,
    points: p.points,
    url: productPageUrl(DEMO_MALL_URL, p.id),
  };
}

/** The page a product card opens inside the mini-program, else the web address to copy. */
export function navigateAction(detail: unknown): NavigateAction | undefined {
  if (!isNavigate(detail)) return undefined;
  if (detail.kind === 'product' && demoProduct(detail.id)) {
    return { type: 'page', url: `${PRODUCT_PAGE}?id=${encodeURIComponent(detail.id ?? '')}` };
  }
  // Orders and links are pages of the web mall: a mini-program opens only its own pages (or a
  // <web-view> on a registered business domain), so the demo copies the address.
  return { type: 'copy', text: detail.url };
}

function isNavigate(value: unknown): value is KefuNavigate {
  if (typeof value !== 'object' || value === null) return false;
  const { kind, url } = value as Record<string, unknown>;
  return (kind === 'product' || kind === 'order' || kind === 'link') && typeof url === 'string';
}

/** The subset of wx.request's options the demos use (uni.request and Taro.request take the same). */
export interface RequestOptions {
  url: string;
  success: (res: { statusCode: number; data: unknown }) => void;
  fail: (err: unknown) => void;
}

/**
 * Asks the mall's backend for the customer's signed identity; null (an anonymous visitor) when the mall
 * does not know the customer. The demo mall signs for its web session (GET /api/kefu/identity); a real
 * mall signs after wx.login on its own backend, which keeps the secret.
 */
export function fetchIdentity(
  request: (options: RequestOptions) => unknown,
  url = `${DEMO_MALL_URL}/api/kefu/identity`,
): Promise<SignedIdentity | null> {
  return new Promise((resolve) => {
    request({
      url,
      success: (res) => {
        resolve(res.statusCode === 200 && isSignedIdentity(res.data) ? res.data : null);
      },
      fail: () => {
        resolve(null);
      },
    });
  });
}

function isSignedIdentity(value: unknown): value is SignedIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const { identity, signature } = value as Record<string, unknown>;
  return typeof signature === 'string' && typeof identity === 'object' && identity !== null;
}
