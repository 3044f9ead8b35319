import { encodeEnvelope, type kefu } from '@kefu/proto';
import type { Session } from '../session.js';
import type { TransportConnection } from '../transport/types.js';

/**
 * The connection in use and the session it was opened with: everything the client publishes goes
 * through here, on that session's topics. `conn` is set only while connected and subscribed.
 */
export class Uplink {
  conn: TransportConnection | undefined;
  session: Session | undefined;

  constructor(
    private readonly newId: () => string,
    private readonly now: () => number,
  ) {}

  get connected(): boolean {
    return this.conn !== undefined && this.session !== undefined;
  }

  /** Publishes a new envelope; throws when offline (use the outbox for messages that must arrive). */
  async publish(body: Omit<kefu.v1.IEnvelope, 'id' | 'sentAtMs'>, qos: 0 | 1 = 1): Promise<string> {
    const envelope: kefu.v1.IEnvelope = { id: this.newId(), sentAtMs: this.now(), ...body };
    await this.publishEnvelope(envelope, qos);
    return envelope.id ?? '';
  }

  /** Publishes an envelope as it is (outbox items keep their id); throws when offline. */
  async publishEnvelope(envelope: kefu.v1.IEnvelope, qos: 0 | 1 = 1): Promise<void> {
    const conn = this.conn;
    const session = this.session;
    if (!conn || !session) throw new Error('not connected');
    await conn.publish(session.mqtt.topics.up, encodeEnvelope(envelope), qos);
  }

  /** Publishes presence on `conn` (default: the current connection); false when there is none. */
  async announce(presence: kefu.v1.IEnvelope, conn = this.conn): Promise<boolean> {
    const session = this.session;
    if (!conn || !session) return false;
    await conn.publish(session.mqtt.topics.presence, encodeEnvelope(presence), 1);
    return true;
  }
}
