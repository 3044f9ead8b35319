import { bodyKind, decodeEnvelope, encodeEnvelope, kefu, ulid, type RandomBytes } from '@kefu/proto';
import { backoffDelay } from './backoff.js';
import { ConversationTracker } from './conversation-tracker.js';
import { Emitter } from './emitter.js';
import type { Http } from './http.js';
import { Outbox, type OutboxItem } from './outbox.js';
import { SessionError, SessionManager, type Credentials, type Session } from './session.js';
import type { KeyValueStorage } from './storage.js';
import type { Transport, TransportConnection } from './transport/types.js';
import { TransportError } from './transport/types.js';

export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'stopped';

/** An error the client reports: a server `Error` envelope, or a failure of the client itself. */
export interface ClientError {
  code: string;
  message: string;
  /** Envelope id the server refused (for `send`: the client_msg_id). */
  requestId?: string;
  refId?: string;
}

export interface ClientEvents extends Record<string, unknown[]> {
  status: [ConnectionStatus];
  session: [Session];
  /** A stored message, once, in seq order per conversation. */
  message: [kefu.v1.IMessage];
  ack: [kefu.v1.IMessageAck];
  conversation: [kefu.v1.IConversationState];
  event: [kefu.v1.IConversationEvent];
  typing: [kefu.v1.ITyping];
  read: [kefu.v1.IReadReceipt];
  recalled: [kefu.v1.IMessageRecalled];
  /** Agents: the role or its permissions changed (re-read what the UI offers; the session refreshes). */
  access: [kefu.v1.IAccessChanged];
  error: [ClientError];
}

export interface ClientOptions {
  /** Server HTTP base, e.g. https://kefu.example.com */
  baseUrl: string;
  transport: Transport;
  storage: KeyValueStorage;
  http: Http;
  /** How to get a session when there is none: the endpoint and body (identity, visitor, agent login). */
  credentials: Credentials;
  /** Random bytes for ids; default: crypto.getRandomValues where present, else Math.random. */
  random?: RandomBytes;
  now?: () => number;
  /** Prefix for storage keys (several clients can share one storage). */
  storagePrefix?: string;
  keepaliveS?: number;
  /** An unacknowledged message is published again after this long. */
  resendAfterMs?: number;
  /**
   * How long a seq gap may stay open before a sync is requested: with several server instances, the
   * missing message is usually just a few milliseconds behind (fan-outs overtake each other).
   */
  gapWaitMs?: number;
  /**
   * `false`: a conversation this device has no position for starts at its current end — only newer
   * messages arrive over MQTT, and the app pages earlier history over HTTP when it shows the
   * conversation (the agent console: hundreds of open conversations must not each replay their history
   * at sign-in). Positions this device already has are still caught up, so nothing is lost. Default true.
   */
  backfill?: boolean;
}

function defaultRandom(): RandomBytes {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) {
    const getRandomValues = c.getRandomValues.bind(c);
    return (n) => getRandomValues(new Uint8Array(n));
  }
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256));
}

/**
 * The platform-free client behind both the customer and the agent API. It owns the delivery contract
 * on the client side (DESIGN.md §2): durable outbox with resend until MessageAck, de-duplication, seq gap
 * detection, and a sync of every conversation on every (re)connect; plus the connection itself
 * (jittered backoff, token refresh before expiry, reconnect with the new token).
 */
export class KefuClient extends Emitter<ClientEvents> {
  readonly sessions: SessionManager;
  private readonly random: RandomBytes;
  private readonly now: () => number;
  private readonly prefix: string;
  private readonly deviceId: Promise<string>;
  private outbox: Outbox | undefined;
  private readonly trackers = new Map<string, ConversationTracker>();
  private readonly syncing = new Map<string, number>();
  private readonly gapTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private conn: TransportConnection | undefined;
  private session: Session | undefined;
  private statusValue: ConnectionStatus = 'idle';
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private timers: ReturnType<typeof setTimeout>[] = [];
  /** Presence announced on every connect (agents add their status). */
  protected presenceExtra: Partial<kefu.v1.IPresence> = {};

  constructor(protected readonly options: ClientOptions) {
    super((error) => {
      this.emit('error', {
        code: 'listener_error',
        message: error instanceof Error ? error.message : String(error),
      });
    });
    this.random = options.random ?? defaultRandom();
    this.now = options.now ?? (() => Date.now());
    this.prefix = options.storagePrefix ?? 'kefu';
    this.sessions = new SessionManager({
      http: options.http,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      storage: options.storage,
      storageKey: `${this.prefix}:session`,
      credentials: options.credentials,
      now: this.now,
    });
    this.deviceId = this.loadDeviceId();
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get uid(): string | undefined {
    return this.session?.uid;
  }

  /** Conversations this client follows, with the last seq delivered. */
  conversations(): { id: string; lastSeq: number }[] {
    return [...this.trackers.values()].map((t) => ({ id: t.conversationId, lastSeq: t.lastSeq }));
  }

  /** Messages waiting for their ack (persisted; resent on reconnect). */
  pending(): readonly OutboxItem[] {
    return this.outbox?.list() ?? [];
  }

  newId(): string {
    return ulid(this.random, this.now());
  }

  /** Gets a session and keeps a connection up until stop(). Resolves once the first session exists. */
  async start(): Promise<Session> {
    this.stopped = false;
    const session = await this.sessions.current();
    await this.useSession(session);
    this.loop ??= this.run();
    return session;
  }

  /** Announces offline, closes the connection, stops reconnecting. The outbox stays for next time. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers = [];
    for (const t of this.gapTimers.values()) clearTimeout(t);
    this.gapTimers.clear();
    const conn = this.conn;
    if (conn && this.session) {
      await conn
        .publish(this.session.mqtt.topics.presence, encodeEnvelope(await this.presenceEnvelope(false)), 1)
        .catch(() => undefined);
      await conn.close();
    }
    this.wake?.();
    await this.loop;
    this.loop = undefined;
    this.setConnectionStatus('stopped');
  }

  /**
   * The device's network went away or came back (the browser's offline/online events, WeChat's network
   * status): drop a connection that can carry nothing now instead of waiting out the keepalive, and
   * reconnect at once instead of waiting out the backoff.
   */
  networkChanged(online: boolean): void {
    if (this.stopped) return;
    if (online) this.wake?.();
    else void this.conn?.close().catch(() => undefined);
  }

  /** Queues a message (durably) and publishes it when connected; returns its client_msg_id. */
  async send(
    conversationId: string,
    content: kefu.v1.IContent,
    extra: { quoteMessageId?: string; internalNote?: boolean } = {},
  ): Promise<string> {
    const outbox = await this.ensureOutbox();
    const item: OutboxItem = {
      id: this.newId(),
      conversationId,
      content,
      createdAt: this.now(),
      sentAt: 0,
      ...extra,
    };
    await outbox.add(item);
    void this.publishItem(item);
    return item.id;
  }

  sendText(conversationId: string, text: string): Promise<string> {
    return this.send(conversationId, { text: { text } });
  }

  /** Asks for messages after what this client has (or after `afterSeq`). */
  async sync(conversationId: string, afterSeq?: number): Promise<void> {
    const tracker = this.tracker(conversationId);
    const from = afterSeq ?? tracker.lastSeq;
    this.syncing.set(conversationId, this.now());
    await this.publish({ syncRequest: { conversationId, afterSeq: from, limit: 200 } });
  }

  /** QoS 0: fine to lose. */
  async typing(conversationId: string, typing: boolean): Promise<void> {
    await this.publish({ typing: { conversationId, typing } }, 0);
  }

  async markRead(conversationId: string, readSeq: number): Promise<void> {
    await this.publish({ read: { conversationId, readSeq } });
  }

  /** Ends the conversation (its customer or its agent); everyone gets a `closed` event and the state. */
  async close(conversationId: string, reason = ''): Promise<void> {
    await this.publish({ close: { conversationId, reason } });
  }

  async recall(conversationId: string, messageId: string): Promise<void> {
    await this.publish({ recall: { conversationId, messageId } });
  }

  // ------------------------------------------------------------------------------------------------

  /** Publishes an envelope on the uplink; throws when offline (use send() for messages that must arrive). */
  protected async publish(body: Omit<kefu.v1.IEnvelope, 'id' | 'sentAtMs'>, qos: 0 | 1 = 1): Promise<string> {
    const conn = this.conn;
    const session = this.session;
    if (!conn || !session) throw new Error('not connected');
    const envelope: kefu.v1.IEnvelope = { id: this.newId(), sentAtMs: this.now(), ...body };
    await conn.publish(session.mqtt.topics.up, encodeEnvelope(envelope), qos);
    return envelope.id ?? '';
  }

  private async publishItem(item: OutboxItem): Promise<void> {
    const conn = this.conn;
    const session = this.session;
    if (!conn || !session) return;
    const retry = item.sentAt > 0;
    this.outbox?.markSent(item.id, this.now());
    const envelope: kefu.v1.IEnvelope = {
      id: item.id,
      sentAtMs: this.now(),
      send: {
        conversationId: item.conversationId,
        content: item.content,
        quoteMessageId: item.quoteMessageId ?? '',
        internalNote: item.internalNote === true,
        retry,
      },
    };
    await conn.publish(session.mqtt.topics.up, encodeEnvelope(envelope), 1).catch(() => undefined);
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      let closed: Promise<void> | undefined;
      try {
        const session = await this.sessions.current();
        await this.useSession(session);
        this.setConnectionStatus('connecting');
        let onClose: () => void = () => undefined;
        closed = new Promise<void>((resolve) => {
          onClose = resolve;
        });
        const conn = await this.options.transport(
          {
            url: session.mqtt.url,
            clientId: `${session.uid}-${(await this.deviceId).slice(0, 8)}-${this.newId().slice(-6)}`,
            username: session.mqtt.username,
            password: session.token,
            keepaliveS: this.options.keepaliveS ?? 30,
            connectTimeoutMs: 10_000,
            will: {
              topic: session.mqtt.topics.presence,
              payload: encodeEnvelope(await this.presenceEnvelope(false)),
              qos: 1,
            },
          },
          {
            message: (topic, payload) => {
              this.onDownlink(topic, payload);
            },
            close: () => {
              onClose();
            },
          },
        );
        try {
          await conn.subscribe(session.mqtt.topics.down, 1);
        } catch (err) {
          // Connected but not subscribed: close this connection before the next attempt opens another.
          await conn.close().catch(() => undefined);
          throw err;
        }
        this.conn = conn;
        attempt = 0;
        await conn.publish(
          session.mqtt.topics.presence,
          encodeEnvelope(await this.presenceEnvelope(true)),
          1,
        );
        this.setConnectionStatus('online');
        await this.onConnected(session);
        this.scheduleRefresh(session, conn);
        await closed;
      } catch (err) {
        if (err instanceof TransportError && err.kind === 'auth') {
          // The broker refused the token (expired, revoked key): get a new one before the next try.
          await this.sessions.renew().catch(() => undefined);
        } else if (err instanceof SessionError && err.permanent) {
          this.emit('error', { code: err.code, message: err.message });
          this.stopped = true;
          this.setConnectionStatus('stopped');
          return;
        } else if (!(err instanceof TransportError)) {
          this.emit('error', {
            code: 'connection',
            message: err instanceof Error ? err.message : String(err),
          });
        }
      }
      this.conn = undefined;
      for (const t of this.timers) clearTimeout(t);
      this.timers = [];
      if (this.isStopped()) break;
      this.setConnectionStatus('offline');
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(
          resolve,
          backoffDelay(attempt++, () => (this.random(1)[0] ?? 0) / 256),
        );
      });
    }
  }

  /** Reconnects now with a fresh token, a minute before the current one expires. */
  private scheduleRefresh(session: Session, conn: TransportConnection): void {
    const ms = Math.max(1_000, (session.expiresAt - 60) * 1000 - this.now());
    this.timers.push(
      setTimeout(() => {
        void this.sessions
          .renew()
          .then(() => conn.close())
          .catch(() => undefined);
      }, ms),
    );
    const resendAfter = this.options.resendAfterMs ?? 10_000;
    const resend = (): void => {
      const now = this.now();
      // Each unacknowledged item waits 1×, 2×, then 4× resendAfter before it goes again: an overloaded
      // server is not buried under copies (each of which it must recognise as a duplicate).
      for (const item of this.outbox?.list() ?? []) {
        const wait = resendAfter * 2 ** Math.min(Math.max((item.attempts ?? 1) - 1, 0), 2);
        if (now - item.sentAt >= wait) void this.publishItem(item);
      }
      for (const [id, at] of this.syncing)
        if (now - at > resendAfter) void this.sync(id).catch(() => undefined);
      this.timers.push(setTimeout(resend, Math.min(resendAfter, 5_000)));
    };
    this.timers.push(setTimeout(resend, Math.min(resendAfter, 5_000)));
  }

  /** After every (re)connect: ask for every conversation's state and what was missed, resend the outbox. */
  private async onConnected(session: Session): Promise<void> {
    this.syncing.clear();
    await this.publish({ syncRequest: {} });
    for (const t of this.trackers.values()) await this.sync(t.conversationId);
    const outbox = await this.ensureOutbox(session);
    for (const item of outbox.list()) await this.publishItem(item);
  }

  private onDownlink(topic: string, payload: Uint8Array): void {
    if (!this.session || topic !== this.session.mqtt.topics.down) return;
    let envelope: kefu.v1.Envelope;
    try {
      envelope = decodeEnvelope(payload);
    } catch (err) {
      this.emit('error', { code: 'bad_downlink', message: err instanceof Error ? err.message : String(err) });
      return;
    }
    switch (bodyKind(envelope)) {
      case 'message':
        if (envelope.message) this.deliver(envelope.message);
        break;
      case 'ack':
        if (envelope.ack) void this.onAck(envelope.ack);
        break;
      case 'syncResponse':
        if (envelope.syncResponse) this.onSyncResponse(envelope.syncResponse);
        break;
      case 'conversation':
        if (envelope.conversation) this.onState(envelope.conversation);
        break;
      case 'conversationEvent':
        if (envelope.conversationEvent) this.emit('event', envelope.conversationEvent);
        break;
      case 'typing':
        if (envelope.typing) this.emit('typing', envelope.typing);
        break;
      case 'read':
        if (envelope.read) this.emit('read', envelope.read);
        break;
      case 'recalled':
        if (envelope.recalled) this.emit('recalled', envelope.recalled);
        break;
      case 'accessChanged':
        if (envelope.accessChanged) {
          this.emit('access', envelope.accessChanged);
          // The stored session carries the old permissions: take new tokens now.
          void this.sessions.renew().catch(() => undefined);
        }
        break;
      case 'error':
        if (envelope.error) {
          const e = envelope.error;
          this.emit('error', {
            code: e.code ?? 'error',
            message: e.message ?? '',
            requestId: e.requestId ?? '',
            refId: e.refId ?? '',
          });
          // A refused message will never be acked: drop it from the outbox rather than resend forever.
          if (e.requestId && e.code !== 'rate_limited' && e.code !== 'unavailable' && e.code !== 'internal') {
            void this.outbox?.remove(e.requestId);
          }
        }
        break;
      default:
        break;
    }
  }

  private async onAck(ack: kefu.v1.IMessageAck): Promise<void> {
    const removed = await this.outbox?.remove(ack.clientMsgId ?? '');
    if (removed) this.emit('ack', ack);
  }

  private deliver(message: kefu.v1.IMessage): void {
    const tracker = this.tracker(message.conversationId ?? '');
    const before = tracker.lastSeq;
    // Placeholders (hidden) and second copies only advance the seq; see ConversationTracker.
    const ready = tracker.accept(message);
    for (const m of ready) this.emit('message', m);
    if (tracker.lastSeq !== before) this.persistSeqs();
    if (tracker.hasGap()) this.syncAfterGapWait(tracker);
  }

  private syncAfterGapWait(tracker: ConversationTracker): void {
    const id = tracker.conversationId;
    if (this.syncing.has(id) || this.gapTimers.has(id)) return;
    const timer = setTimeout(() => {
      this.gapTimers.delete(id);
      if (tracker.hasGap() && !this.syncing.has(id)) void this.sync(id).catch(() => undefined);
    }, this.options.gapWaitMs ?? 1_000);
    this.gapTimers.set(id, timer);
  }

  private onSyncResponse(res: kefu.v1.ISyncResponse): void {
    if (!res.conversationId) return;
    if (res.conversation) this.onState(res.conversation, false);
    const tracker = this.tracker(res.conversationId);
    const got = res.messages?.length ?? 0;
    for (const m of res.messages ?? []) this.deliver(m);
    this.syncing.delete(res.conversationId);
    const behind = tracker.behind(res.lastSeq ?? 0);
    // Next page when this one brought messages and more exist; a state-only answer (the "all my
    // conversations" sync) is followed by a real one when we are behind. Never loop on empty pages.
    const stateOnly = got === 0 && res.hasMore === true;
    if ((got > 0 && (res.hasMore || behind)) || (stateOnly && behind)) {
      void this.sync(res.conversationId).catch(() => undefined);
    }
  }

  private onState(state: kefu.v1.IConversationState, syncIfBehind = true): void {
    if (!state.id) return;
    const unknown = !this.trackers.has(state.id);
    const tracker = this.tracker(state.id);
    if (unknown && this.options.backfill === false) {
      tracker.lastSeq = state.lastSeq ?? 0;
      this.persistSeqs();
    }
    this.emit('conversation', state);
    if (syncIfBehind && tracker.behind(state.lastSeq ?? 0) && !this.syncing.has(state.id)) {
      void this.sync(state.id).catch(() => undefined);
    }
  }

  private tracker(conversationId: string): ConversationTracker {
    let tracker = this.trackers.get(conversationId);
    if (!tracker) {
      tracker = new ConversationTracker(conversationId, 0);
      this.trackers.set(conversationId, tracker);
    }
    return tracker;
  }

  private async useSession(session: Session): Promise<void> {
    const changed = this.session?.uid !== session.uid;
    this.session = session;
    if (changed) {
      this.outbox = undefined;
      this.trackers.clear();
      await this.ensureOutbox(session);
      const raw = await this.options.storage.get(`${this.prefix}:${session.uid}:seqs`);
      if (raw) {
        try {
          for (const [id, seq] of Object.entries(JSON.parse(raw) as Record<string, number>)) {
            this.trackers.set(id, new ConversationTracker(id, seq));
          }
        } catch {
          // Unreadable: start over; sync fills everything in.
        }
      }
    }
    this.emit('session', session);
  }

  private async ensureOutbox(session: Session | undefined = this.session): Promise<Outbox> {
    if (!session) throw new Error('start() the client first');
    if (!this.outbox) {
      this.outbox = new Outbox(this.options.storage, `${this.prefix}:${session.uid}:outbox`);
      await this.outbox.load();
    }
    return this.outbox;
  }

  private persistSeqs(): void {
    if (!this.session) return;
    const seqs: Record<string, number> = {};
    for (const t of this.trackers.values()) seqs[t.conversationId] = t.lastSeq;
    void this.options.storage
      .set(`${this.prefix}:${this.session.uid}:seqs`, JSON.stringify(seqs))
      .catch(() => undefined);
  }

  private async presenceEnvelope(online: boolean): Promise<kefu.v1.IEnvelope> {
    const session = this.session;
    return {
      id: this.newId(),
      sentAtMs: this.now(),
      presence: {
        role: session?.role === 'agent' ? kefu.v1.Role.ROLE_AGENT : kefu.v1.Role.ROLE_CUSTOMER,
        uid: session?.uid ?? '',
        online,
        deviceId: await this.deviceId,
        ...this.presenceExtra,
      },
    };
  }

  private async loadDeviceId(): Promise<string> {
    const key = `${this.prefix}:device`;
    const stored = await this.options.storage.get(key);
    if (stored) return stored;
    const id = ulid(this.random, this.now());
    await this.options.storage.set(key, id);
    return id;
  }

  // A method, not the field: TypeScript would narrow the field across the awaits of the loop.
  private isStopped(): boolean {
    return this.stopped;
  }

  private setConnectionStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.emit('status', status);
  }

  /** Publishes presence again (agents changing status). */
  protected async announce(): Promise<void> {
    const conn = this.conn;
    if (!conn || !this.session) return;
    await conn.publish(
      this.session.mqtt.topics.presence,
      encodeEnvelope(await this.presenceEnvelope(true)),
      1,
    );
  }
}
