// What kefu-chat's properties mean and how host values are checked (host code is plain JavaScript, and
// uni-app/Taro pass whatever their templates bind).
import type { SignedIdentity } from '@kefu/sdk-core';

/** The component's properties (see index.ts for types and defaults). */
export interface KefuChatProps {
  server: string;
  locale: string;
  channel: string;
  identity: unknown;
  groupId: string;
  agentUid: string;
  product: unknown;
}

/** The `product` property as the host passes it: `{id, title, image, price_fen, points, url}`. */
export type ProductProp = Record<string, unknown> & { id: string };

/** Host code is plain JavaScript: a product needs an id; other fields are read with care. */
export function toProduct(v: unknown): ProductProp | null {
  if (typeof v !== 'object' || v === null) return null;
  const id = (v as { id?: unknown }).id;
  if ((typeof id !== 'string' || !id) && typeof id !== 'number') return null;
  return { ...(v as Record<string, unknown>), id: String(id) };
}

/** The signed identity, undefined for a visitor, or why the value cannot be one. */
export function checkIdentity(v: unknown): SignedIdentity | undefined | { error: string } {
  if (v === null || v === undefined || v === '') return undefined;
  const o = (typeof v === 'object' ? v : {}) as Partial<SignedIdentity>;
  const id = (o.identity ?? {}) as Partial<SignedIdentity['identity']>;
  if (typeof id.user_id !== 'string' || !id.user_id || typeof o.signature !== 'string' || !o.signature)
    return {
      error:
        'identity must be null (a visitor) or {identity: {user_id, ts, …}, signature} signed by your backend',
    };
  return o as SignedIdentity;
}

/** The page the customer chats from: a mini-program route is no URL, so it goes as the title. */
export function currentPage(): { url: string; title: string } {
  const pages = typeof getCurrentPages === 'function' ? getCurrentPages() : undefined;
  const route = pages?.[pages.length - 1]?.route ?? '';
  return { url: '', title: route.slice(0, 200) };
}
