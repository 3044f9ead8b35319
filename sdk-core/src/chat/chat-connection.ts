// The connection side of a customer chat UI: the customer session (identity first, so each user's
// session and outbox live under their own storage key), the client's events turned into ChatState, the
// conversation, and the message list (history over HTTP + live over MQTT, merged by seq; `hidden`
// placeholders never show). CustomerChat adds what the customer does.
import { kefu } from '@kefu/proto';
import { createCustomerClient, type CustomerClient } from '../customer-client.js';
import { SessionError, type Session } from '../session.js';
import { conversationPatch, eventPatch } from './conversation-events.js';
import { requestJson } from './http-json.js';
import { SignedUrls } from './signed-urls.js';
import {
  initialChatState,
  insertBySeq,
  pendingFromOutbox,
  type ChatHost,
  type ChatPlatform,
  type ChatState,
} from './state.js';

const { ConversationStatus } = kefu.v1;

type Listener<F> = (s: ChatState<F>) => void;

export abstract class ChatConnection<F = unknown> {
  state: ChatState<F> = initialChatState();
  protected client: CustomerClient | undefined;
  private starting: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  private readonly listeners = new Set<Listener<F>>();
  private readonly incoming = new Set<(m: kefu.v1.IMessage) => void>();
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  private unwatchNetwork: (() => void) | undefined;
  /** Messages shown from their ack, until their stored copy arrives. */
  private readonly provisional = new Set<string>();
  private prefix: string;
  protected readonly server: string;
  protected readonly signed: SignedUrls;
  /** Server clock minus this device's, from this device's own fresh messages. */
  private clockOffset = 0;

  constructor(
    protected readonly host: ChatHost,
    protected readonly platform: ChatPlatform<F>,
    /** Storage namespace of visitors; signed-in customers get `${base}u:${user_id}`. */
    private readonly base = 'kefu:',
  ) {
    this.server = host.server.replace(/\/+$/, '');
    this.prefix = `${base}v`;
    this.signed = new SignedUrls(this.server, (id) =>
      this.api('GET', `/api/v1/uploads/${encodeURIComponent(id)}/signed`),
    );
  }

  /** Sends what waited for the conversation to exist. */
  protected abstract flushWaiting(conversationId: string): void;
  /** The server refused a request that was not a message (a recall: `conflict` after its window). */
  protected abstract refused(code: string): void;
  /** A recall reached everyone. */
  protected abstract recalled(messageId: string): void;

  subscribe(fn: Listener<F>): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  protected set(patch: Partial<ChatState<F>>): void {
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
    const signedIn = first !== undefined;
    if (first?.identity.name) this.set({ customerName: first.identity.name });
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
    this.unwatchNetwork?.();
    this.unwatchNetwork = this.platform.watchNetwork?.((online) => {
      client.networkChanged(online);
    });
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
      this.acked(a);
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
      this.recalled(r.messageId ?? '');
      this.set({
        messages: this.state.messages.map((m) =>
          m.id === r.messageId ? { ...m, recalled: true, content: null } : m,
        ),
      });
    });
    client.on('error', (e) => {
      this.host.emit('error', { code: e.code, message: e.message });
      if (this.state.pending.some((p) => p.id === e.requestId))
        this.set({
          pending: this.state.pending.map((p) => (p.id === e.requestId ? { ...p, state: 'failed' } : p)),
        });
      else this.refused(e.code);
    });
    await client.start();
    // Messages still in the outbox from an earlier page show as sending.
    this.set({
      pending: [...this.state.pending, ...client.pending().map((o) => pendingFromOutbox<F>(o))],
    });
    if (signedIn && !this.state.customerName) {
      const name = (await client.sessions.current().catch(() => undefined))?.name;
      if (name) this.set({ customerName: name });
    }
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
    const patch = conversationPatch(this.state, c, this.client?.uid);
    if (!patch) return;
    this.set(patch);
    const closed = c.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
    this.host.setActive(!closed);
    if (c.status === ConversationStatus.CONVERSATION_STATUS_QUEUED)
      this.host.emit('queue', { position: c.queuePosition ?? 0, estimatedWaitMs: c.estimatedWaitMs ?? 0 });
    if (c.id && !closed) this.flushWaiting(c.id);
  }

  private onEvent(e: kefu.v1.IConversationEvent): void {
    this.set(eventPatch(this.state, e));
    const agent = e.assigned?.agent;
    if (agent) this.host.emit('assigned', { uid: agent.uid ?? '', name: agent.name ?? '' });
    if (e.queued)
      this.host.emit('queue', {
        position: e.queued.position ?? 0,
        estimatedWaitMs: e.queued.estimatedWaitMs ?? 0,
      });
    if (e.closed) this.host.setActive(false);
  }

  /** Called for every new message (the web panel uses it for sound and the tab title). */
  onIncoming(fn: (m: kefu.v1.IMessage) => void): () => void {
    this.incoming.add(fn);
    return () => this.incoming.delete(fn);
  }

  /**
   * The server stored a message sent from here. Until its fanned-out copy arrives (which may take a
   * while under load) the row stays, as the stored message built from the ack; the copy then replaces
   * it (the server may have completed the content, e.g. a voice clip's measured length).
   */
  private acked(a: kefu.v1.IMessageAck): void {
    const p = this.state.pending.find((x) => x.id === a.clientMsgId);
    const c = this.state.conversation;
    if (!p || !a.messageId || !c?.id || a.conversationId !== c.id) {
      this.set({ pending: this.state.pending.filter((x) => x.id !== a.clientMsgId) });
      return;
    }
    this.provisional.add(a.messageId);
    this.receive({
      id: a.messageId,
      conversationId: a.conversationId,
      seq: a.seq ?? 0,
      clientMsgId: a.clientMsgId ?? '',
      sender: {
        role: kefu.v1.Role.ROLE_CUSTOMER,
        uid: this.client?.uid ?? '',
        name: this.state.customerName ?? '',
      },
      content: p.content,
      createdAtMs: a.createdAtMs ?? Date.now(),
      quoteMessageId: p.quoteMessageId ?? '',
    });
  }

  private receive(m: kefu.v1.IMessage): void {
    if (m.hidden) return;
    const list = this.state.messages;
    const at = list.findIndex((x) => x.id === m.id);
    if (at >= 0) {
      // The stored copy of a message shown from its ack.
      if (m.id && this.provisional.delete(m.id))
        this.set({ messages: [...list.slice(0, at), m, ...list.slice(at + 1)] });
      return;
    }
    const messages = insertBySeq(list, m);
    const mine = m.sender?.uid === this.client?.uid;
    const fresh = mine && this.state.pending.some((p) => p.id === m.clientMsgId);
    // Just sent from here: its server time tells how far this device's clock is off (recall window).
    if (fresh && m.createdAtMs) this.clockOffset = m.createdAtMs - Date.now();
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
    const { token } = await this.session();
    return requestJson<T>(this.platform.http, { method, url: `${this.server}${path}`, token, body });
  }

  session(): Promise<Session> {
    if (!this.client) return Promise.reject(new Error('not started'));
    return this.client.sessions.current();
  }

  /** A displayable URL for an upload (signed: image and audio elements cannot send the bearer token). */
  mediaUrl(uploadId: string, thumbnail: boolean): Promise<string> {
    return this.signed.get(uploadId, thumbnail);
  }

  /** Now on the server's clock (recall windows are the server's). */
  serverNow(): number {
    return Date.now() + this.clockOffset;
  }

  absolute(url: string): string {
    return url.startsWith('/') ? `${this.server}${url}` : url;
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

  /** Disconnects, ends the session and forgets this device's session, outbox and seq positions. */
  async logout(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    this.unwatchNetwork?.();
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
    this.unwatchNetwork?.();
    clearTimeout(this.typingTimer);
    await client?.stop();
  }
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
