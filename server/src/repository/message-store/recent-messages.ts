/** What a resend's crash check looks at in a stored message; none of it changes once stored. */
export interface RecentMessage {
  senderUid: string;
  clientMsgId: string;
  createdAtMs: number;
}

/**
 * The newest stored messages of each conversation, as far as this instance has stored or read them, so
 * that a resend's crash check (a walk back from the seq frontier, by `_id`) reads each message from the
 * database at most once instead of once per resend: after a restart every client resends its whole
 * outbox, and each resend of a message never stored would otherwise read the conversation's newest
 * messages again. Voiding is not tracked: a match is read again from the database.
 */
export class RecentMessages {
  private readonly conversations = new Map<string, Map<number, RecentMessage>>();
  private size = 0;

  /** `window`: how many of a conversation's newest seqs are kept; `max`: entries over all of them. */
  constructor(
    private readonly window: number,
    private readonly max = 200_000,
  ) {}

  get(conversationId: string, seq: number): RecentMessage | undefined {
    return this.conversations.get(conversationId)?.get(seq);
  }

  note(m: {
    conversationId: string;
    seq: number;
    senderUid: string;
    clientMsgId: string;
    createdAt: Date;
  }): RecentMessage {
    const entry = { senderUid: m.senderUid, clientMsgId: m.clientMsgId, createdAtMs: m.createdAt.getTime() };
    if (this.size >= this.max) {
      this.conversations.clear();
      this.size = 0;
    }
    let seqs = this.conversations.get(m.conversationId);
    if (!seqs) {
      seqs = new Map();
      this.conversations.set(m.conversationId, seqs);
    }
    if (!seqs.has(m.seq)) this.size += 1;
    seqs.set(m.seq, entry);
    if (seqs.size > 2 * this.window) {
      // Forget what a walk from the frontier no longer reaches.
      const floor = Math.max(...seqs.keys()) - this.window;
      for (const seq of [...seqs.keys()]) {
        if (seq <= floor) {
          seqs.delete(seq);
          this.size -= 1;
        }
      }
    }
    return entry;
  }
}
