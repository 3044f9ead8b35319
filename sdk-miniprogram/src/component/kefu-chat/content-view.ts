// One piece of message content as WXML data: text, sticker, image, voice clip, file card, product and
// order cards (prices and totals in points and/or cash by sdk-core, as the web widget shows them), bot
// replies, rating results. Used for stored messages, pending sends and the order picker.
import { kefu } from '@kefu/proto';
import { formatFileSize, orderTotalText, productPriceText } from '@kefu/sdk-core';
import { fmt, type Locale, type Strings } from './i18n.js';
import type { View } from './patch.js';
import type { RatingDraft } from './rating.js';

const { RatingScale } = kefu.v1;

/** What the items are built from besides the chat state. */
export interface ItemContext {
  t: Strings;
  locale: Locale;
  /** A displayable URL of an upload ('' while it is being signed). */
  media(uploadId: string, thumbnail: boolean): string;
  /** Server-relative URLs made absolute. */
  absolute(url: string): string;
  /** Key of the voice message playing now. */
  playing: string;
  drafts: ReadonlyMap<string, RatingDraft>;
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

/** A file card: name, size and the extension as a badge ("PDF"). */
function fileView(file: kefu.v1.IFile, t: Strings): View {
  const name = file.name || t.file;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1, dot + 5).toUpperCase() : '';
  return {
    kind: 'file',
    upload: file.uploadId ?? '',
    file: { name, size: file.sizeBytes ? formatFileSize(file.sizeBytes) : '', ext },
  };
}

function orderView(o: kefu.v1.IOrderCard, ctx: ItemContext): View {
  const { t } = ctx;
  const items = o.items ?? [];
  // "合计 1200 积分" for a points-only order, never "¥0.00" (sdk-core's orderTotalText).
  const parts = [
    items[0]?.name ?? '',
    fmt(t.goodsCount, { n: o.goodsCount || items.length }),
    orderTotalText(o, ctx.locale),
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
      ? { kind: 'sticker', src: ctx.absolute(content.sticker.url), text: content.sticker.alt ?? '' }
      : { kind: 'text', text: content.sticker.alt ?? '' };
  if (content.voice)
    return {
      kind: 'voice',
      upload: content.voice.uploadId ?? '',
      voice: voiceView(content.voice.durationMs ?? 0, key, ctx),
    };
  if (content.file) return fileView(content.file, t);
  if (content.product) {
    const p = content.product;
    return {
      kind: 'product',
      card: {
        id: p.id ?? '',
        title: p.title ?? '',
        image: p.image ? ctx.absolute(p.image) : '',
        label: productPriceText(p, ctx.locale),
        url: p.url ?? '',
      },
    };
  }
  if (content.order) return orderView(content.order, ctx);
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
