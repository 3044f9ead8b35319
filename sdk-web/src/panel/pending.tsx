// A message on its way: uploading with progress, sending until acked, or failed with a retry.
import type { JSX } from 'preact';
import type { Chat, PendingItem } from './chat.js';
import { Content } from './content.js';
import { fmt, type Strings } from './i18n.js';

export function Pending({ chat, t, p }: { chat: Chat; t: Strings; p: PendingItem }): JSX.Element {
  return (
    <div class="r me" data-testid="pending">
      {p.preview ? (
        <img class="im" src={p.preview} alt="" />
      ) : (
        <Content chat={chat} t={t} content={p.content} />
      )}
      <div class={p.state === 'failed' ? 'mt f' : 'mt'}>
        {p.state === 'uploading'
          ? fmt(t.uploading, { p: Math.round((p.progress ?? 0) * 100) })
          : p.state === 'failed'
            ? t.failed
            : t.sending}
        {p.state === 'failed' && p.file && (
          <button
            type="button"
            onClick={() => {
              chat.retry(p.id);
            }}
          >
            {t.retry}
          </button>
        )}
      </div>
    </div>
  );
}
