// One message of the thread: system notices as a centred grey line; everything else as a bubble with
// its author and time, the original it quotes, read state and the actions (quote; recall within 2 min).
import { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import type { Translate } from '../i18n/index.js';
import type { Workbench } from '../workbench.js';
import { Content } from './content.js';
import { authorOf, QuotedLine } from './quote.js';

const { Role } = kefu.v1;

/** Agents may recall their own messages for this long (server: RECALL_WINDOW_S, 2 minutes). */
export const RECALL_WINDOW_MS = 120_000;

function time(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function MessageBody({
  wb,
  id,
  t,
  m,
  customerRead,
}: {
  wb: Workbench;
  id: string;
  t: Translate;
  m: kefu.v1.IMessage;
  customerRead: number;
}): JSX.Element {
  const role = m.sender?.role;
  if ((role === Role.ROLE_SYSTEM || m.content?.system) && !m.recalled && m.content)
    return (
      <div class="system-line">
        <Content api={wb.api} t={t} locale={wb.locale} content={m.content} />
      </div>
    );
  const mine = m.sender?.uid === wb.me.uid;
  const at = Number(m.createdAtMs);
  const canRecall = mine && !m.recalled && Date.now() - at < RECALL_WINDOW_MS;
  const canQuote = !m.recalled && !!m.content && !m.content.ratingInvite && !m.content.call;
  return (
    <>
      <div class="meta">
        {authorOf(t, wb, m)} {time(at)}
        {m.internalNote ? <span class="tag">{t('internalNote')}</span> : null}
      </div>
      <div class="bubble">
        {m.quoteMessageId ? <QuotedLine wb={wb} id={id} t={t} quoteId={m.quoteMessageId} /> : null}
        {m.recalled || !m.content ? (
          <span class="muted">{t('recalled')}</span>
        ) : (
          <Content api={wb.api} t={t} locale={wb.locale} content={m.content} />
        )}
      </div>
      <div class="status muted">
        {mine && !m.internalNote ? (customerRead >= Number(m.seq) ? t('read') : t('unread')) : null}
        {canQuote ? (
          <button
            type="button"
            class="link quote-action"
            onClick={() => {
              wb.setQuote(id, m.id ?? undefined);
              document.querySelector<HTMLTextAreaElement>('.composer textarea')?.focus();
            }}
          >
            {t('quote')}
          </button>
        ) : null}
        {canRecall ? (
          <button
            type="button"
            class="link"
            onClick={() => {
              void wb.client.recall(id, m.id ?? '');
            }}
          >
            {t('recall')}
          </button>
        ) : null}
      </div>
    </>
  );
}
