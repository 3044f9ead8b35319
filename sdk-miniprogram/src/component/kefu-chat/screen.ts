// Everything kefu-chat's WXML shows, as one plain object: banner, status line, message items, the offers
// (leave-a-message, rating at close, new chat), the product bar and the composer. Pure: the controller
// diffs it against the last one and sends only the difference.
import { kefu } from '@kefu/proto';
import type { ChatState, OrderSummary } from '@kefu/sdk-core';
import { KEFU_STICKER_PACK, orderContent, productPriceText, stickerPath } from '@kefu/sdk-core';
import { fmt } from './i18n.js';
import type { ProductProp } from './properties.js';
import type { View } from './patch.js';
import { emptyDraft, ratingView } from './rating.js';
import { answeredInvites, contentView, itemsView, quoteView, type ItemContext } from './view.js';

const { ConversationStatus } = kefu.v1;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export interface LeaveForm {
  state: 'edit' | 'busy' | 'done';
  error: string;
  name: string;
  phone: string;
  content: string;
}

/** The component's own state next to the chat's. */
export interface UiState {
  text: string;
  mode: 'text' | 'voice';
  tool: '' | 'emoji' | 'stickers' | 'more' | 'orders';
  recording: '' | 'send' | 'cancel';
  leaving: boolean;
  leave: LeaveForm;
  orders: { state: 'loading' | 'error' | 'ready'; list: OrderSummary[] };
  product: ProductProp | null;
  productSent: boolean;
  anchor: string;
  /** Set when the properties cannot work (server not a URL, malformed identity). */
  configError: string;
  /** The at-close rating the customer just submitted (its thanks show until a new chat). */
  closeRated: string;
}

export function initialUi(): UiState {
  return {
    text: '',
    mode: 'text',
    tool: '',
    recording: '',
    leaving: false,
    leave: { state: 'edit', error: '', name: '', phone: '', content: '' },
    orders: { state: 'loading', list: [] },
    product: null,
    productSent: false,
    anchor: '',
    configError: '',
    closeRated: '',
  };
}

function banner(s: ChatState<string>, ui: UiState, ctx: ItemContext): View {
  const { t } = ctx;
  if (ui.configError) return { text: fmt(t.badConfig, { message: ui.configError }), error: true };
  if (s.status === 'error')
    return { text: s.error?.code === 'identity_refused' ? t.identityRefused : t.unavailable, error: true };
  if (s.status === 'offline') return { text: t.reconnecting, error: false };
  if (s.status === 'connecting') return { text: t.connecting, error: false };
  return { text: '', error: false };
}

function statusLine(c: kefu.v1.IConversationState | undefined, ctx: ItemContext): string {
  const { t } = ctx;
  if (c?.agent?.name && c.status === ConversationStatus.CONVERSATION_STATUS_OPEN)
    return fmt(t.serving, { name: c.agent.name });
  if (c?.status !== ConversationStatus.CONVERSATION_STATUS_QUEUED) return '';
  // The position counts this customer: "n ahead" is one less.
  const ahead = Math.max(0, (c.queuePosition ?? 1) - 1);
  const wait = c.estimatedWaitMs ? fmt(t.queuedWait, { m: Math.ceil(c.estimatedWaitMs / 60_000) }) : '';
  return fmt(t.queued, { n: ahead }) + wait;
}

function productBar(ui: UiState, ctx: ItemContext): View | null {
  const p = ui.product;
  if (!p || ui.productSent) return null;
  const image = text(p['image']);
  return {
    title: text(p['title']),
    image: image ? ctx.absolute(image) : '',
    label: productPriceText(
      { label: text(p['label']), points: p['points'], priceFen: p['price_fen'] },
      ctx.locale,
    ),
  };
}

function ordersView(ui: UiState, ctx: ItemContext): View {
  const { t } = ctx;
  if (ui.tool !== 'orders') return { text: '', list: [] };
  const o = ui.orders;
  if (o.state !== 'ready') return { text: o.state === 'error' ? t.failedLoad : t.loading, list: [] };
  if (o.list.length === 0) return { text: t.ordersEmpty, list: [] };
  return {
    text: '',
    list: o.list.map((x) => ({ key: x.order_no, ...contentView(orderContent(x), x.order_no, ctx) })),
  };
}

/** The built-in sticker pack (sdk-core's, pictures served by the Kefu server), while its panel is open. */
function stickersView(ui: UiState, ctx: ItemContext): View[] {
  if (ui.tool !== 'stickers') return [];
  return KEFU_STICKER_PACK.stickers.map((x) => ({
    id: x.id,
    src: ctx.absolute(stickerPath(KEFU_STICKER_PACK.id, x.id)),
    alt: x.alt[ctx.locale],
  }));
}

export function screenView(s: ChatState<string>, ui: UiState, ctx: ItemContext, now: number): View {
  const { t } = ctx;
  const c = s.conversation;
  const closed = c?.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
  const queued = c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED;
  // Leave-a-message when nobody can answer: no agent online, queue full or timed out, robot only.
  const noAgent =
    (queued && (c.onlineAgents ?? 0) === 0) ||
    (closed && (c.closeReason === 'queue_full' || c.closeReason === 'queue_timeout')) ||
    (c?.status === ConversationStatus.CONVERSATION_STATUS_OPEN && c.robotOnly === true);
  const answered = answeredInvites(s);
  // Asked at close only when the server offers it (an agent answered, nobody rated yet: sdk-core).
  const close = s.closeRating?.inviteId && !answered.has(s.closeRating.inviteId) ? s.closeRating : undefined;
  const broken = Boolean(ui.configError) || s.status === 'error';
  return {
    banner: banner(s, ui, ctx),
    status: statusLine(c, ctx),
    canEnd: Boolean(c?.id) && !closed && !broken,
    closed,
    disabled: broken,
    older: !c ? '' : s.loadingOlder ? 'loading' : s.hasOlder ? 'more' : s.messages.length > 0 ? 'none' : '',
    items: itemsView(s, ctx, now),
    typing: s.agentTyping,
    offerLeave: noAgent && !ui.leaving,
    offerLeaveText: closed || c?.robotOnly ? '' : t.noAgent,
    leaving: ui.leaving,
    leave: { ...ui.leave },
    closeRating: close
      ? ratingView(close, ctx.drafts.get(close.inviteId ?? '') ?? emptyDraft(), false, t)
      : null,
    closeThanks: closed && !close && ui.closeRated !== '',
    // Not `product`: that is the property's data field.
    productBar: closed || broken ? null : productBar(ui, ctx),
    text: ui.text,
    canSend: ui.text.trim() !== '' && !broken,
    mode: ui.mode,
    tool: ui.tool,
    stickers: stickersView(ui, ctx),
    // The message the next one quotes (引用), shown above the input with a cancel.
    quoting: closed || broken ? null : quoteView(s.quoteId, s, ctx),
    recording: ui.recording,
    orders: ordersView(ui, ctx),
    anchor: ui.anchor,
  };
}
