// Quoting (引用): a one-line snippet of any message, and how a quote reads where the quoted message is
// known, recalled, or not loaded (or an internal note the customer never sees).
import { kefu } from '@kefu/proto';
import type { CustomerStrings } from './strings.js';

const { Role } = kefu.v1;

const ONE_LINE = 80;

function oneLine(text: string | null | undefined): string {
  const line = (text ?? '').replace(/\s+/g, ' ').trim();
  return line.length > ONE_LINE ? `${line.slice(0, ONE_LINE)}…` : line;
}

const join = (kind: string, detail: string | null | undefined): string =>
  detail ? `${kind} ${oneLine(detail)}` : kind;

/** What a message says in one line: its text, or its kind with a name ("[文件] 发票.pdf"). */
export function messageSnippet(content: kefu.v1.IContent | null | undefined, t: CustomerStrings): string {
  const c = content ?? {};
  const s = t.snippets;
  if (c.text) return oneLine(c.text.text);
  if (c.sticker) return join(s.sticker, c.sticker.alt);
  if (c.image) return s.image;
  if (c.voice) return s.voice;
  if (c.file) return join(s.file, c.file.name);
  if (c.product) return join(s.product, c.product.title);
  if (c.order) return join(s.order, c.order.orderNo);
  if (c.botReply) return oneLine(c.botReply.text);
  if (c.system) return oneLine(c.system.text || t.notices[c.system.code ?? ''] || '');
  if (c.ratingInvite || c.ratingResult) return s.rating;
  if (c.call) return s.call;
  return s.other;
}

/** Who wrote a message, as the customer reads it: 你, the agent's name, or 客服. */
export function authorName(m: kefu.v1.IMessage, t: CustomerStrings): string {
  if (m.sender?.role === Role.ROLE_CUSTOMER) return t.you;
  return m.sender?.name || t.agentLabel;
}

export interface QuoteView {
  /** The quoted message's id (to scroll to it). */
  id: string;
  /** `found`: author and snippet are the message's; otherwise the snippet says why there is none. */
  state: 'found' | 'recalled' | 'unknown';
  author: string;
  snippet: string;
}

/** How the quote of a message reads, from the messages loaded so far; undefined when it quotes nothing. */
export function describeQuote(
  quoteId: string | null | undefined,
  messages: readonly kefu.v1.IMessage[],
  t: CustomerStrings,
): QuoteView | undefined {
  if (!quoteId) return undefined;
  const m = messages.find((x) => x.id === quoteId);
  if (!m || m.hidden) return { id: quoteId, state: 'unknown', author: '', snippet: t.quoteUnknown };
  if (m.recalled) return { id: quoteId, state: 'recalled', author: '', snippet: t.quoteRecalled };
  return { id: quoteId, state: 'found', author: authorName(m, t), snippet: messageSnippet(m.content, t) };
}
