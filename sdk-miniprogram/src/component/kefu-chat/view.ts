// The message list as WXML data. WXML cannot call functions, so everything it shows is computed here: one
// item per message or pending send with its kind, content (content-view.ts), the message it quotes, time
// dividers (sdk-core's rule: five quiet minutes or another day), read/sending/failed state and upload
// progress. System notices (greeting, transfers, routing) are centred lines; recalled messages say who
// recalled them. Plain values only (setData serialises them), and nothing that changes while nothing
// changed, so the patch stays small.
import { kefu } from '@kefu/proto';
import {
  describeQuote,
  formatMessageTime,
  isRetryable,
  pendingStatus,
  recalledText,
  timeDividers,
  type ChatState,
  type PendingItem,
} from '@kefu/sdk-core';
import { contentView, type ItemContext } from './content-view.js';
import { fmt } from './i18n.js';
import type { View } from './patch.js';
import { emptyDraft, ratingView } from './rating.js';

export { contentView, type ItemContext } from './content-view.js';

const { ConversationStatus, Role } = kefu.v1;

/** An id usable in `scroll-into-view` (letters, digits, `-`, `_`; not starting with a digit). */
export function anchorOf(key: string): string {
  return `m-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** The invites already answered: on this device, or earlier (the answer is a message in the history). */
export function answeredInvites(s: ChatState<string>): Set<string> {
  const answered = new Set(s.rated);
  for (const m of s.messages)
    if (m.content?.ratingResult?.inviteId) answered.add(m.content.ratingResult.inviteId);
  return answered;
}

/** The quote above a bubble (or in the composer): "管理员：您好", or why the original is not shown. */
export function quoteView(
  quoteId: string | null | undefined,
  s: ChatState<string>,
  ctx: ItemContext,
): View | null {
  const q = describeQuote(quoteId, s.messages, ctx.t);
  if (!q) return null;
  const found = q.state === 'found';
  return {
    id: q.id,
    found,
    text: found ? fmt(ctx.t.quoteLine, { author: q.author, text: q.snippet }) : q.snippet,
  };
}

function base(key: string, mine: boolean, time: string): View {
  return {
    key,
    anchor: anchorOf(key),
    mine,
    time,
    name: '',
    read: '',
    meta: '',
    failed: false,
    retry: false,
    remove: false,
    press: false,
    quote: null,
  };
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
  const c = s.conversation;
  if (m.recalled)
    return { ...base(key, mine, time), kind: 'notice', code: 'recalled', text: recalledText(m, ctx.t) };
  if (m.content?.system) {
    const code = m.content.system.code ?? '';
    return {
      ...base(key, mine, time),
      kind: 'notice',
      code,
      text: m.content.system.text || ctx.t.notices[code] || '',
      keepWaiting: code === 'queue_reminder' && c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED,
    };
  }
  const invite = m.content?.ratingInvite;
  if (invite && !mine) {
    const id = invite.inviteId ?? '';
    return {
      ...base(key, mine, time),
      kind: 'rating',
      rating: ratingView(invite, ctx.drafts.get(id) ?? emptyDraft(), answered.has(id), ctx.t),
    };
  }
  const read = mine && c?.agent?.uid ? (Number(m.seq) <= s.agentReadSeq ? ctx.t.read : ctx.t.unreadMark) : '';
  return {
    ...base(key, mine, time),
    ...contentView(m.content ?? {}, key, ctx),
    name: mine ? '' : m.sender?.name || ctx.t.agent,
    read,
    // Long press: quote, copy, recall (message-actions.ts decides which apply).
    press: key !== '',
    quote: quoteView(m.quoteMessageId, s, ctx),
  };
}

function pendingItem(p: PendingItem<string>, s: ChatState<string>, ctx: ItemContext, time: string): View {
  const { t } = ctx;
  const content = contentView(p.content, p.id, ctx);
  if (p.preview && p.content.image) content['src'] = p.preview;
  const failed = p.state === 'failed';
  const meta = pendingStatus(p, t);
  return {
    ...base(p.id, true, time),
    ...content,
    meta,
    failed,
    // A retry where trying again may help (not for a refused type or size), and a way to drop it.
    retry: failed && p.file !== undefined && isRetryable(p.error),
    remove: failed && p.file !== undefined,
    quote: quoteView(p.quoteMessageId, s, ctx),
  };
}

/** Every message and pending send, oldest first, with a time divider where sdk-core puts one. */
export function itemsView(s: ChatState<string>, ctx: ItemContext, now: number): View[] {
  const answered = answeredInvites(s);
  // sdk-core already drops the `hidden` placeholders (internal notes); never draw one anyway.
  const messages = s.messages.filter((m) => !m.hidden);
  const all: ({ m: kefu.v1.IMessage; p?: undefined } | { p: PendingItem<string>; m?: undefined })[] = [
    ...messages.map((m) => ({ m })),
    ...s.pending.map((p) => ({ p })),
  ];
  const dividers = timeDividers(all, (x) => (x.m ? (x.m.createdAtMs ?? 0) : x.p.createdAt));
  return all.map((x, i) => {
    const at = dividers.get(i);
    const time = at === undefined ? '' : formatMessageTime(at, now, ctx.locale);
    return x.m ? messageItem(x.m, s, ctx, answered, time) : pendingItem(x.p, s, ctx, time);
  });
}
