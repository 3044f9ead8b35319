// The scrolling message list: history paging, time dividers, messages, pending sends, typing,
// leave-a-message and ratings. Internal notes never get here (sdk-core drops `hidden` placeholders).
import { kefu } from '@kefu/proto';
import { formatMessageTime, recallDeadline, timeDividers } from '@kefu/sdk-core';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat, ChatState, PendingItem } from './chat.js';
import type { Strings } from './i18n.js';
import { LeaveMessage } from './leave-message.js';
import { MessageRow } from './message-row.js';
import { Pending } from './pending.js';
import { RatingForm } from './rating-form.js';

const { ConversationStatus, RatingScale } = kefu.v1;

type Item = { m: kefu.v1.IMessage; p?: undefined } | { p: PendingItem; m?: undefined };

/** Re-renders when the next of the customer's messages leaves its recall window (the action goes). */
function useRecallClock(chat: Chat, messages: kefu.v1.IMessage[]): number {
  const [, setTick] = useState(0);
  const now = chat.serverNow();
  const next = Math.min(...messages.map((m) => recallDeadline(m)).filter((d) => d > now));
  useEffect(() => {
    if (!Number.isFinite(next)) return;
    const timer = setTimeout(
      () => {
        setTick((n) => n + 1);
      },
      next - now + 50,
    );
    return () => {
      clearTimeout(timer);
    };
  }, [next]);
  return now;
}

export function MessageList({ chat, s, t }: { chat: Chat; s: ChatState; t: Strings }): JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const prevHeight = useRef(0);
  const prevFirst = useRef<string | undefined>(undefined);
  const prevPending = useRef(0);
  const c = s.conversation;
  const closed = c?.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
  // Leave-a-message is offered when nobody can answer: no agent online, the queue was full or timed
  // out, or robot only.
  const noAgent =
    (c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED && (c.onlineAgents ?? 0) === 0) ||
    (closed && (c.closeReason === 'queue_full' || c.closeReason === 'queue_timeout')) ||
    (c?.status === ConversationStatus.CONVERSATION_STATUS_OPEN && c.robotOnly === true);
  const [leaving, setLeaving] = useState(false);
  const now = useRecallClock(chat, s.messages);

  // Keep the view pinned to the bottom for new messages, and steady when older ones are prepended; the
  // customer's own send brings it back to the bottom.
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (s.pending.length > prevPending.current) stick.current = true;
    prevPending.current = s.pending.length;
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

  /** Shows a quoted message (when loaded) and flashes it. */
  const jump = (id: string): void => {
    const el = ref.current?.querySelector(`[data-id="${CSS.escape(id)}"]`);
    if (!el) return;
    el.scrollIntoView({ block: 'center', behavior: 'smooth' });
    el.classList.add('kefu-flash');
    setTimeout(() => {
      el.classList.remove('kefu-flash');
    }, 1_600);
  };

  // Invites answered on this device or earlier (the answer is a message in the history).
  const answered = new Set(s.rated);
  for (const m of s.messages)
    if (m.content?.ratingResult?.inviteId) answered.add(m.content.ratingResult.inviteId);
  const items: Item[] = [...s.messages.map((m) => ({ m })), ...s.pending.map((p) => ({ p }))];
  const dividers = timeDividers(items, (x) => (x.m ? (x.m.createdAtMs ?? 0) : x.p.createdAt));
  const today = Date.now();
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
      {items.map((x, i) => {
        const at = dividers.get(i);
        const key = x.m ? (x.m.id ?? String(x.m.seq)) : x.p.id;
        return [
          at !== undefined && (
            <div class="kefu-time" data-testid="time" key={`t-${key}`}>
              {formatMessageTime(at, today, t.locale)}
            </div>
          ),
          x.m ? (
            <MessageRow
              key={key}
              chat={chat}
              s={s}
              t={t}
              m={x.m}
              answered={answered}
              now={now}
              onJump={jump}
            />
          ) : (
            <Pending key={key} chat={chat} s={s} t={t} p={x.p} />
          ),
        ];
      })}
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
            class="ib kefu-link"
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
          s={s}
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
          invite={
            s.closeRating ?? {
              inviteId: s.closeInvite,
              scale: RatingScale.RATING_SCALE_FIVE_STAR,
              askSolved: true,
            }
          }
          done={false}
        />
      )}
    </div>
  );
}
