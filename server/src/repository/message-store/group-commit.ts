/**
 * Group commit: items submitted while a flush is under way are written together by the next flush, so
 * a busy server writes many messages with one command instead of one command each, and an idle one
 * writes a single message at once (no timer waits for company). One flush runs at a time.
 *
 * `lane(item)` keeps items of one lane (a conversation) in separate flushes, in submission order: a
 * flush never holds two seqs of one conversation, so a failed insert can never leave a hole below a
 * stored seq.
 */
export class GroupCommit<T, R> {
  private queue: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly lane: (item: T) => string,
    private readonly maxBatch = 256,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      // Let the submissions of this turn of the event loop join the first flush.
      if (!this.running) {
        this.running = true;
        queueMicrotask(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.take();
      try {
        const results = await this.flush(batch.map((b) => b.item));
        batch.forEach((b, i) => {
          b.resolve(results[i] as R);
        });
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
    this.running = false;
  }

  /** The oldest item of each lane, up to maxBatch; the rest waits for the next flush. */
  private take(): typeof this.queue {
    const lanes = new Set<string>();
    const batch: typeof this.queue = [];
    const rest: typeof this.queue = [];
    for (const entry of this.queue) {
      const lane = this.lane(entry.item);
      if (batch.length < this.maxBatch && !lanes.has(lane)) {
        lanes.add(lane);
        batch.push(entry);
      } else rest.push(entry);
    }
    this.queue = rest;
    return batch;
  }
}
