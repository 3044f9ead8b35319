import type { kefu } from '@kefu/proto';

/**
 * Per-conversation delivery state on the client (DESIGN.md §2, step 3): emits messages exactly once and
 * in seq order, holds back messages after a gap and says when to sync.
 */
export class ConversationTracker {
  /** Highest seq delivered with no gap before it. */
  lastSeq: number;
  private readonly pending = new Map<number, kefu.v1.IMessage>();
  /**
   * Client messages already delivered (sender + client_msg_id). Two server instances racing on one
   * resend can each store a copy; the loser is voided, but a sync may have shown it first. Either copy is
   * the same message, so the second is dropped. Bounded: the race only spans seconds.
   */
  private readonly delivered = new Set<string>();

  constructor(
    readonly conversationId: string,
    lastSeq: number,
  ) {
    this.lastSeq = lastSeq;
  }

  /**
   * Takes a message from a fan-out or a sync page; returns the messages now deliverable, in order.
   * Already delivered ones (seq ≤ lastSeq) and repeats are dropped.
   */
  accept(message: kefu.v1.IMessage): kefu.v1.IMessage[] {
    const seq = message.seq ?? 0;
    if (seq <= this.lastSeq || this.pending.has(seq)) return [];
    this.pending.set(seq, message);
    const ready: kefu.v1.IMessage[] = [];
    for (let next = this.pending.get(this.lastSeq + 1); next; next = this.pending.get(this.lastSeq + 1)) {
      this.pending.delete(this.lastSeq + 1);
      this.lastSeq += 1;
      if (!next.hidden && this.firstDelivery(next)) ready.push(next);
    }
    return ready;
  }

  private firstDelivery(m: kefu.v1.IMessage): boolean {
    if (!m.clientMsgId || !m.sender?.uid) return true;
    const key = `${m.sender.uid}:${m.clientMsgId}`;
    if (this.delivered.has(key)) return false;
    if (this.delivered.size >= 2_000) this.delivered.clear();
    this.delivered.add(key);
    return true;
  }

  /** True when messages wait behind a missing seq. */
  hasGap(): boolean {
    return this.pending.size > 0;
  }

  /** The server says the conversation has `lastSeq` messages: a gap if we are behind. */
  behind(serverLastSeq: number): boolean {
    return serverLastSeq > this.lastSeq;
  }
}
