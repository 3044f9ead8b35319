import type { MessageRepository } from '../message-repository.js';

/**
 * Knows, per conversation, the highest seq stored — without a "max" query (FerretDB answers those with
 * a full scan). Seqs are contiguous from 1 (each is claimed by inserting `<conversation>:<seq>`), so the
 * frontier is found by galloping `_id` existence checks from the last seq this instance saw: a handful
 * of lookups on a cold start, usually one (a miss) afterwards.
 */
export class SeqFrontier {
  private readonly hints = new Map<string, number>();

  constructor(private readonly messages: MessageRepository) {}

  /** Highest stored seq (0 for an empty conversation), exact at the time of the call. */
  async last(conversationId: string): Promise<number> {
    let lo = this.hints.get(conversationId) ?? 0;
    // `lo` exists (or is 0); find a step that does not.
    let step = 1;
    while (await this.messages.seqExists(conversationId, lo + step)) {
      lo += step;
      step *= 2;
    }
    let hi = lo + step;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (await this.messages.seqExists(conversationId, mid)) lo = mid;
      else hi = mid;
    }
    this.record(conversationId, lo);
    return lo;
  }

  /** The highest seq this instance has seen, if any (may be behind: others write too). */
  known(conversationId: string): number | undefined {
    return this.hints.get(conversationId);
  }

  /** Notes that `seq` exists. */
  record(conversationId: string, seq: number): void {
    if ((this.hints.get(conversationId) ?? 0) >= seq) return;
    if (this.hints.size > 200_000) this.hints.clear();
    this.hints.set(conversationId, seq);
  }
}
