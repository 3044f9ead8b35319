// The scrolling message list: history paging, messages, pending sends, typing, leave-a-message, ratings.
import { kefu } from '@kefu/proto';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat, ChatState } from './chat.js';
import { Content } from './content.js';
import type { Strings } from './i18n.js';
import { LeaveMessage } from './leave-message.js';
import { Pending } from './pending.js';
import { RatingForm } from './rating-form.js';

const { ConversationStatus, RatingScale } = kefu.v1;

export function MessageList({ chat, s, t }: { chat: Chat; s: ChatState; t: Strings }): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const prevHeight = useRef(0);
  const prevFirst = useRef<string | undefined>(undefined);
  const c = s.conversation;
  const closed = c?.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
  // Leave-a-message is offered when nobody can answer: no agent online, the queue was full or timed
  // out, or robot only.
  const noAgent =
    (c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED && (c.onlineAgents ?? 0) === 0) ||
    (closed && (c.closeReason === 'queue_full' || c.closeReason === 'queue_timeout')) ||
    (c?.status === ConversationStatus.CONVERSATION_STATUS_OPEN && c.robotOnly === true);
  const [leaving, setLeaving] = useState(false);

  // Keep the view pinned to the bottom for new messages, and steady when older ones are prepended.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const first = s.messages[0]?.id ?? undefined;
    if (prevFirst.current && first !== prevFirst.current && !stick.current) {
      el.scrollTop += el.scrollHeight - prevHeight.current;
    } else if (stick.current) el.scrollTop = el.scrollHeight;
    prevFirst.current = first;
    prevHeight.current = el.scrollHeight;
  });

  const onScroll = (): void => {
    const el = ref.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    if (el.scrollTop < 40 && s.hasOlder && !s.loadingOlder) void chat.loadOlder();
    if (stick.current) chat.markRead();
  };

  const me = (m: kefu.v1.IMessage): boolean => m.sender?.role === kefu.v1.Role.ROLE_CUSTOMER;
  // Invites answered on this device or earlier (the answer is a message in the history).
  const answered = new Set(s.rated);
  for (const m of s.messages)
    if (m.content?.ratingResult?.inviteId) answered.add(m.content.ratingResult.inviteId);
  return (
    <div class="ls" ref={ref} onScroll={onScroll} aria-live="polite" data-testid="messages">
      {c && (
        <div class="ol">
          {s.loadingOlder ? (
            '…'
          ) : s.hasOlder ? (
            <button type="button" onClick={() => void chat.loadOlder()}>
              {t.loadOlder}
            </button>
          ) : s.messages.length > 0 ? (
            t.noOlder
          ) : null}
        </div>
      )}
      {s.messages.map((m) => {
        const mine = me(m);
        if (m.content?.system) {
          const code = m.content.system.code ?? '';
          return (
            <div class="sys" key={m.id} data-testid="notice" data-code={code}>
              {m.content.system.text || t.notices[code] || ''}
              {code === 'queue_reminder' && c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED && (
                <>
                  {' · '}
                  <button
                    type="button"
                    class="ib"
                    style="color:inherit;text-decoration:underline"
                    onClick={() => {
                      chat.sendText(t.keepWaiting);
                    }}
                  >
                    {t.keepWaiting}
                  </button>
                </>
              )}
            </div>
          );
        }
        if (m.recalled)
          return (
            <div class="sys" key={m.id}>
              {t.recalled}
            </div>
          );
        if (m.content?.ratingInvite && !mine)
          return (
            <RatingForm
              key={m.id}
              chat={chat}
              t={t}
              invite={m.content.ratingInvite}
              done={answered.has(m.content.ratingInvite.inviteId ?? '')}
            />
          );
        return (
          <div class={mine ? 'r me' : 'r'} key={m.id} data-testid="message" data-seq={String(m.seq)}>
            {!mine && <div class="nm">{m.sender?.name || t.title}</div>}
            <Content chat={chat} t={t} content={m.content ?? {}} />
            {mine && c?.agent && (
              <div class="mt" data-testid="read-state">
                {Number(m.seq) <= s.agentReadSeq ? t.read : t.unreadMark}
              </div>
            )}
          </div>
        );
      })}
      {s.pending.map((p) => (
        <Pending key={p.id} chat={chat} t={t} p={p} />
      ))}
      {s.agentTyping && (
        <div class="ty" data-testid="typing">
          {t.typing}
        </div>
      )}
      {noAgent && !leaving && (
        <div class="sys" data-testid="offer-leave-message">
          {closed || c.robotOnly ? '' : `${t.noAgent} · `}
          <button
            type="button"
            class="ib"
            style="color:inherit;text-decoration:underline"
            onClick={() => {
              setLeaving(true);
            }}
          >
            {t.leaveMessage}
          </button>
        </div>
      )}
      {leaving && (
        <LeaveMessage
          chat={chat}
          t={t}
          onDone={() => {
            setLeaving(false);
          }}
        />
      )}
      {closed && <div class="sys">{t.closedNotice}</div>}
      {s.closeInvite && !answered.has(s.closeInvite) && (
        <RatingForm
          chat={chat}
          t={t}
          invite={{ inviteId: s.closeInvite, scale: RatingScale.RATING_SCALE_FIVE_STAR, askSolved: true }}
          done={false}
        />
      )}
    </div>
  );
}
