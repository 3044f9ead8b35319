// A customer chat UI's state and actions, independent of rendering and of the platform: one customer
// session, its conversation, the message list (history over HTTP + live over MQTT, merged by seq), pending
// sends and uploads. The web widget's panel and the mini-program component both draw this state.
import { kefu } from '@kefu/proto';
import { createCustomerClient, type CustomerClient, type SignedIdentity } from '../customer-client.js';
import type { Http } from '../http.js';
import { SessionError, type Session } from '../session.js';
import type { KeyValueStorage } from '../storage.js';
import type { Transport } from '../transport/types.js';
import {
  HttpError,
  httpError,
  imageContent,
  orderContent,
  productContent,
  voiceContent,
  type OrderInput,
  type ProductInput,
  type UploadKind,
  type UploadResult,
} from './cards.js';

const { ConversationStatus } = kefu.v1;

export type ChatStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'stopped' | 'error';

/** A message on its way: being uploaded, published (until its ack), or failed. */
export interface PendingItem<F = unknown> {
  /** client_msg_id, or a local id while a file is still uploading. */
  id: string;
  content: kefu.v1.IContent;
  state: 'sending' | 'uploading' | 'failed';
  progress?: number;
  /** Local preview (object URL, temp file path) of a file being uploaded. */
  preview?: string;
  /** What to upload again on retry. */
  file?: F;
  kind?: UploadKind;
  createdAt: number;
}

export interface OrderSummary extends OrderInput {
  order_no: string;
}

export interface ChatState<F = unknown> {
  status: ChatStatus;
  /** A friendly error to show (identity refused, server unreachable…). */
  error?: { code: string; message: string };
  conversation?: kefu.v1.IConversationState;
  messages: kefu.v1.IMessage[];
  pending: PendingItem<F>[];
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

/** What the chat tells its embedding (the widget's or the component's events). */
export interface ChatEvents {
  message: [kefu.v1.IMessage];
  queue: [{ position: number; estimatedWaitMs: number }];
  assigned: [{ uid: string; name: string }];
  error: [{ code: string; message: string }];
}

/** The runtime's pieces: network, storage, files. */
export interface ChatPlatform<F> {
  createTransport(): Transport;
  /** Durable storage whose keys all start with `prefix` (one namespace per user on the device). */
  createStorage(prefix: string): KeyValueStorage;
  /** Forgets everything stored under `prefix` (logout). */
  clearStorage(prefix: string): Promise<void>;
  http: Http;
  /** Uploads one file (multipart `file` to `url`, bearer `token`), reporting progress 0…1. */
  upload(request: {
    url: string;
    token: string;
    kind: UploadKind;
    file: F;
    onProgress: (fraction: number) => void;
  }): Promise<UploadResult>;
  /** Prepares an image before upload (downscaling); default as is. */
  prepareImage?(file: F): Promise<F>;
  /** A local preview of a file, and its release. */
  preview?(file: F): string;
  releasePreview?(preview: string): void;
}

/** The embedding: routing hints, identity, where the customer is, and what to tell it. */
export interface ChatHost {
  readonly server: string;
  readonly channel: string;
  readonly groupId?: string;
  readonly agentUid?: string;
  readonly strict?: boolean;
  /** The signed identity (fetched again whenever a new session is needed); none: a visitor. */
  identity(): Promise<SignedIdentity | undefined>;
  attributes(): Record<string, string>;
  /** The page the customer chats from (sent with the conversation and with left messages). */
  page(): { url: string; title: string };
  /** Whether the customer can see the chat right now (unread counting, read receipts). */
  visible(): boolean;
  emit<K extends keyof ChatEvents>(event: K, ...args: ChatEvents[K]): void;
  setUnread(count: number): void;
  /** Whether a conversation is active (the web loader then loads the panel at page load). */
  setActive(active: boolean): void;
}

type Listener<F> = (s: ChatState<F>) => void;

/** The state before anything happened (also what a UI draws before its chat exists). */
export function initialChatState<F = unknown>(): ChatState<F> {
  return {
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
}

export class CustomerChat<F = unknown> {
  state: ChatState<F> = initialChatState();
  private client: CustomerClient | undefined;
  private starting: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  /** Sends waiting for the conversation to exist. */
  private waiting: kefu.v1.IContent[] = [];
  private readonly listeners = new Set<Listener<F>>();
  private readonly incoming = new Set<(m: kefu.v1.IMessage) => void>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private lastTypingSent = 0;
  private prefix: string;
  private readonly server: string;
  private readonly signed = new Map<string, { url: string; thumb: string; until: number }>();

  constructor(
    private readonly host: ChatHost,
    private readonly platform: ChatPlatform<F>,
    /** Storage namespace of visitors; signed-in customers get `${base}u:${user_id}`. */
    private readonly base = 'kefu:',
  ) {
    this.server = host.server.replace(/\/+$/, '');
    this.prefix = `${base}v`;
  }

  subscribe(fn: Listener<F>): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private set(patch: Partial<ChatState<F>>): void {
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

  private async doStart(): Promise<void> {
    this.set({ status: 'connecting', error: undefined });
    let first = await this.host.identity();
    if (first) this.prefix = `${this.base}u:${first.identity.user_id}`;
    const client = createCustomerClient({
      baseUrl: this.server,
      transport: this.platform.createTransport(),
      storage: this.platform.createStorage(this.prefix),
      http: this.platform.http,
      storagePrefix: 'c',
      ...(first
        ? {
            identify: async () => {
              const id = first ?? (await this.host.identity());
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
      const h = this.host;
      const page = h.page();
      const state = await client.open({
        channel: h.channel,
        entryUrl: page.url.slice(0, 2048),
        entryTitle: page.title.slice(0, 200),
        groupId: h.groupId ?? '',
        agentUid: h.agentUid ?? '',
        strict: h.strict === true,
        attributes: h.attributes(),
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

  /** Called for every new message (the web panel uses it for sound and the tab title). */
  onIncoming(fn: (m: kefu.v1.IMessage) => void): () => void {
    this.incoming.add(fn);
    return () => this.incoming.delete(fn);
  }

  private receive(m: kefu.v1.IMessage): void {
    if (m.hidden) return;
    const list = this.state.messages;
    if (list.some((x) => x.id === m.id)) return;
    const messages = insertBySeq(list, m);
    const mine = m.sender?.uid === this.client?.uid;
    const pending = mine ? this.state.pending.filter((p) => p.id !== m.clientMsgId) : this.state.pending;
    const visible = this.host.visible();
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
    const res = await this.platform.http({
      method,
      url: `${this.server}${path}`,
      headers: {
        authorization: `Bearer ${session.token}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    let json: unknown;
    try {
      json = res.body ? JSON.parse(res.body) : {};
    } catch {
      throw new HttpError(res.status, `HTTP ${String(res.status)}`);
    }
    if (res.status < 200 || res.status >= 300) throw httpError(res.status, json);
    return json as T;
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
    const t = typeof text === 'string' ? text.trim() : '';
    if (t) this.send({ text: { text: t.slice(0, 5000) } });
  }
  sendProduct(p: ProductInput): void {
    this.send(productContent(p));
  }
  sendOrder(o: OrderInput): void {
    this.send(orderContent(o));
  }

  /** Prepares (downscales) and uploads an image with progress, then sends the image message. */
  sendImage(file: F, retryId?: string): Promise<void> {
    return this.sendUpload('image', file, retryId);
  }

  /** Uploads a recorded clip with progress, then sends the voice message (server-measured duration). */
  sendVoice(file: F, durationMs: number, retryId?: string): Promise<void> {
    return this.sendUpload('voice', file, retryId, durationMs);
  }

  private async sendUpload(
    kind: 'image' | 'voice',
    file: F,
    retryId?: string,
    durationMs = 0,
  ): Promise<void> {
    const localId = retryId ?? `up-${String(Date.now())}-${String(Math.random()).slice(2, 8)}`;
    const preview = this.platform.preview?.(file);
    const item: PendingItem<F> = {
      id: localId,
      content: kind === 'image' ? { image: {} } : { voice: { durationMs } },
      state: 'uploading',
      progress: 0,
      ...(preview === undefined ? {} : { preview }),
      file,
      kind,
      createdAt: Date.now(),
    };
    this.set({ pending: [...this.state.pending.filter((p) => p.id !== localId), item] });
    const update = (patch: Partial<PendingItem<F>>): void => {
      this.set({ pending: this.state.pending.map((p) => (p.id === localId ? { ...p, ...patch } : p)) });
    };
    try {
      if (!this.state.conversation?.id) await this.open();
      const conversationId = this.state.conversation?.id;
      if (!conversationId) throw new Error('no conversation');
      const ready =
        kind === 'image' && this.platform.prepareImage ? await this.platform.prepareImage(file) : file;
      const session = await this.session();
      const up = await this.platform.upload({
        url: `${this.server}/api/v1/uploads?conversation_id=${encodeURIComponent(conversationId)}&kind=${kind}`,
        token: session.token,
        kind,
        file: ready,
        onProgress: (p) => {
          update({ progress: p });
        },
      });
      this.set({ pending: this.state.pending.filter((p) => p.id !== localId) });
      if (preview !== undefined) this.platform.releasePreview?.(preview);
      this.rememberSigned(up.upload_id, up.signed_url, up.signed_thumbnail_url);
      this.send(kind === 'image' ? imageContent(up) : voiceContent(up, durationMs));
    } catch (err) {
      update({ state: 'failed' });
      this.host.emit('error', {
        code: 'upload_failed',
        message: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** Uploads a failed item again. */
  retry(id: string): void {
    const item = this.state.pending.find((p) => p.id === id);
    if (item?.file === undefined) return;
    if (item.kind === 'voice') void this.sendVoice(item.file, item.content.voice?.durationMs ?? 0, id);
    else void this.sendImage(item.file, id);
  }

  private rememberSigned(id: string, url: string, thumb: string | undefined): void {
    this.signed.set(id, { url, thumb: thumb ?? url, until: Date.now() + 3_600_000 });
  }

  /** A displayable URL for an upload (signed: image and audio elements cannot send the bearer token). */
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
    // Only what the customer can see counts (the list also scrolls while the chat is hidden).
    if (!this.host.visible()) return;
    const c = this.state.conversation;
    const last = this.state.messages[this.state.messages.length - 1];
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
    const page = this.host.page();
    await this.api('POST', '/api/v1/sdk/leave-messages', {
      ...form,
      ...(this.state.conversation?.id ? { conversation_id: this.state.conversation.id } : {}),
      page_url: page.url.slice(0, 2048),
      page_title: page.title.slice(0, 200),
    });
  }

  /** Disconnects, ends the session and forgets this device's session, outbox and seq positions. */
  async logout(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    if (!client) return;
    await client.stop();
    await client.sessions.logout().catch(() => undefined);
    await this.platform.clearStorage(this.prefix).catch(() => undefined);
  }

  /** Disconnects without forgetting anything (the page or component goes away). */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    clearTimeout(this.typingTimer);
    await client?.stop();
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
