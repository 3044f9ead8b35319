import { kefu } from '@kefu/proto';
import type { StoredMessage } from '../../repository/message-repository.js';
import type { MessageActivity } from '../../repository/workbench-repository.js';

/** What the list shows for each content kind that has no text of its own. */
const LABELS: Record<string, string> = {
  sticker: '[表情]',
  image: '[图片]',
  voice: '[语音]',
  file: '[文件]',
  product: '[商品]',
  order: '[订单]',
  ratingInvite: '[评价邀请]',
  ratingResult: '[评价]',
  system: '[系统消息]',
  botReply: '[机器人回复]',
  call: '[通话]',
};

const PREVIEW_CHARS = 80;

/** What a customer sends that waits for an agent's answer (a rating or a call signal does not). */
const AWAITS_ANSWER = new Set(['text', 'sticker', 'image', 'voice', 'file', 'product', 'order']);

/** Shown instead of a recalled message's preview. */
export const RECALLED_PREVIEW = '[已撤回]';

/**
 * A one-line preview: the text (cut to 80 characters) or a label with what identifies the item —
 * `[订单] 202412060001`, `[商品] 蓝牙耳机`, `[文件] 发票.pdf`, `[表情] 谢谢`, `[语音] 12″`, `[图片]`.
 */
export function previewOf(m: {
  contentKind: string;
  text?: string | undefined;
  content?: Uint8Array;
}): string {
  const kind = m.contentKind;
  const oneLine = (m.text ?? '').replace(/\s+/g, ' ').trim();
  if (kind === 'text' || kind === 'system' || kind === 'botReply') {
    if (oneLine) return Array.from(oneLine).slice(0, PREVIEW_CHARS).join('');
  }
  const label = LABELS[kind] ?? '[消息]';
  if (kind === 'voice' && m.content) {
    const ms = kefu.v1.Content.decode(m.content).voice?.durationMs ?? 0;
    return ms > 0 ? `${label} ${String(Math.max(1, Math.round(ms / 1000)))}″` : label;
  }
  if (['file', 'product', 'order', 'sticker'].includes(kind) && oneLine)
    return `${label} ${Array.from(oneLine).slice(0, 60).join('')}`;
  return label;
}

/** Keeps each conversation's workbench facts up to date as messages are stored. */
export class ConversationActivity {
  constructor(
    private readonly repository: {
      recordMessage(conversationId: string, a: MessageActivity): Promise<void>;
      recordRecall(conversationId: string, seq: number, preview: string): Promise<void>;
    },
  ) {}

  async recordMessage(m: StoredMessage): Promise<void> {
    const fromCustomer = m.senderRole === 'c';
    await this.repository.recordMessage(m.conversationId, {
      last: {
        seq: m.seq,
        // Agents' internal notes are shown to agents (the only readers of this list), marked as such.
        preview: (m.internalNote ? '[内部备注] ' : '') + previewOf(m),
        senderRole: m.senderRole,
        at: m.createdAt,
      },
      fromCustomer,
      awaitsAnswer: fromCustomer && AWAITS_ANSWER.has(m.contentKind),
      answers: m.senderRole === 'a' && !m.internalNote,
    });
  }

  /** A recalled message no longer shows in the list's preview. */
  async recordRecall(m: StoredMessage): Promise<void> {
    await this.repository.recordRecall(m.conversationId, m.seq, RECALLED_PREVIEW);
  }
}
