import { kefu } from '@kefu/proto';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat, ChatState, OrderSummary, PendingItem } from './chat.js';
import { orderContent } from './chat.js';
import { fmt, type Strings } from './i18n.js';

const { ConversationStatus, RatingScale, Solved } = kefu.v1;

const EMOJI =
  '😀 😁 😂 🤣 😊 😍 😘 😎 🤔 😅 😭 😡 😱 😴 🙄 😏 👍 👎 👏 🙏 💪 👌 ✌️ 🤝 ❤️ 💔 🎉 🎁 🔥 ⭐ ✅ ❌ ❓ ❗ 💯 🌹 ☕ 🍉 📦 🚚 💰 🧧 📱 💳 🕐 👀 🙂 😢'.split(
    ' ',
  );

export interface AppProps {
  chat: Chat;
  t: Strings;
  title: string;
  onClose: () => void;
}

function useChat(chat: Chat): ChatState {
  const [state, setState] = useState(chat.state);
  useEffect(() => chat.subscribe(setState), [chat]);
  return state;
}

const yuan = (fen: number): string => (fen / 100).toFixed(2);

export function App({ chat, t, title, onClose }: AppProps): JSX.Element {
  const s = useChat(chat);
  const c = s.conversation;
  const queued = c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED;
  const closed = c?.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
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
            onClick={() => {
              chat.endChat();
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
        <Composer chat={chat} t={t} disabled={s.status === 'error'} />
      )}
    </div>
  );
}

function MessageList({ chat, s, t }: { chat: Chat; s: ChatState; t: Strings }): JSX.Element {
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

function Pending({ chat, t, p }: { chat: Chat; t: Strings; p: PendingItem }): JSX.Element {
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

function Media({
  chat,
  id,
  url,
  thumb,
  kind,
  t,
}: {
  chat: Chat;
  id: string;
  url: string;
  thumb: boolean;
  kind: 'img' | 'audio' | 'a';
  t: Strings;
}): JSX.Element {
  const [src, setSrc] = useState<string | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    const load = id ? chat.mediaUrl(id, thumb) : Promise.resolve(chat.absolute(url));
    load.then(
      (u) => {
        if (live) setSrc(u);
      },
      () => {
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [id, url]);
  if (failed) return <span>{t.failedLoad}</span>;
  // Voice clips are small server-converted MP3s: load their header so the controls show the length.
  if (kind === 'audio') return <audio controls src={src} preload="metadata" />;
  if (kind === 'a')
    return (
      <a href={src} target="_blank" rel="noopener noreferrer">
        {url}
      </a>
    );
  const open = (): void => {
    void chat.mediaUrl(id, false).then((u) => window.open(u, '_blank', 'noopener'));
  };
  return <img class="im" src={src} alt={t.image} onClick={open} />;
}

function Content({ chat, t, content }: { chat: Chat; t: Strings; content: kefu.v1.IContent }): JSX.Element {
  if (content.text) return <div class="bb">{content.text.text}</div>;
  if (content.image)
    return (
      <Media
        chat={chat}
        t={t}
        kind="img"
        id={content.image.uploadId ?? ''}
        url={content.image.thumbnailUrl || content.image.url || ''}
        thumb
      />
    );
  if (content.sticker)
    return content.sticker.url ? (
      <img class="im" src={chat.absolute(content.sticker.url)} alt={content.sticker.alt ?? ''} />
    ) : (
      <div class="bb">{content.sticker.alt}</div>
    );
  if (content.voice)
    return (
      <Media
        chat={chat}
        t={t}
        kind="audio"
        id={content.voice.uploadId ?? ''}
        url={content.voice.url ?? ''}
        thumb={false}
      />
    );
  if (content.file)
    return (
      <div class="bb">
        📎 {content.file.name}{' '}
        <Media chat={chat} t={t} kind="a" id={content.file.uploadId ?? ''} url={t.file} thumb={false} />
      </div>
    );
  if (content.product) {
    const p = content.product;
    return (
      <a
        class="bb cd"
        href={p.url || undefined}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="product-card"
      >
        {p.image && <img src={chat.absolute(p.image)} alt="" />}
        <span>
          <b>{p.title}</b>
          <span class="lb">
            {p.label || (p.points ? `${String(p.points)} 积分` : p.priceFen ? `¥${yuan(p.priceFen)}` : '')}
          </span>
        </span>
      </a>
    );
  }
  if (content.order) {
    const o = content.order;
    const items = o.items ?? [];
    return (
      <a
        class="bb cd oc"
        style="display:block"
        href={o.url || undefined}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="order-card"
      >
        <span class="ohd">
          <span>
            {t.order} {o.orderNo}
          </span>
          <span class="ost">{o.statusText || t.orderStatus[o.status ?? 0]}</span>
        </span>
        <span class="gs">
          {items.slice(0, 4).map((g, i) => (
            <img key={i} src={chat.absolute(g.image ?? '')} alt={g.name ?? ''} />
          ))}
        </span>
        <span class="sub">
          {items[0]?.name} · {fmt(t.goodsCount, { n: o.goodsCount || items.length })} ·{' '}
          {fmt(t.total, { v: yuan(o.totalFen ?? 0) })}
        </span>
      </a>
    );
  }
  if (content.botReply) {
    const b = content.botReply;
    return (
      <div class="bb bot">
        {b.text}
        {(b.sources ?? []).length > 0 && (
          <div class="src">
            {t.sources}:
            {(b.sources ?? []).map((src, i) => (
              <a key={i} href={src.url || undefined} target="_blank" rel="noopener noreferrer">
                {src.title}
              </a>
            ))}
          </div>
        )}
        {(b.suggestions ?? []).length > 0 && (
          <div class="sg">
            {(b.suggestions ?? []).map((q) => (
              <button
                type="button"
                key={q}
                onClick={() => {
                  chat.sendText(q);
                }}
              >
                {q}
              </button>
            ))}
          </div>
        )}
      </div>
    );
  }
  if (content.ratingResult) {
    const r = content.ratingResult;
    return (
      <div class="bb">
        {r.declined
          ? t.rateDecline
          : `${t.rateThanks} ${r.scale === RatingScale.RATING_SCALE_FIVE_STAR ? '★'.repeat(r.score ?? 0) : String(r.score ?? 0)}`}
      </div>
    );
  }
  if (content.ratingInvite) return <div class="bb">{t.rateTitle}</div>;
  if (content.call) return <div class="bb">{t.call}</div>;
  return <div class="bb">{t.notSupported}</div>;
}

function RatingForm({
  chat,
  t,
  invite,
  done,
}: {
  chat: Chat;
  t: Strings;
  invite: kefu.v1.IRatingInvite;
  done: boolean;
}): JSX.Element {
  const scale = invite.scale || RatingScale.RATING_SCALE_FIVE_STAR;
  const [score, setScore] = useState<number | undefined>(undefined);
  const [tags, setTags] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [solved, setSolved] = useState<kefu.v1.Solved>(Solved.SOLVED_UNSPECIFIED);
  const [error, setError] = useState('');
  if (done) return <div class="sys">{t.rateThanks}</div>;
  const option = (invite.options ?? []).find((o) => o.score === score);
  const submit = (declined: boolean): void => {
    if (!declined) {
      if (score === undefined) {
        setError(t.rateTitle);
        return;
      }
      if (option?.tagRequired && tags.length === 0) {
        setError(t.rateTitle);
        return;
      }
      if (option?.commentRequired && !comment.trim()) {
        setError(t.comment);
        return;
      }
    }
    chat.rate({
      inviteId: invite.inviteId ?? '',
      scale,
      score: declined ? 0 : (score ?? 0),
      tags,
      comment: comment.trim().slice(0, 1000),
      solved,
      declined,
    });
  };
  return (
    <form
      class="fm"
      data-testid="rating"
      onSubmit={(e) => {
        e.preventDefault();
        submit(false);
      }}
    >
      <h3>{invite.prompt || t.rateTitle}</h3>
      <p>{t.ratePrompt}</p>
      {scale === RatingScale.RATING_SCALE_FIVE_STAR && (
        <div class="sts" role="radiogroup" aria-label={t.rateTitle}>
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              type="button"
              key={n}
              class={score !== undefined && n <= score ? 'st on' : 'st'}
              role="radio"
              aria-checked={score === n}
              aria-label={t.stars[n - 1]}
              title={t.stars[n - 1]}
              onClick={() => {
                setScore(n);
              }}
            >
              ★
            </button>
          ))}
        </div>
      )}
      {scale === RatingScale.RATING_SCALE_NPS && (
        <div>
          <div class="nps" role="radiogroup">
            {Array.from({ length: 11 }, (_, n) => (
              <button
                type="button"
                key={n}
                class={score === n ? 'on' : ''}
                role="radio"
                aria-checked={score === n}
                onClick={() => {
                  setScore(n);
                }}
              >
                {n}
              </button>
            ))}
          </div>
          <div class="two" style="justify-content:space-between">
            <span>{t.npsLow}</span>
            <span>{t.npsHigh}</span>
          </div>
        </div>
      )}
      {scale === RatingScale.RATING_SCALE_TWO_LEVEL && (
        <div class="two" role="radiogroup">
          <button
            type="button"
            class={score === 1 ? 'on' : ''}
            role="radio"
            aria-checked={score === 1}
            onClick={() => {
              setScore(1);
            }}
          >
            👍 {t.satisfied}
          </button>
          <button
            type="button"
            class={score === 0 ? 'on' : ''}
            role="radio"
            aria-checked={score === 0}
            onClick={() => {
              setScore(0);
            }}
          >
            👎 {t.unsatisfied}
          </button>
        </div>
      )}
      {option && (option.tags ?? []).length > 0 && (
        <div class="tags">
          {(option.tags ?? []).map((tag) => (
            <button
              type="button"
              key={tag}
              class={tags.includes(tag) ? 'on' : ''}
              aria-pressed={tags.includes(tag)}
              onClick={() => {
                setTags(tags.includes(tag) ? tags.filter((x) => x !== tag) : [...tags, tag]);
              }}
            >
              {tag}
            </button>
          ))}
        </div>
      )}
      {invite.askSolved && (
        <div class="sv">
          {t.solvedQ}
          <button
            type="button"
            class={solved === Solved.SOLVED_YES ? 'on' : ''}
            aria-pressed={solved === Solved.SOLVED_YES}
            onClick={() => {
              setSolved(Solved.SOLVED_YES);
            }}
          >
            {t.yes}
          </button>
          <button
            type="button"
            class={solved === Solved.SOLVED_NO ? 'on' : ''}
            aria-pressed={solved === Solved.SOLVED_NO}
            onClick={() => {
              setSolved(Solved.SOLVED_NO);
            }}
          >
            {t.no}
          </button>
        </div>
      )}
      <label>
        {t.comment}
        <textarea
          rows={2}
          maxLength={1000}
          value={comment}
          onInput={(e) => {
            setComment(e.currentTarget.value);
          }}
        />
      </label>
      {error && <div class="err">{error}</div>}
      <div class="row">
        <button
          type="button"
          class="btn g"
          onClick={() => {
            submit(true);
          }}
        >
          {t.rateDecline}
        </button>
        <button type="submit" class="btn">
          {t.rateSubmit}
        </button>
      </div>
    </form>
  );
}

function LeaveMessage({ chat, t, onDone }: { chat: Chat; t: Strings; onDone: () => void }): JSX.Element {
  const [form, setForm] = useState({ name: '', phone: '', email: '', content: '' });
  const [state, setState] = useState<'edit' | 'busy' | 'done'>('edit');
  const [error, setError] = useState('');
  if (state === 'done')
    return (
      <div class="sys" data-testid="leave-done">
        {t.leaveDone}
      </div>
    );
  const field = (k: keyof typeof form, label: string, mode: 'text' | 'tel' | 'email' = 'text') => (
    <label>
      {label}
      <input
        type="text"
        inputMode={mode}
        name={k}
        value={form[k]}
        maxLength={k === 'email' ? 254 : 64}
        onInput={(e) => {
          setForm({ ...form, [k]: e.currentTarget.value });
        }}
      />
    </label>
  );
  const submit = async (): Promise<void> => {
    setState('busy');
    setError('');
    try {
      const body = Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== '')) as typeof form;
      await chat.leaveMessage(body);
      setState('done');
      setTimeout(onDone, 4_000);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setState('edit');
    }
  };
  return (
    <form
      class="fm"
      data-testid="leave-message"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{t.leaveTitle}</h3>
      {field('name', t.name)}
      {field('phone', t.phone, 'tel')}
      {field('email', t.email, 'email')}
      <label>
        {t.content}
        <textarea
          rows={3}
          required
          maxLength={2000}
          value={form.content}
          onInput={(e) => {
            setForm({ ...form, content: e.currentTarget.value });
          }}
        />
      </label>
      {error && (
        <div class="err" role="alert">
          {error}
        </div>
      )}
      <div class="row">
        <button type="submit" class="btn" disabled={state === 'busy' || !form.content.trim()}>
          {t.submit}
        </button>
      </div>
    </form>
  );
}

function Composer({ chat, t, disabled }: { chat: Chat; t: Strings; disabled: boolean }): JSX.Element {
  const [text, setText] = useState('');
  const [tool, setTool] = useState<'' | 'emoji' | 'orders'>('');
  const [orders, setOrders] = useState<OrderSummary[] | undefined>(undefined);
  const [ordersError, setOrdersError] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const send = (): void => {
    if (!text.trim()) return;
    chat.sendText(text);
    setText('');
    input.current?.focus();
  };
  const toggleOrders = (): void => {
    if (tool === 'orders') {
      setTool('');
      return;
    }
    setTool('orders');
    setOrdersError(false);
    chat.orders().then(setOrders, () => {
      setOrdersError(true);
    });
  };
  return (
    <div class="cp">
      {tool === 'emoji' && (
        <div class="em" role="listbox" aria-label={t.emoji}>
          {EMOJI.map((e) => (
            <button
              type="button"
              key={e}
              aria-label={e}
              onClick={() => {
                setText(text + e);
                input.current?.focus();
              }}
            >
              {e}
            </button>
          ))}
        </div>
      )}
      {tool === 'orders' && (
        <div class="pk" aria-label={t.pickOrder} data-testid="order-picker">
          {ordersError
            ? t.failedLoad
            : !orders
              ? '…'
              : orders.length === 0
                ? t.ordersEmpty
                : orders.map((o) => (
                    <button
                      type="button"
                      key={o.order_no}
                      onClick={() => {
                        chat.send(orderContent(o));
                        setTool('');
                      }}
                    >
                      <Content chat={chat} t={t} content={orderContent(o)} />
                    </button>
                  ))}
        </div>
      )}
      <div class="tbs">
        <button
          type="button"
          class="tb"
          aria-label={t.emoji}
          title={t.emoji}
          aria-expanded={tool === 'emoji'}
          onClick={() => {
            setTool(tool === 'emoji' ? '' : 'emoji');
          }}
        >
          😊
        </button>
        <button
          type="button"
          class="tb"
          aria-label={t.image}
          title={t.image}
          onClick={() => file.current?.click()}
        >
          🖼️
        </button>
        <button type="button" class="tb t" aria-expanded={tool === 'orders'} onClick={toggleOrders}>
          {t.orders}
        </button>
        <input
          ref={file}
          type="file"
          accept="image/*"
          class="vh"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="image-input"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) void chat.sendImage(f);
            e.currentTarget.value = '';
          }}
        />
      </div>
      <div class="in">
        <textarea
          ref={input}
          rows={1}
          aria-label={t.placeholder}
          placeholder={t.placeholder}
          value={text}
          disabled={disabled}
          maxLength={5000}
          onInput={(e) => {
            setText(e.currentTarget.value);
            chat.typing(true);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="button" class="btn" disabled={disabled || !text.trim()} onClick={send}>
          {t.send}
        </button>
      </div>
    </div>
  );
}
