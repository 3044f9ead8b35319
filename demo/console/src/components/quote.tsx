// Quoted replies: the composer's "quoting …" bar (cancel with ×), and the quoted original shown above a
// reply — its author and one line, "原消息已撤回" once recalled, "引用的消息" when it is not loaded —
// which scrolls the thread to the original when clicked.
import { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import type { Translate } from '../i18n/index.js';
import { previewText } from '../preview.js';
import { useStore } from '../store.js';
import type { Workbench } from '../workbench.js';

const { Role } = kefu.v1;
const SNIPPET_CHARS = 60;

/** Who wrote a message, as the thread names them. */
export function authorOf(t: Translate, wb: Workbench, m: kefu.v1.IMessage): string {
  if (m.sender?.uid === wb.me.uid) return wb.me.name;
  if (m.sender?.role === Role.ROLE_BOT) return m.sender.name || t('bot');
  if (m.sender?.role === Role.ROLE_SYSTEM) return t('system');
  return m.sender?.name ?? '';
}

/** One line of a message: its preview, cut; the recalled one says so. */
export function snippetOf(t: Translate, m: kefu.v1.IMessage): string {
  if (m.recalled || !m.content) return t('quotedRecalled');
  return Array.from(previewText(t, m.content)).slice(0, SNIPPET_CHARS).join('');
}

/** Over the composer while a reply quotes a message. */
export function QuoteBar({ wb, id, t }: { wb: Workbench; id: string; t: Translate }): JSX.Element | null {
  const quoteId = useStore(wb.store, (s) => s.quotes[id]);
  const thread = useStore(wb.store, (s) => s.threads[id]);
  if (!quoteId) return null;
  const m = thread?.messages.find((x) => x.id === quoteId);
  return (
    <div class="quote-bar" data-quote={quoteId}>
      <span class="quote-text">
        {m ? t('quoting', { name: authorOf(t, wb, m), text: snippetOf(t, m) }) : t('quotedUnknown')}
      </span>
      <button
        type="button"
        class="link"
        aria-label={t('cancelQuote')}
        title={t('cancelQuote')}
        onClick={() => {
          wb.setQuote(id, undefined);
        }}
      >
        ×
      </button>
    </div>
  );
}

/** Above a reply: the original it quotes. */
export function QuotedLine({
  wb,
  id,
  t,
  quoteId,
}: {
  wb: Workbench;
  id: string;
  t: Translate;
  quoteId: string;
}): JSX.Element {
  const original = useStore(wb.store, (s) => s.threads[id]?.messages.find((m) => m.id === quoteId));
  const show = async (): Promise<void> => {
    if (await wb.findMessage(id, quoteId)) wb.store.set({ focusMessage: quoteId });
  };
  return (
    <button type="button" class="quoted" data-quote={quoteId} onClick={() => void show()}>
      {original ? (
        <>
          <b>{authorOf(t, wb, original)}</b> {snippetOf(t, original)}
        </>
      ) : (
        t('quotedUnknown')
      )}
    </button>
  );
}
