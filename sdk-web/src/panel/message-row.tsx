// One stored message in the list: a system notice, a recalled message, a rating invite, or a bubble with
// the author, the message it quotes, its content, its actions (引用, 撤回) and its read state.
import { kefu } from '@kefu/proto';
import { canRecall, describeQuote, fmt, recalledText, type QuoteView } from '@kefu/sdk-core';
import type { JSX } from 'preact';
import type { Chat, ChatState } from './chat.js';
import { Content } from './content.js';
import type { Strings } from './i18n.js';
import { RatingForm } from './rating-form.js';

const { ConversationStatus, Role } = kefu.v1;

/** A quote above a bubble: the quoted author and one line; tapping it shows the original. */
export function QuoteLine(props: { t: Strings; q: QuoteView; onJump?: (id: string) => void }): JSX.Element {
  const { t, q, onJump } = props;
  const text = q.state === 'found' ? fmt(t.quoteLine, { author: q.author, text: q.snippet }) : q.snippet;
  if (q.state === 'found' && onJump)
    return (
      <button
        type="button"
        class="kefu-quote"
        data-testid="quote"
        title={t.jumpToQuote}
        onClick={() => {
          onJump(q.id);
        }}
      >
        {text}
      </button>
    );
  return (
    <div class="kefu-quote" data-testid="quote">
      {text}
    </div>
  );
}

function Actions(props: { chat: Chat; t: Strings; m: kefu.v1.IMessage; now: number }): JSX.Element {
  const { chat, t, m, now } = props;
  return (
    <span class="kefu-actions" role="group" aria-label={t.messageActions}>
      <button
        type="button"
        class="kefu-action"
        onClick={() => {
          chat.quote(m.id ?? undefined);
        }}
      >
        {t.quote}
      </button>
      {canRecall(m, now) && (
        <button
          type="button"
          class="kefu-action"
          onClick={() => {
            chat.recall(m.id ?? '');
          }}
        >
          {t.recall}
        </button>
      )}
    </span>
  );
}

export interface RowProps {
  chat: Chat;
  s: ChatState;
  t: Strings;
  m: kefu.v1.IMessage;
  /** Rating invites answered already. */
  answered: Set<string>;
  /** Now on the server's clock (recall window). */
  now: number;
  onJump: (id: string) => void;
}

export function MessageRow({ chat, s, t, m, answered, now, onJump }: RowProps): JSX.Element {
  const c = s.conversation;
  const mine = m.sender?.role === Role.ROLE_CUSTOMER;
  const id = m.id ?? '';
  if (m.recalled)
    return (
      <div class="sys" data-testid="recalled" data-id={id}>
        {recalledText(m, t)}
      </div>
    );
  const system = m.content?.system;
  if (system) {
    const code = system.code ?? '';
    return (
      <div class="sys" data-testid="notice" data-code={code} data-id={id}>
        {system.text || t.notices[code] || ''}
        {code === 'queue_reminder' && c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED && (
          <>
            {' · '}
            <button
              type="button"
              class="ib kefu-link"
              onClick={() => {
                chat.send({ text: { text: t.keepWaiting } });
              }}
            >
              {t.keepWaiting}
            </button>
          </>
        )}
      </div>
    );
  }
  const invite = m.content?.ratingInvite;
  if (invite && !mine)
    return <RatingForm chat={chat} t={t} invite={invite} done={answered.has(invite.inviteId ?? '')} />;
  const quote = describeQuote(m.quoteMessageId, s.messages, t);
  return (
    <div class={mine ? 'r me' : 'r'} data-testid="message" data-seq={String(m.seq)} data-id={id}>
      {!mine && <div class="nm">{m.sender?.name || t.title}</div>}
      {quote && <QuoteLine t={t} q={quote} onJump={onJump} />}
      <div class="kefu-line">
        <Content chat={chat} t={t} content={m.content ?? {}} />
        {id && <Actions chat={chat} t={t} m={m} now={now} />}
      </div>
      {mine && c?.agent && (
        <div class="mt" data-testid="read-state">
          {Number(m.seq) <= s.agentReadSeq ? t.read : t.unreadMark}
        </div>
      )}
    </div>
  );
}
