import { encodeEnvelope, ulid, type kefu, type RandomBytes } from '@kefu/proto';
import { ConnectionLoop, type ConnectionHooks } from './client/connection-loop.js';
import { Delivery } from './client/delivery.js';
import { clientDownlink, dispatchDownlink, type DownlinkHandlers } from './client/downlink.js';
import {
  defaultRandom,
  errorMessage,
  type ClientEvents,
  type ClientOptions,
  type ConnectionStatus,
} from './client/options.js';
import { loadDeviceId, presenceEnvelope } from './client/presence.js';
import { TokenRenewal } from './client/renewal.js';
import { Sender } from './client/sender.js';
import { ConnectionTimers } from './client/timers.js';
import { Uplink } from './client/uplink.js';
import { Emitter } from './emitter.js';
import type { OutboxItem } from './outbox.js';
import { SessionManager, type Session } from './session.js';

export type { ClientError, ClientEvents, ClientOptions, ConnectionStatus } from './client/options.js';

/**
 * The platform-free client behind both the customer and the agent API. It owns the delivery contract
 * on the client side (DESIGN.md §2) and the connection; this class wires the parts together: the
 * outbox and its resends (Sender), ordered delivery and syncs (Delivery), the reconnect loop
 * (ConnectionLoop), token renewal (TokenRenewal) and the downlink dispatch.
 */
export class KefuClient extends Emitter<ClientEvents> {
  readonly sessions: SessionManager;
  private readonly random: RandomBytes;
  private readonly now: () => number;
  private readonly prefix: string;
  private readonly deviceId: Promise<string>;
  private readonly uplink: Uplink;
  private readonly sender: Sender;
  private readonly delivery: Delivery;
  private readonly renewal: TokenRenewal;
  private readonly connection: ConnectionLoop;
  private readonly downlink: DownlinkHandlers;
  /** Timers of the current connection (token renewal, resends). */
  private readonly timers = new ConnectionTimers();
  private statusValue: ConnectionStatus = 'idle';
  /** Presence announced on every connect (agents add their status). */
  protected presenceExtra: Partial<kefu.v1.IPresence> = {};

  constructor(protected readonly options: ClientOptions) {
    super((error) => {
      this.emit('error', {
        code: 'listener_error',
        message: errorMessage(error),
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
    this.deviceId = loadDeviceId(options.storage, `${this.prefix}:device`, () => this.newId());
    this.uplink = new Uplink(() => this.newId(), this.now);
    this.sender = new Sender(options.storage, this.uplink, this.now, this.resendAfterMs);
    this.delivery = new Delivery({
      storage: options.storage,
      uplink: this.uplink,
      now: this.now,
      gapWaitMs: options.gapWaitMs ?? 1_000,
      backfill: options.backfill !== false,
      message: (m) => {
        this.emit('message', m);
      },
      conversation: (s) => {
        this.emit('conversation', s);
      },
    });
    this.renewal = new TokenRenewal(this.sessions, this.now);
    this.downlink = clientDownlink(this, this.delivery, this.sender, this.renewal);
    const jitter = (): number => (this.random(1)[0] ?? 0) / 256;
    this.connection = new ConnectionLoop(options.transport, this.uplink, jitter, this.connectionHooks());
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  get uid(): string | undefined {
    return this.uplink.session?.uid;
  }

  /** Conversations this client follows, with the last seq delivered. */
  conversations(): { id: string; lastSeq: number }[] {
    return this.delivery.conversations();
  }

  /** Messages waiting for their ack (persisted; resent on reconnect). */
  pending(): readonly OutboxItem[] {
    return this.sender.pending();
  }

  newId(): string {
    return ulid(this.random, this.now());
  }

  /** Gets a session and keeps a connection up until stop(). Resolves once the first session exists. */
  async start(): Promise<Session> {
    this.connection.resume();
    const session = await this.sessions.current();
    await this.useSession(session);
    this.connection.start();
    return session;
  }

  /** Announces offline, closes the connection, stops reconnecting. The outbox stays for next time. */
  async stop(): Promise<void> {
    this.connection.halt();
    this.timers.clearAll();
    this.delivery.stop();
    const conn = this.uplink.conn;
    if (conn && this.uplink.session) {
      await this.uplink.announce(await this.presence(false), conn).catch(() => undefined);
      await conn.close();
    }
    await this.connection.stop();
    this.setConnectionStatus('stopped');
  }

  /**
   * The device's network went away or came back (the browser's offline/online events, WeChat's network
   * status): drop a connection that can carry nothing now instead of waiting out the keepalive, and
   * reconnect at once instead of waiting out the backoff.
   */
  networkChanged(online: boolean): void {
    this.connection.networkChanged(online);
  }

  /** Queues a message (durably) and publishes it when connected; returns its client_msg_id. */
  async send(
    conversationId: string,
    content: kefu.v1.IContent,
    extra: { quoteMessageId?: string; internalNote?: boolean } = {},
  ): Promise<string> {
    const id = this.newId();
    await this.sender.send({ id, conversationId, content, createdAt: this.now(), sentAt: 0, ...extra });
    return id;
  }

  sendText(conversationId: string, text: string): Promise<string> {
    return this.send(conversationId, { text: { text } });
  }

  /** Asks for messages after what this client has (or after `afterSeq`). */
  sync(conversationId: string, afterSeq?: number): Promise<void> {
    return this.delivery.sync(conversationId, afterSeq);
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
  protected publish(body: Omit<kefu.v1.IEnvelope, 'id' | 'sentAtMs'>, qos: 0 | 1 = 1): Promise<string> {
    return this.uplink.publish(body, qos);
  }

  /** Publishes presence again (agents changing status). */
  protected async announce(): Promise<void> {
    if (!this.uplink.connected) return;
    await this.uplink.announce(await this.presence(true));
  }

  private get resendAfterMs(): number {
    return this.options.resendAfterMs ?? 10_000;
  }

  private connectionHooks(): ConnectionHooks {
    return {
      session: async () => {
        const session = await this.sessions.current();
        await this.useSession(session);
        return session;
      },
      connectOptions: async (session) => ({
        url: session.mqtt.url,
        clientId: `${session.uid}-${(await this.deviceId).slice(0, 8)}-${this.newId().slice(-6)}`,
        username: session.mqtt.username,
        password: session.token,
        keepaliveS: this.options.keepaliveS ?? 30,
        connectTimeoutMs: 10_000,
        will: {
          topic: session.mqtt.topics.presence,
          payload: encodeEnvelope(await this.presence(false)),
          qos: 1,
        },
      }),
      downlink: (topic, payload) => {
        if (topic === this.uplink.session?.mqtt.topics.down) dispatchDownlink(payload, this.downlink);
      },
      connected: async (session) => {
        await this.uplink.announce(await this.presence(true));
        this.setConnectionStatus('online');
        // After every (re)connect: every conversation's state and what was missed, then the outbox.
        await this.delivery.syncAll();
        await this.sender.resendAll();
        const conn = this.uplink.conn;
        if (conn) {
          this.timers.once('renewal', this.renewal.delayBeforeExpiry(session), () => {
            void this.renewal.renewAndClose(conn);
          });
        }
        this.resendWhileConnected();
      },
      disconnected: () => {
        this.timers.clearAll();
      },
      renew: () => this.renewal.renewNow(),
      status: (status) => {
        this.setConnectionStatus(status);
      },
      error: (error) => {
        this.emit('error', error);
      },
    };
  }

  /** Every few seconds while connected: resend what waited its turn, ask again for unanswered syncs. */
  private resendWhileConnected(): void {
    this.timers.every('resend', Math.min(this.resendAfterMs, 5_000), () => {
      this.sender.resendDue();
      this.delivery.retrySyncs(this.resendAfterMs);
    });
  }

  /** A new uid (another user signed in on this device) has its own outbox and positions. */
  private async useSession(session: Session): Promise<void> {
    const changed = this.uplink.session?.uid !== session.uid;
    this.uplink.session = session;
    if (changed) {
      const outbox = this.sender.use(`${this.prefix}:${session.uid}:outbox`);
      const seqs = this.delivery.load(`${this.prefix}:${session.uid}:seqs`);
      await outbox;
      await seqs;
    }
    this.emit('session', session);
  }

  private async presence(online: boolean): Promise<kefu.v1.IEnvelope> {
    const header = { id: this.newId(), sentAtMs: this.now() };
    return presenceEnvelope(header, this.uplink.session, online, await this.deviceId, this.presenceExtra);
  }

  private setConnectionStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.emit('status', status);
  }
}
