// The open panel: header (title, agent or queue status, end chat — after a confirmation — and close),
// connection banner, the message list, the composer, notices, and files pasted or dropped anywhere on it.
import { kefu } from '@kefu/proto';
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat, ChatState } from './chat.js';
import { Composer } from './composer.js';
import { ConfirmDialog } from './confirm-dialog.js';
import { useFileDrop } from './file-drop.js';
import { useChat } from './hooks.js';
import { fmt, type Strings } from './i18n.js';
import { MessageList } from './message-list.js';

const { ConversationStatus } = kefu.v1;

export interface AppProps {
  chat: Chat;
  t: Strings;
  title: string;
  onClose: () => void;
}

const NOTICE_MS = 4_000;

/** The chat's latest notice (a refused recall) for a few seconds. */
function Notice({ s, t }: { s: ChatState; t: Strings }): JSX.Element | null {
  const [shown, setShown] = useState(0);
  const at = s.notice?.at ?? 0;
  useEffect(() => {
    if (!at) return;
    setShown(at);
    const timer = setTimeout(() => {
      setShown(0);
    }, NOTICE_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [at]);
  if (!shown || s.notice?.code !== 'recall_failed') return null;
  return (
    <div class="kefu-toast" role="status" data-testid="notice-toast">
      {t.recallFailed}
    </div>
  );
}

export function App({ chat, t, title, onClose }: AppProps): JSX.Element {
  const s = useChat(chat);
  const [confirming, setConfirming] = useState(false);
  const c = s.conversation;
  const queued = c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED;
  const closed = c?.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
  const drop = useFileDrop(chat, !closed && s.status !== 'error');
  let sub = '';
  if (c?.agent?.name && c.status === ConversationStatus.CONVERSATION_STATUS_OPEN)
    sub = fmt(t.serving, { name: c.agent.name });
  else if (queued && (c.onlineAgents ?? 0) > 0)
    sub =
      fmt(t.queued, { n: Math.max(0, (c.queuePosition ?? 1) - 1) }) +
      (c.estimatedWaitMs ? fmt(t.queuedWait, { m: Math.ceil(c.estimatedWaitMs / 60_000) }) : '');
  else if (queued) sub = t.noAgent;
  return (
    <div
      class="w"
      role="dialog"
      aria-label={title}
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
      {...drop.handlers}
    >
      <div class="hd">
        <h2>
          {title}
          {sub && <small data-testid="status">{sub}</small>}
        </h2>
        {c && !closed && (
          <button
            type="button"
            class="ib"
            aria-haspopup="dialog"
            onClick={() => {
              setConfirming(true);
            }}
          >
            {t.endChat}
          </button>
        )}
        <button type="button" class="ib" aria-label={t.close} onClick={onClose}>
          ✕
        </button>
      </div>
      {s.status === 'error' ? (
        <div class="bn e" role="alert" data-testid="error">
          {s.error?.code === 'identity_refused' ? t.identityRefused : t.unavailable}
        </div>
      ) : s.status === 'offline' ? (
        <div class="bn" role="status" data-testid="offline">
          {t.reconnecting}
        </div>
      ) : s.status === 'connecting' || s.status === 'idle' ? (
        <div class="bn" role="status">
          {t.connecting}
        </div>
      ) : null}
      <MessageList chat={chat} s={s} t={t} />
      {closed ? (
        <div class="cp">
          <div class="row">
            <button
              type="button"
              class="btn"
              onClick={() => {
                chat.restart();
              }}
            >
              {t.newChat}
            </button>
          </div>
        </div>
      ) : (
        <Composer chat={chat} s={s} t={t} disabled={s.status === 'error'} />
      )}
      <Notice s={s} t={t} />
      {drop.dragging && (
        <div class="kefu-drop" aria-hidden="true">
          {t.dropHint}
        </div>
      )}
      {confirming && !closed && (
        <ConfirmDialog
          title={t.confirmEndTitle}
          text={t.confirmEndText}
          confirmLabel={t.endChat}
          cancelLabel={t.cancel}
          onConfirm={() => {
            setConfirming(false);
            chat.endChat();
          }}
          onCancel={() => {
            setConfirming(false);
          }}
        />
      )}
    </div>
  );
}
