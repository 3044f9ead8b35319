import type { Logger } from '../../log.js';
import type { SeqFrontier } from './seq-frontier.js';
import type { MessageRepository, MessageTail, StoredMessage } from '../../repository/message-repository.js';

/** How many of a conversation's newest messages its tail keeps (a console's first page is 50). */
export const TAIL_SIZE = 64;

export interface HistoryPage {
  /** Ascending by seq. */
  messages: StoredMessage[];
  hasMore: boolean;
}

/**
 * Pages of a conversation's messages. The newest pages come from the conversation's tail document
 * (model/message-tail.ts) when it checks out, which is a couple of `_id` reads instead of a range query
 * (FerretDB answers a range query with a scan of the whole collection). Without a tail that checks out,
 * the newest pages are read by `_id` (and rebuild the tail); older pages come from the range query.
 *
 * Why a served page is right: seqs are contiguous from 1 and a seq exists only once the one before it
 * does, so a contiguous tail ending at `last` with no `last + 1` stored holds exactly the newest
 * messages. Stored messages never change except through recall or voiding, and those write a mutation
 * record before they change the message: every message with a record is read again from `messages`.
 * Tail writes may be lost or land out of order (FerretDB updates are not atomic); the checks catch that.
 */
export class MessageHistory {
  /** Per conversation: the messages waiting for the tail write in progress, and its end. */
  private readonly appending = new Map<string, { pending: StoredMessage[]; done: Promise<void> }>();

  constructor(
    private readonly messages: MessageRepository,
    private readonly frontier: SeqFrontier,
    private readonly logger: Logger,
    private readonly tailSize = TAIL_SIZE,
  ) {}

  /** Up to `limit` messages with seq < `beforeSeq`, the newest of them. */
  async before(conversationId: string, beforeSeq: number, limit: number): Promise<HistoryPage> {
    const tail = await this.messages.findTail(conversationId);
    if (tail) {
      const end = Math.min(beforeSeq - 1, tail.lastSeq);
      const page = await this.fromTail(
        tail,
        Math.max(1, end - limit + 1),
        end,
        beforeSeq - 1 >= tail.lastSeq,
      );
      if (page) return { messages: page, hasMore: (page[0]?.seq ?? end + 1) > 1 };
    }
    const rebuilt = await this.rebuildNewest(conversationId, beforeSeq, limit);
    if (rebuilt) return rebuilt;
    const desc = await this.messages.listMessagesBefore(conversationId, beforeSeq, limit + 1);
    return { messages: desc.slice(0, limit).reverse(), hasMore: desc.length > limit };
  }

  /**
   * Without a usable tail, a page among the newest `tailSize` messages is read by `_id` — the frontier
   * (galloping existence checks), then each of the newest seqs — which also rebuilds the tail. Null for
   * older pages, or if a seq below the frontier is missing (never, as seqs exist only in order).
   */
  private async rebuildNewest(
    conversationId: string,
    beforeSeq: number,
    limit: number,
  ): Promise<HistoryPage | null> {
    const last = await this.frontier.last(conversationId);
    const end = Math.min(beforeSeq - 1, last);
    const from = Math.max(1, last - this.tailSize + 1);
    const start = Math.max(1, end - limit + 1);
    if (last === 0 || start < from) return null;
    const newest = await this.messages.findMessagesBySeq(conversationId, from, last);
    if (!newest.every((m) => m !== null)) return null;
    await this.rebuild(newest);
    return { messages: newest.slice(start - from, end - from + 1), hasMore: start > 1 };
  }

  /** Up to `limit` messages with seq > `afterSeq`, the oldest of them. */
  async after(conversationId: string, afterSeq: number, limit: number): Promise<HistoryPage> {
    const tail = await this.messages.findTail(conversationId);
    if (tail) {
      const start = afterSeq + 1;
      const end = Math.min(afterSeq + limit, tail.lastSeq);
      const page = await this.fromTail(tail, start, end, end >= tail.lastSeq);
      if (page) return { messages: page, hasMore: end < tail.lastSeq };
    }
    // Not rebuilt here: a sync that reaches the end usually holds only a few messages, and syncs come in
    // bursts (every device after a restart); the next newest-page read rebuilds it.
    const asc = await this.messages.listMessagesAfter(conversationId, afterSeq, limit + 1);
    return { messages: asc.slice(0, limit), hasMore: asc.length > limit };
  }

  /**
   * Seqs `start..end` from the tail, or null when it cannot answer: it does not hold them all, or (when
   * the page reaches the tail's end) a newer message exists.
   */
  private async fromTail(
    tail: MessageTail,
    start: number,
    end: number,
    reachesEnd: boolean,
  ): Promise<StoredMessage[] | null> {
    const first = tail.messages[0]?.seq;
    if (first === undefined || !wellFormed(tail)) return null;
    if (start <= end && start < first) return null;
    if (start > end + 1) return null;
    const conversationId = tail.messages[0]?.conversationId ?? '';
    if (reachesEnd && (await this.messages.seqExists(conversationId, tail.lastSeq + 1))) return null;
    const page = tail.messages.slice(start - first, end - first + 1);
    const mutated = new Set(await this.messages.listMutatedSeqs(conversationId));
    return Promise.all(
      page.map(async (m) => (mutated.has(m.seq) ? ((await this.messages.findMessage(m.id)) ?? m) : m)),
    );
  }

  private async rebuild(ascending: StoredMessage[]): Promise<void> {
    const first = ascending[0];
    if (!first || !consecutive(ascending)) return;
    try {
      await this.messages.saveTail(first.conversationId, ascending);
    } catch (err) {
      this.logger.warn({ err, conversationId: first.conversationId }, 'message tail rebuild failed');
    }
  }

  /**
   * After `m` is stored: extends the conversation's tail in the background. Per conversation one write
   * runs at a time and takes every message stored meanwhile (a burst costs one read and one write, not
   * one of each per message). A tail that does not end right before them is left alone (the next read
   * rebuilds it); one grown a quarter past its size is trimmed.
   */
  appended(m: StoredMessage): Promise<void> {
    const entry = this.appending.get(m.conversationId);
    if (entry) {
      entry.pending.push(m);
      return entry.done;
    }
    const pending = [m];
    const done = (async () => {
      // Let the messages of this burst gather first.
      await Promise.resolve();
      while (pending.length > 0) {
        const batch = pending.splice(0).sort((a, b) => a.seq - b.seq);
        await this.append(m.conversationId, batch);
      }
      this.appending.delete(m.conversationId);
    })();
    this.appending.set(m.conversationId, { pending, done });
    return done;
  }

  private async append(conversationId: string, batch: StoredMessage[]): Promise<void> {
    try {
      const tail = await this.messages.findTail(conversationId);
      if (!tail) {
        // The first messages start the tail; anything later waits for a reader to build it.
        if (batch[0]?.seq === 1 && consecutive(batch)) await this.messages.saveTail(conversationId, batch);
        return;
      }
      const next = batch.filter((x) => x.seq > tail.lastSeq);
      if (next[0]?.seq !== tail.lastSeq + 1 || !consecutive(next)) return;
      if (tail.messages.length + next.length > this.tailSize + this.tailSize / 4) {
        const all = [...tail.messages, ...next];
        if (consecutive(all)) await this.messages.saveTail(conversationId, all.slice(-this.tailSize));
        return;
      }
      await this.messages.appendToTail(conversationId, next);
    } catch (err) {
      this.logger.warn({ err, conversationId }, 'message tail append failed');
    }
  }

  /** Call before a stored message changes (recall, void). */
  async mutating(m: StoredMessage, kind: 'recall' | 'void'): Promise<void> {
    await this.messages.recordMutation(m, kind);
  }
}

/** A non-empty run of consecutive seqs, ascending. */
function consecutive(messages: readonly StoredMessage[]): boolean {
  const first = messages[0]?.seq;
  return first !== undefined && messages.every((m, i) => m.seq === first + i);
}

/** A tail a reader may use: consecutive seqs ending at its `last_seq`. */
function wellFormed(tail: MessageTail): boolean {
  return consecutive(tail.messages) && tail.messages.at(-1)?.seq === tail.lastSeq;
}
