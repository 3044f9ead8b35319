import { backoffDelay } from '../backoff.js';
import { SessionError, type Session } from '../session.js';
import { TransportError, type ConnectOptions, type Transport } from '../transport/types.js';
import { errorMessage, type ClientError, type ConnectionStatus } from './options.js';
import type { Uplink } from './uplink.js';

/** What the loop asks of the client around each connection. */
export interface ConnectionHooks {
  /** The session to connect with; the client adopts it first (a new uid: another outbox, other positions). */
  session(): Promise<Session>;
  connectOptions(session: Session): Promise<ConnectOptions>;
  downlink(topic: string, payload: Uint8Array): void;
  /** Connected and subscribed: announce presence, catch up, resend, start the connection's timers. */
  connected(session: Session): Promise<void>;
  /** The connection is gone: stop its timers. */
  disconnected(): void;
  /** The broker refused the token (expired, revoked key): a new one before the next attempt. */
  renew(): Promise<void>;
  status(status: ConnectionStatus): void;
  error(error: ClientError): void;
}

/**
 * Keeps one connection up until stopped (DESIGN.md §2, "Connection"): one attempt at a time, a jittered
 * backoff between attempts (full jitter, 0.5 s → 30 s), and a stop on a session refused for good. The
 * device's network state cuts the waits short: offline drops the connection, online retries at once.
 */
export class ConnectionLoop {
  private stopped = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly transport: Transport,
    private readonly uplink: Uplink,
    /** A uniform random number in [0, 1) for the backoff's jitter. */
    private readonly random: () => number,
    private readonly hooks: ConnectionHooks,
  ) {}

  /** Allows connecting again after a stop (start() then runs the loop). */
  resume(): void {
    this.stopped = false;
  }

  start(): void {
    this.loop ??= this.run();
  }

  /** No further attempts (the current connection stays until it closes). */
  halt(): void {
    this.stopped = true;
  }

  /** Halts and resolves once the loop has ended: close the connection first, or it waits for its end. */
  async stop(): Promise<void> {
    this.halt();
    this.wake?.();
    await this.loop;
    this.loop = undefined;
  }

  networkChanged(online: boolean): void {
    if (this.stopped) return;
    if (online) this.wake?.();
    else void this.uplink.conn?.close().catch(() => undefined);
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      try {
        await this.connectOnce(() => {
          attempt = 0;
        });
      } catch (err) {
        if (err instanceof TransportError && err.kind === 'auth') {
          await this.hooks.renew();
        } else if (err instanceof SessionError && err.permanent) {
          this.hooks.error({ code: err.code, message: err.message });
          this.stopped = true;
          this.hooks.status('stopped');
          return;
        } else if (!(err instanceof TransportError)) {
          this.hooks.error({ code: 'connection', message: errorMessage(err) });
        }
      }
      this.uplink.conn = undefined;
      this.hooks.disconnected();
      if (this.isStopped()) break;
      this.hooks.status('offline');
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        setTimeout(resolve, backoffDelay(attempt++, this.random));
      });
    }
  }

  /** One connection, from the attempt until it closes. */
  private async connectOnce(connected: () => void): Promise<void> {
    const session = await this.hooks.session();
    this.hooks.status('connecting');
    let onClose: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => {
      onClose = resolve;
    });
    const conn = await this.transport(await this.hooks.connectOptions(session), {
      message: (topic, payload) => {
        this.hooks.downlink(topic, payload);
      },
      close: () => {
        onClose();
      },
    });
    try {
      await conn.subscribe(session.mqtt.topics.down, 1);
    } catch (err) {
      // Connected but not subscribed: close this connection before the next attempt opens another.
      await conn.close().catch(() => undefined);
      throw err;
    }
    this.uplink.conn = conn;
    connected();
    await this.hooks.connected(session);
    await closed;
  }

  // A method, not the field: TypeScript would narrow the field across the awaits of the loop.
  private isStopped(): boolean {
    return this.stopped;
  }
}
