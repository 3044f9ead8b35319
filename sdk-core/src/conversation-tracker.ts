import type { kefu } from '@kefu/proto';

/**
 * Per-conversation delivery state on the client (DESIGN.md §2, step 3): emits messages exactly once and
 * in seq order, holds back messages after a gap and says when to sync.
 */
export class ConversationTracker {
  /** Highest seq delivered with no gap before it. */
  lastSeq: number;
  private readonly pending = new Map<number, kefu.v1.IMessage>();

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
      ready.push(next);
    }
    return ready;
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
