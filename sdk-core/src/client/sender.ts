import type { kefu } from '@kefu/proto';
import { Outbox, type OutboxItem } from '../outbox.js';
import type { KeyValueStorage } from '../storage.js';
import type { Uplink } from './uplink.js';

/** Server error codes that say "not now" rather than "never": the message stays and is resent. */
const TRANSIENT = new Set(['rate_limited', 'unavailable', 'internal']);

/**
 * The sending half of the delivery contract (DESIGN.md §2, step 1): a message is stored in the outbox
 * before it is published, and published again on every (re)connect and whenever it waited too long,
 * until its MessageAck — or until the server refuses it for good.
 */
export class Sender {
  private outbox: Outbox | undefined;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly uplink: Uplink,
    private readonly now: () => number,
    /** An unacknowledged message is published again after this long (then 2×, then 4×). */
    private readonly resendAfterMs: number,
  ) {}

  /** Another user's outbox (a new session uid); taken into use at once, loaded from storage. */
  use(key: string): Promise<void> {
    this.outbox = new Outbox(this.storage, key);
    return this.outbox.load();
  }

  /** Messages waiting for their ack. */
  pending(): readonly OutboxItem[] {
    return this.outbox?.list() ?? [];
  }

  /** Stores the message, then publishes it when connected. */
  async send(item: OutboxItem): Promise<void> {
    const outbox = this.outbox;
    if (!outbox) throw new Error('start() the client first');
    await outbox.add(item);
    void this.publish(item);
  }

  /** After every (re)connect: everything still waiting goes again. */
  async resendAll(): Promise<void> {
    for (const item of this.pending()) await this.publish(item);
  }

  /** Publishes again what waited its turn. */
  resendDue(): void {
    const now = this.now();
    // Each unacknowledged item waits 1×, 2×, then 4× resendAfter before it goes again: an overloaded
    // server is not buried under copies (each of which it must recognise as a duplicate).
    for (const item of this.pending()) {
      const wait = this.resendAfterMs * 2 ** Math.min(Math.max((item.attempts ?? 1) - 1, 0), 2);
      if (now - item.sentAt >= wait) void this.publish(item);
    }
  }

  /** The server stored the message: true the first time (a resend may be acked twice). */
  async acked(ack: kefu.v1.IMessageAck): Promise<boolean> {
    return (await this.outbox?.remove(ack.clientMsgId ?? '')) === true;
  }

  /** A message refused for good will never be acked: drop it rather than resend it forever. */
  refused(error: kefu.v1.IError): void {
    if (error.requestId && !TRANSIENT.has(error.code ?? '')) void this.outbox?.remove(error.requestId);
  }

  private async publish(item: OutboxItem): Promise<void> {
    if (!this.uplink.connected) return;
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
    await this.uplink.publishEnvelope(envelope).catch(() => undefined);
  }
}
