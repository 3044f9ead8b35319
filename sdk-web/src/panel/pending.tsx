// A message on its way: uploading with progress, sending until acked, or failed — with the reason in
// words (不支持的文件类型, 文件过大…), a retry where trying again may help, and a way to drop it.
import { describeQuote, formatDuration, isRetryable, pendingStatus } from '@kefu/sdk-core';
import type { JSX } from 'preact';
import type { Chat, ChatState, PendingItem } from './chat.js';
import { Content } from './content.js';
import type { Strings } from './i18n.js';
import { QuoteLine } from './message-row.js';

function Preview({ chat, t, p }: { chat: Chat; t: Strings; p: PendingItem }): JSX.Element {
  if (p.preview) return <img class="im" src={p.preview} alt="" />;
  if (p.kind === 'voice')
    return (
      <div class="bb">
        🎤 {t.voice} {formatDuration(p.content.voice?.durationMs ?? 0)}
      </div>
    );
  return <Content chat={chat} t={t} content={p.content} />;
}

export function Pending(props: { chat: Chat; s: ChatState; t: Strings; p: PendingItem }): JSX.Element {
  const { chat, s, t, p } = props;
  const quote = describeQuote(p.quoteMessageId, s.messages, t);
  const failed = p.state === 'failed';
  const status = pendingStatus(p, t);
  return (
    <div class="r me" data-testid="pending">
      {quote && <QuoteLine t={t} q={quote} />}
      <Preview chat={chat} t={t} p={p} />
      <div class={failed ? 'mt f' : 'mt'} role={failed ? 'alert' : undefined} data-testid="pending-state">
        {status}
        {failed && p.file !== undefined && isRetryable(p.error) && (
          <button
            type="button"
            onClick={() => {
              chat.retry(p.id);
            }}
          >
            {t.retry}
          </button>
        )}
        {failed && p.file !== undefined && (
          <button
            type="button"
            onClick={() => {
              chat.discard(p.id);
            }}
          >
            {t.remove}
          </button>
        )}
      </div>
    </div>
  );
}
