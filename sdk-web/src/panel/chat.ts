// The panel's state and actions, independent of rendering: one customer session, its conversation,
// the message list (history over HTTP + live over MQTT, merged by seq), pending sends and uploads.
import { kefu } from '@kefu/proto';
import { createCustomerClient, SessionError, type CustomerClient, type Session } from '@kefu/sdk-core';
import { createBrowserHttp, createLocalStorage } from '../platform.js';
import { createWebSocketTransport } from '../transport/index.js';
import type { IdentitySource, OrderInput, PanelHost, ProductInput, SignedIdentity } from '../widget/types.js';
import { downscaleImage } from './image.js';
import { HttpError, imageContent, uploadWithProgress } from '../upload.js';

export { HttpError } from '../upload.js';

const { ConversationStatus } = kefu.v1;

export type ChatStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'stopped' | 'error';

export interface PendingItem {
  /** client_msg_id, or a local id while an image is still uploading. */
  id: string;
  content: kefu.v1.IContent;
  state: 'sending' | 'uploading' | 'failed';
  progress?: number;
  /** Local preview (object URL) of an image being uploaded. */
  preview?: string;
  file?: Blob;
  createdAt: number;
}

export interface OrderSummary extends OrderInput {
  order_no: string;
}

export interface ChatState {
  status: ChatStatus;
  /** A friendly error to show (identity refused, server unreachable…). */
  error?: { code: string; message: string };
  conversation?: kefu.v1.IConversationState;
  messages: kefu.v1.IMessage[];
  pending: PendingItem[];
  hasOlder: boolean;
  loadingOlder: boolean;
  agentTyping: boolean;
  /** Highest seq the agent has read. */
  agentReadSeq: number;
  unread: number;
  /** Invites answered on this device (and the at-close rating). */
  rated: string[];
  /** The at-close rating to offer, once the conversation closed. */
  closeInvite?: string;
}

type Listener = (s: ChatState) => void;

function isSigned(x: IdentitySource): x is SignedIdentity {
  return typeof x === 'object' && 'signature' in x;
}

/** Host pages are plain JavaScript: coerce what they pass. */
function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function orderStatus(n: unknown): kefu.v1.OrderStatus {
  const s = Number(n);
  const known = Number.isInteger(s) && s >= 0 && s <= 7;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- range checked above
  return known ? s : kefu.v1.OrderStatus.ORDER_STATUS_CUSTOM;
}

/** Unix ms from the host's ISO string or number. */
function toMs(v: string | number | undefined): number {
  if (typeof v === 'number') return v;
  const t = v ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : 0;
}

export function productContent(p: ProductInput): kefu.v1.IContent {
  return {
    product: {
      id: str(p.id).slice(0, 64),
      title: str(p.title).slice(0, 200),
      description: (p.description ?? '').slice(0, 1000),
      label: (p.label ?? '').slice(0, 200),
      image: p.image ?? '',
      url: p.url ?? '',
      points: p.points ?? 0,
      priceFen: p.price_fen ?? 0,
    },
  };
}

export function orderContent(o: OrderInput): kefu.v1.IContent {
  const goods = o.goods ?? [];
  return {
    order: {
      orderNo: str(o.order_no).slice(0, 64),
      status: orderStatus(o.status),
      statusText: (o.status_text ?? '').slice(0, 200),
      totalFen: Math.round(o.total_fen),
      goodsCount: o.goods_count ?? goods.length,
      items: goods.slice(0, 50).map((g) => ({ name: g.name, image: g.picture_url ?? '', qty: g.qty ?? 1 })),
      url: o.url ?? '',
      createdAtMs: toMs(o.created_at),
    },
  };
}

export class Chat {
  state: ChatState = {
    status: 'idle',
    messages: [],
    pending: [],
    hasOlder: false,
    loadingOlder: false,
    agentTyping: false,
    agentReadSeq: 0,
    unread: 0,
    rated: [],
  };
  private client: CustomerClient | undefined;
  private starting: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  /** Sends waiting for the conversation to exist. */
  private waiting: kefu.v1.IContent[] = [];
  private readonly listeners = new Set<Listener>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private lastTypingSent = 0;
  private prefix = 'kefu:v';
  private readonly server: string;

  constructor(private readonly host: PanelHost) {
    this.server = host.options.server.replace(/\/+$/, '');
  }

  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<ChatState>): void {
    this.state = { ...this.state, ...patch };
    for (const fn of this.listeners) fn(this.state);
  }

  /** Connects (once): identity first, so each user's session and outbox live under their own key. */
  start(): Promise<void> {
    this.starting ??= this.doStart().catch((err: unknown) => {
      this.starting = undefined;
      this.fail(err);
    });
    return this.starting;
  }

  private fail(err: unknown): void {
    const code = err instanceof SessionError && err.permanent ? 'identity_refused' : 'unavailable';
    const message = err instanceof Error ? err.message : String(err);
    this.set({ status: 'error', error: { code, message } });
    this.host.emit('error', { code, message });
  }

  private async fetchIdentity(): Promise<SignedIdentity | undefined> {
    const source = this.host.identity();
    if (!source) return undefined;
    if (typeof source === 'function') return source();
    if (isSigned(source)) return source;
    const res = await fetch(source.url, { credentials: 'include', headers: { accept: 'application/json' } });
    if (!res.ok)
      throw new SessionError(
        `identity endpoint answered ${String(res.status)}`,
        'identity_unavailable',
        res.status,
      );
    return (await res.json()) as SignedIdentity;
  }

  private async doStart(): Promise<void> {
    this.set({ status: 'connecting', error: undefined });
    let first = await this.fetchIdentity();
    if (first) this.prefix = `kefu:u:${first.identity.user_id}`;
    const client = createCustomerClient({
      baseUrl: this.server,
      transport: createWebSocketTransport(),
      storage: createLocalStorage(this.prefix),
      http: createBrowserHttp(),
      storagePrefix: 'c',
      ...(first
        ? {
            identify: async () => {
              const id = first ?? (await this.fetchIdentity());
              first = undefined;
              if (!id) throw new SessionError('signed out', 'signed_out', 401);
              return id;
            },
          }
        : {}),
    });
    this.client = client;
    client.on('status', (s) => {
      // Stopped by itself (not by logout): the server refused the session for good (forged identity…).
      if (s === 'stopped' && this.client === client)
        this.fail(new SessionError('session refused', 'refused', 401));
      else if (this.state.status !== 'error') this.set({ status: s });
    });
    client.on('message', (m) => {
      this.receive(m);
    });
    client.on('ack', (a) => {
      this.set({ pending: this.state.pending.filter((p) => p.id !== a.clientMsgId) });
    });
    client.on('conversation', (c) => {
      this.onState(c);
    });
    client.on('event', (e) => {
      this.onEvent(e);
    });
    client.on('typing', (t) => {
      if (t.conversationId !== this.state.conversation?.id) return;
      clearTimeout(this.typingTimer);
      this.set({ agentTyping: t.typing === true });
      if (t.typing)
        this.typingTimer = setTimeout(() => {
          this.set({ agentTyping: false });
        }, 6_000);
    });
    client.on('read', (r) => {
      if (r.conversationId === this.state.conversation?.id && r.reader?.uid !== client.uid)
        this.set({ agentReadSeq: Math.max(this.state.agentReadSeq, r.readSeq ?? 0) });
    });
    client.on('recalled', (r) => {
      this.set({
        messages: this.state.messages.map((m) =>
          m.id === r.messageId ? { ...m, recalled: true, content: null } : m,
        ),
      });
    });
    client.on('error', (e) => {
      this.host.emit('error', { code: e.code, message: e.message });
      if (e.requestId)
        this.set({
          pending: this.state.pending.map((p) => (p.id === e.requestId ? { ...p, state: 'failed' } : p)),
        });
    });
    await client.start();
    // Messages still in the outbox from an earlier page show as sending.
    this.set({
      pending: [
        ...this.state.pending,
        ...client.pending().map((o) => ({
          id: o.id,
          content: o.content,
          state: 'sending' as const,
          createdAt: o.createdAt,
        })),
      ],
    });
  }

  /** Opens (or returns to) the conversation; history is loaded from the last seen seq backwards. */
  open(): Promise<void> {
    this.opening ??= (async () => {
      await this.start();
      const client = this.client;
      if (!client || this.state.status === 'error') return;
      await waitOnline(client);
      const o = this.host.options;
      const state = await client.open({
        channel: o.channel ?? 'web',
        entryUrl: location.href.slice(0, 2048),
        entryTitle: document.title.slice(0, 200),
        groupId: o.groupId ?? '',
        agentUid: o.agentUid ?? '',
        strict: o.strict === true,
        attributes: this.host.attributes(),
      });
      this.onState(state);
      await this.loadOlder();
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private onState(c: kefu.v1.IConversationState): void {
    const current = this.state.conversation;
    if (current?.id && c.id !== current.id && c.status === ConversationStatus.CONVERSATION_STATUS_CLOSED)
      return;
    const reads = (c.reads ?? []).filter((r) => r.uid !== this.client?.uid);
    const agentReadSeq = Math.max(0, ...reads.map((r) => r.readSeq ?? 0));
    const newConversation = current?.id !== c.id;
    this.set({
      conversation: c,
      agentReadSeq: newConversation ? agentReadSeq : Math.max(this.state.agentReadSeq, agentReadSeq),
      ...(newConversation
        ? { messages: this.state.messages.filter((m) => m.conversationId === c.id), hasOlder: true }
        : {}),
    });
    const closed = c.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
    this.host.setActive(!closed);
    if (closed && c.id && !this.state.rated.includes(`close:${c.id}`))
      this.set({ closeInvite: `close:${c.id}` });
    if (c.status === ConversationStatus.CONVERSATION_STATUS_QUEUED)
      this.host.emit('queue', { position: c.queuePosition ?? 0, estimatedWaitMs: c.estimatedWaitMs ?? 0 });
    if (c.id && !closed) this.flushWaiting(c.id);
  }

  private onEvent(e: kefu.v1.IConversationEvent): void {
    if (e.assigned?.agent) {
      this.host.emit('assigned', { uid: e.assigned.agent.uid ?? '', name: e.assigned.agent.name ?? '' });
      const c = this.state.conversation;
      if (c?.id === e.conversationId)
        this.set({
          conversation: {
            ...c,
            status: ConversationStatus.CONVERSATION_STATUS_OPEN,
            agent: e.assigned.agent,
          },
        });
    }
    if (e.queued) {
      const c = this.state.conversation;
      if (c?.id === e.conversationId)
        this.set({
          conversation: { ...c, queuePosition: e.queued.position, estimatedWaitMs: e.queued.estimatedWaitMs },
        });
      this.host.emit('queue', {
        position: e.queued.position ?? 0,
        estimatedWaitMs: e.queued.estimatedWaitMs ?? 0,
      });
    }
    if (e.closed) {
      const c = this.state.conversation;
      if (c && c.id === e.conversationId) {
        const invite = `close:${c.id ?? ''}`;
        this.set({
          conversation: { ...c, status: ConversationStatus.CONVERSATION_STATUS_CLOSED },
          ...(this.state.rated.includes(invite) ? {} : { closeInvite: invite }),
        });
      }
      this.host.setActive(false);
    }
  }

  /** Called for every new message (the panel uses it for sound and the tab title). */
  onIncoming(fn: (m: kefu.v1.IMessage) => void): () => void {
    this.incoming.add(fn);
    return () => this.incoming.delete(fn);
  }
  private readonly incoming = new Set<(m: kefu.v1.IMessage) => void>();

  private receive(m: kefu.v1.IMessage): void {
    if (m.hidden) return;
    const list = this.state.messages;
    if (list.some((x) => x.id === m.id)) return;
    const messages = insertBySeq(list, m);
    const mine = m.sender?.uid === this.client?.uid;
    const pending = mine ? this.state.pending.filter((p) => p.id !== m.clientMsgId) : this.state.pending;
    const visible = this.host.isOpen() && document.visibilityState === 'visible';
    const unread = !mine && !visible ? this.state.unread + 1 : this.state.unread;
    this.set({ messages, pending, unread, ...(mine ? {} : { agentTyping: false }) });
    if (unread !== this.state.unread || !mine) this.host.setUnread(unread);
    this.host.emit('message', m);
    for (const fn of this.incoming) fn(m);
    if (visible) this.markRead();
  }

  /** Loads the page of history before the oldest message shown (HTTP, infinite scroll upwards). */
  async loadOlder(): Promise<void> {
    const c = this.state.conversation;
    if (!c?.id || this.state.loadingOlder || !this.client) return;
    const oldest = this.state.messages.find((m) => m.conversationId === c.id);
    const before = oldest ? Number(oldest.seq) : (c.lastSeq ?? 0) + 1;
    if (before <= 1) {
      this.set({ hasOlder: false });
      return;
    }
    this.set({ loadingOlder: true });
    try {
      const body = await this.api<{ messages: kefu.v1.IMessage[]; has_more: boolean }>(
        'GET',
        `/api/v1/conversations/${encodeURIComponent(c.id)}/messages?before_seq=${String(before)}&limit=30`,
      );
      let messages = this.state.messages;
      for (const m of body.messages)
        if (!m.hidden && !messages.some((x) => x.id === m.id)) messages = insertBySeq(messages, m);
      this.set({ messages, hasOlder: body.has_more });
    } catch (err) {
      this.host.emit('error', { code: 'history_failed', message: String(err) });
    } finally {
      this.set({ loadingOlder: false });
    }
  }

  /** JSON over HTTP with the session's bearer token. */
  async api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const session = await this.session();
    const res = await fetch(`${this.server}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${session.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    const json = (text ? JSON.parse(text) : {}) as T & { error?: string };
    if (!res.ok) throw new HttpError(res.status, json.error ?? `HTTP ${String(res.status)}`);
    return json;
  }

  session(): Promise<Session> {
    if (!this.client) return Promise.reject(new Error('not started'));
    return this.client.sessions.current();
  }

  send(content: kefu.v1.IContent): void {
    const id = this.state.conversation?.id;
    const closed = this.state.conversation?.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
    if (!id || closed) {
      this.waiting.push(content);
      void this.open();
      return;
    }
    void this.sendNow(id, content);
  }

  private async sendNow(conversationId: string, content: kefu.v1.IContent): Promise<void> {
    const client = this.client;
    if (!client) return;
    const id = await client.send(conversationId, content);
    if (
      !this.state.messages.some((m) => m.clientMsgId === id) &&
      !this.state.pending.some((p) => p.id === id)
    )
      this.set({
        pending: [...this.state.pending, { id, content, state: 'sending', createdAt: Date.now() }],
      });
    this.typing(false);
  }

  private flushWaiting(conversationId: string): void {
    const list = this.waiting;
    this.waiting = [];
    for (const content of list) void this.sendNow(conversationId, content);
  }

  sendText(text: string): void {
    const t = text.trim();
    if (t) this.send({ text: { text: t.slice(0, 5000) } });
  }
  sendProduct(p: ProductInput): void {
    this.send(productContent(p));
  }
  sendOrder(o: OrderInput): void {
    this.send(orderContent(o));
  }

  /** Downscales in the browser, uploads over HTTP with progress, then sends the image message. */
  async sendImage(file: Blob, retryId?: string): Promise<void> {
    const localId = retryId ?? `up-${String(Date.now())}-${String(Math.random()).slice(2, 8)}`;
    const preview = URL.createObjectURL(file);
    const item: PendingItem = {
      id: localId,
      content: { image: {} },
      state: 'uploading',
      progress: 0,
      preview,
      file,
      createdAt: Date.now(),
    };
    this.set({ pending: [...this.state.pending.filter((p) => p.id !== localId), item] });
    const update = (patch: Partial<PendingItem>): void => {
      this.set({ pending: this.state.pending.map((p) => (p.id === localId ? { ...p, ...patch } : p)) });
    };
    try {
      if (!this.state.conversation?.id) await this.open();
      const conversationId = this.state.conversation?.id;
      if (!conversationId) throw new Error('no conversation');
      const small = await downscaleImage(file, 1600);
      const session = await this.session();
      const up = await uploadWithProgress(
        `${this.server}/api/v1/uploads?conversation_id=${encodeURIComponent(conversationId)}&kind=image`,
        session.token,
        small,
        (p) => {
          update({ progress: p });
        },
      );
      this.set({ pending: this.state.pending.filter((p) => p.id !== localId) });
      URL.revokeObjectURL(preview);
      this.rememberSigned(up.upload_id, up.signed_url, up.signed_thumbnail_url);
      this.send(imageContent(up));
    } catch (err) {
      update({ state: 'failed' });
      this.host.emit('error', { code: 'upload_failed', message: String(err) });
    }
  }

  retry(id: string): void {
    const item = this.state.pending.find((p) => p.id === id);
    if (item?.file) void this.sendImage(item.file, id);
  }

  private readonly signed = new Map<string, { url: string; thumb: string; until: number }>();

  private rememberSigned(id: string, url: string, thumb: string | undefined): void {
    this.signed.set(id, { url, thumb: thumb ?? url, until: Date.now() + 3_600_000 });
  }

  /** A displayable URL for an upload (signed: <img> cannot send the bearer token). */
  async mediaUrl(uploadId: string, thumbnail: boolean): Promise<string> {
    let s = this.signed.get(uploadId);
    if (!s || s.until < Date.now()) {
      const body = await this.api<{ signed_url: string; signed_thumbnail_url?: string }>(
        'GET',
        `/api/v1/uploads/${encodeURIComponent(uploadId)}/signed`,
      );
      this.rememberSigned(uploadId, body.signed_url, body.signed_thumbnail_url);
      s = this.signed.get(uploadId);
    }
    const path = thumbnail ? (s?.thumb ?? '') : (s?.url ?? '');
    return /^https?:/.test(path) ? path : `${this.server}${path}`;
  }

  absolute(url: string): string {
    return url.startsWith('/') ? `${this.server}${url}` : url;
  }

  typing(on = true): void {
    const id = this.state.conversation?.id;
    if (!id || !this.client || this.client.status !== 'online') return;
    const now = Date.now();
    if (on && now - this.lastTypingSent < 3_000) return;
    this.lastTypingSent = on ? now : 0;
    void this.client.typing(id, on).catch(() => undefined);
  }

  /** Everything shown is read: tell the server (agents see 已读) and clear the badge. */
  markRead(): void {
    // Only what the customer can see counts (the list also scrolls while the panel is hidden).
    if (!this.host.isOpen() || document.visibilityState !== 'visible') return;
    const c = this.state.conversation;
    const last = this.state.messages.at(-1);
    if (this.state.unread) {
      this.set({ unread: 0 });
      this.host.setUnread(0);
    }
    if (!c?.id || !last || !this.client || this.client.status !== 'online') return;
    void this.client.markRead(c.id, Number(last.seq)).catch(() => undefined);
  }

  rate(result: kefu.v1.IRatingResult): void {
    const c = this.state.conversation;
    if (!c?.id || !result.inviteId) return;
    void this.client?.send(c.id, { ratingResult: result });
    this.set({
      rated: [...this.state.rated, result.inviteId],
      ...(this.state.closeInvite === result.inviteId ? { closeInvite: undefined } : {}),
    });
  }

  endChat(): void {
    const c = this.state.conversation;
    if (c?.id && this.client) void this.client.close(c.id, 'customer ended the chat').catch(() => undefined);
  }

  /** A new conversation after the last one closed. */
  restart(): void {
    this.set({ conversation: undefined, messages: [], closeInvite: undefined, hasOlder: false });
    void this.open();
  }

  async orders(): Promise<OrderSummary[]> {
    const body = await this.api<{ orders: OrderSummary[] }>('GET', '/api/v1/sdk/mall/orders?limit=10');
    return body.orders;
  }

  async leaveMessage(form: {
    name?: string;
    phone?: string;
    email?: string;
    content: string;
  }): Promise<void> {
    await this.api('POST', '/api/v1/sdk/leave-messages', {
      ...form,
      ...(this.state.conversation?.id ? { conversation_id: this.state.conversation.id } : {}),
      page_url: location.href.slice(0, 2048),
      page_title: document.title.slice(0, 200),
    });
  }

  /** Disconnects and forgets this device's session, outbox and seq positions. */
  async logout(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (!client) return;
    await client.stop();
    await client.sessions.logout().catch(() => undefined);
    try {
      for (let i = localStorage.length - 1; i >= 0; i -= 1) {
        const key = localStorage.key(i);
        if (key?.startsWith(this.prefix)) localStorage.removeItem(key);
      }
    } catch {
      // Storage unavailable: nothing was persisted.
    }
  }
}

function insertBySeq(list: kefu.v1.IMessage[], m: kefu.v1.IMessage): kefu.v1.IMessage[] {
  const seq = Number(m.seq);
  let i = list.length;
  while (i > 0 && Number(list[i - 1]?.seq) > seq) i -= 1;
  return [...list.slice(0, i), m, ...list.slice(i)];
}

function waitOnline(client: CustomerClient): Promise<void> {
  if (client.status === 'online') return Promise.resolve();
  return new Promise((resolve) => {
    const off = client.on('status', (s) => {
      if (s === 'online') {
        off();
        resolve();
      }
    });
  });
}
