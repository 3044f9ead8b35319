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

/** A one-line preview: the text (cut to 80 characters) or a label such as `[图片]`. */
export function previewOf(kind: string, text: string | undefined): string {
  const oneLine = (text ?? '').replace(/\s+/g, ' ').trim();
  if (kind === 'text' || kind === 'system' || kind === 'botReply') {
    if (oneLine) return Array.from(oneLine).slice(0, PREVIEW_CHARS).join('');
  }
  const label = LABELS[kind] ?? '[消息]';
  if (kind === 'file' || kind === 'product') return oneLine ? `${label} ${oneLine}`.slice(0, 100) : label;
  return label;
}

/** Keeps each conversation's workbench facts up to date as messages are stored. */
export class ConversationActivity {
  constructor(
    private readonly repository: {
      recordMessage(conversationId: string, a: MessageActivity): Promise<void>;
    },
  ) {}

  async recordMessage(m: StoredMessage): Promise<void> {
    const fromCustomer = m.senderRole === 'c';
    await this.repository.recordMessage(m.conversationId, {
      last: {
        seq: m.seq,
        // Agents' internal notes are shown to agents (the only readers of this list), marked as such.
        preview: (m.internalNote ? '[内部备注] ' : '') + previewOf(m.contentKind, m.text),
        senderRole: m.senderRole,
        at: m.createdAt,
      },
      fromCustomer,
      answers: m.senderRole === 'a' && !m.internalNote,
    });
  }
}
