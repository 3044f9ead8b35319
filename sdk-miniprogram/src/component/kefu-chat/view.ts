// The chat state as WXML data. WXML cannot call functions, so everything it shows is computed here: one
// item per message or pending send with its kind, texts, resolved media URLs, prices in yuan, order
// status, time dividers, read/sending/failed state and upload progress. Plain values only (setData
// serialises them), and nothing that changes while nothing changed, so the patch stays small.
import { kefu } from '@kefu/proto';
import { recalledText, type ChatState, type PendingItem } from '@kefu/sdk-core';
import { fmt, type Strings } from './i18n.js';
import type { View } from './patch.js';
import { emptyDraft, ratingView, type RatingDraft } from './rating.js';

const { ConversationStatus, RatingScale, Role } = kefu.v1;

/** What the items are built from besides the chat state. */
export interface ItemContext {
  t: Strings;
  /** A displayable URL of an upload ('' while it is being signed). */
  media(uploadId: string, thumbnail: boolean): string;
  /** Server-relative URLs made absolute. */
  absolute(url: string): string;
  /** Key of the voice message playing now. */
  playing: string;
  drafts: ReadonlyMap<string, RatingDraft>;
}

const TIME_GAP_MS = 5 * 60_000;

export const yuan = (fen: number): string => (fen / 100).toFixed(2);

/** An id usable in `scroll-into-view` (letters, digits, `-`, `_`; not starting with a digit). */
export function anchorOf(key: string): string {
  return `m-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function pad(n: number): string {
  return n < 10 ? `0${String(n)}` : String(n);
}

/** "14:05" today, "3月8日 14:05" / "3/8 14:05" before, with the year when not this one. */
export function timeLabel(ms: number, now: number, locale: 'zh-CN' | 'en'): string {
  const d = new Date(ms);
  const n = new Date(now);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === n.toDateString()) return hm;
  const y = d.getFullYear() === n.getFullYear() ? '' : String(d.getFullYear());
  const m = d.getMonth() + 1;
  if (locale === 'en') return `${y ? `${y}/` : ''}${String(m)}/${String(d.getDate())} ${hm}`;
  return `${y ? `${y}年` : ''}${String(m)}月${String(d.getDate())}日 ${hm}`;
}

export function productLabel(p: kefu.v1.IProductCard, t: Strings): string {
  if (p.label) return p.label;
  if (p.points) return fmt(t.points, { n: p.points });
  return p.priceFen ? `¥${yuan(p.priceFen)}` : '';
}

function voiceView(durationMs: number, key: string, ctx: ItemContext): View {
  const seconds = Math.max(1, Math.round(durationMs / 1000));
  // WeChat's own bubbles grow with the clip's length, up to a limit.
  return {
    seconds: `${String(seconds)}″`,
    width: Math.min(420, 140 + seconds * 8),
    playing: ctx.playing === key,
  };
}

/** The fields of one piece of content (also used for pending sends). */
export function contentView(content: kefu.v1.IContent, key: string, ctx: ItemContext): View {
  const { t } = ctx;
  if (content.text) return { kind: 'text', text: content.text.text ?? '' };
  if (content.image) {
    const id = content.image.uploadId ?? '';
    const fallback = content.image.thumbnailUrl || content.image.url || '';
    return { kind: 'image', upload: id, src: id ? ctx.media(id, true) : ctx.absolute(fallback) };
  }
  if (content.sticker)
    return content.sticker.url
      ? { kind: 'image', upload: '', src: ctx.absolute(content.sticker.url) }
      : { kind: 'text', text: content.sticker.alt ?? '' };
  if (content.voice)
    return {
      kind: 'voice',
      upload: content.voice.uploadId ?? '',
      voice: voiceView(content.voice.durationMs ?? 0, key, ctx),
    };
  if (content.file)
    return { kind: 'file', upload: content.file.uploadId ?? '', text: `📎 ${content.file.name ?? t.file}` };
  if (content.product) {
    const p = content.product;
    return {
      kind: 'product',
      card: {
        id: p.id ?? '',
        title: p.title ?? '',
        image: p.image ? ctx.absolute(p.image) : '',
        label: productLabel(p, t),
        url: p.url ?? '',
      },
    };
  }
  if (content.order) {
    const o = content.order;
    const items = o.items ?? [];
    const parts = [
      items[0]?.name ?? '',
      fmt(t.goodsCount, { n: o.goodsCount || items.length }),
      fmt(t.total, { v: yuan(o.totalFen ?? 0) }),
    ].filter(Boolean);
    return {
      kind: 'order',
      card: {
        no: o.orderNo ?? '',
        title: `${t.order} ${o.orderNo ?? ''}`,
        status: o.statusText || (t.orderStatus[o.status ?? 0] ?? ''),
        goods: items
          .slice(0, 4)
          .map((g, i) => ({ i, image: g.image ? ctx.absolute(g.image) : '', name: g.name ?? '' })),
        summary: parts.join(' · '),
        url: o.url ?? '',
      },
    };
  }
  if (content.botReply) {
    const b = content.botReply;
    return {
      kind: 'bot',
      text: b.text ?? '',
      sources: (b.sources ?? []).map((s, i) => ({ i, title: s.title || s.url || '', url: s.url ?? '' })),
      suggestions: (b.suggestions ?? []).slice(0, 10),
    };
  }
  if (content.ratingResult) {
    const r = content.ratingResult;
    const score =
      r.scale === RatingScale.RATING_SCALE_FIVE_STAR ? '★'.repeat(r.score ?? 0) : String(r.score ?? 0);
    return { kind: 'text', text: r.declined ? t.rateDecline : `${t.rateThanks} ${score}` };
  }
  if (content.ratingInvite) return { kind: 'text', text: t.rateTitle };
  if (content.call) return { kind: 'text', text: t.call };
  return { kind: 'text', text: t.notSupported };
}

/** The invites already answered: on this device, or earlier (the answer is a message in the history). */
export function answeredInvites(s: ChatState<string>): Set<string> {
  const answered = new Set(s.rated);
  for (const m of s.messages)
    if (m.content?.ratingResult?.inviteId) answered.add(m.content.ratingResult.inviteId);
  return answered;
}

function messageItem(
  m: kefu.v1.IMessage,
  s: ChatState<string>,
  ctx: ItemContext,
  answered: Set<string>,
  time: string,
): View {
  const key = m.id ?? '';
  const mine = m.sender?.role === Role.ROLE_CUSTOMER;
  const base: View = {
    key,
    anchor: anchorOf(key),
    mine,
    time,
    name: '',
    read: '',
    meta: '',
    failed: false,
    retry: false,
  };
  const c = s.conversation;
  if (m.content?.system) {
    const code = m.content.system.code ?? '';
    const keepWaiting =
      code === 'queue_reminder' && c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED;
    return {
      ...base,
      kind: 'notice',
      code,
      text: m.content.system.text || ctx.t.notices[code] || '',
      keepWaiting,
    };
  }
  if (m.recalled)
    return { ...base, kind: 'notice', code: 'recalled', text: recalledText(m, ctx.t), keepWaiting: false };
  const invite = m.content?.ratingInvite;
  if (invite && !mine) {
    const id = invite.inviteId ?? '';
    return {
      ...base,
      kind: 'rating',
      rating: ratingView(invite, ctx.drafts.get(id) ?? emptyDraft(), answered.has(id), ctx.t),
    };
  }
  const read = mine && c?.agent?.uid ? (Number(m.seq) <= s.agentReadSeq ? ctx.t.read : ctx.t.unreadMark) : '';
  return {
    ...base,
    ...contentView(m.content ?? {}, key, ctx),
    name: mine ? '' : m.sender?.name || ctx.t.agent,
    read,
  };
}

function pendingItem(p: PendingItem<string>, ctx: ItemContext): View {
  const { t } = ctx;
  const content = contentView(p.content, p.id, ctx);
  if (p.preview && p.content.image) content['src'] = p.preview;
  const meta =
    p.state === 'uploading'
      ? fmt(t.uploading, { p: Math.round((p.progress ?? 0) * 100) })
      : p.state === 'failed'
        ? t.failed
        : t.sending;
  return {
    key: p.id,
    anchor: anchorOf(p.id),
    mine: true,
    time: '',
    name: '',
    read: '',
    ...content,
    meta,
    failed: p.state === 'failed',
    retry: p.state === 'failed' && p.file !== undefined,
  };
}

/** Every message and pending send, oldest first, with time dividers after 5 minutes of silence. */
export function itemsView(
  s: ChatState<string>,
  ctx: ItemContext,
  now: number,
  locale: 'zh-CN' | 'en',
): View[] {
  const answered = answeredInvites(s);
  let last = 0;
  const items: View[] = [];
  for (const m of s.messages) {
    const at = m.createdAtMs ?? 0;
    const time = at && at - last >= TIME_GAP_MS ? timeLabel(at, now, locale) : '';
    if (at) last = at;
    items.push(messageItem(m, s, ctx, answered, time));
  }
  for (const p of s.pending) items.push(pendingItem(p, ctx));
  return items;
}
