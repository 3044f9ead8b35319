// The connection side of a customer chat UI: the customer session (identity first, so each user's
// session and outbox live under their own storage key), the conversation, and the parts that follow the
// client (client-events.ts) and keep the message list (message-list.ts). CustomerChat adds what the
// customer does.
import type { kefu } from '@kefu/proto';
import { createCustomerClient, type CustomerClient } from '../customer-client.js';
import { SessionError, type Session } from '../session.js';
import type { ChatCore } from './chat-core.js';
import { conversationState, followClient, type ClientReactions } from './client-events.js';
import { requestJson } from './http-json.js';
import { MessageList } from './message-list.js';
import { SignedUrls } from './signed-urls.js';
import {
  initialChatState,
  pendingFromOutbox,
  type ChatHost,
  type ChatPlatform,
  type ChatState,
} from './state.js';

type Listener<F> = (s: ChatState<F>) => void;

export abstract class ChatConnection<F = unknown> {
  state: ChatState<F> = initialChatState();
  protected client: CustomerClient | undefined;
  private starting: Promise<void> | undefined;
  private opening: Promise<void> | undefined;
  private readonly listeners = new Set<Listener<F>>();
  private unwatchNetwork: (() => void) | undefined;
  /** Stops what followed the client (its timers). */
  private unfollow: (() => void) | undefined;
  private prefix: string;
  protected readonly server: string;
  protected readonly signed: SignedUrls;
  private readonly core: ChatCore<F>;
  private readonly messages: MessageList<F>;
  private readonly reactions: ClientReactions<F>;

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
    this.core = {
      state: () => this.state,
      set: (patch) => {
        this.set(patch);
      },
      host,
      client: () => this.client,
      api: (method, path, body) => this.api(method, path, body),
    };
    this.messages = new MessageList(this.core);
    this.reactions = {
      messages: this.messages,
      sessionRefused: () => {
        this.fail(new SessionError('session refused', 'refused', 401));
      },
      flushWaiting: (id) => {
        this.flushWaiting(id);
      },
      refused: (code) => {
        this.refused(code);
      },
      recalled: (id) => {
        this.recalled(id);
      },
    };
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
    this.unfollow = followClient(client, this.core, this.reactions);
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
      conversationState(this.core, this.reactions, state);
      await this.loadOlder();
    })().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Called for every new message (the web panel uses it for sound and the tab title). */
  onIncoming(fn: (m: kefu.v1.IMessage) => void): () => void {
    return this.messages.onIncoming(fn);
  }

  /** Loads the page of history before the oldest message shown (HTTP, infinite scroll upwards). */
  loadOlder(): Promise<void> {
    return this.messages.loadOlder();
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
    return this.messages.serverNow();
  }

  absolute(url: string): string {
    return url.startsWith('/') ? `${this.server}${url}` : url;
  }

  /** Everything shown is read: tell the server (agents see 已读) and clear the badge. */
  markRead(): void {
    this.messages.markRead();
  }

  /** Disconnects, ends the session and forgets this device's session, outbox and seq positions. */
  async logout(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.starting = undefined;
    this.unwatchNetwork?.();
    if (!client) return;
    // The host page may leave as soon as it asked (a mall's sign-out waits a second at most): this
    // device's data goes before any network round trip, and again once the client has stopped, which
    // may write while it stops. The session's token is still in memory for ending it on the server.
    await this.platform.clearStorage(this.prefix).catch(() => undefined);
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
    this.unfollow?.();
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
