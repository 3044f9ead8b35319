/** A cached value up to this many TTLs old is answered while it is re-read; older ones are waited for. */
const STALE_FACTOR = 3;

/**
 * A value read at most once per `ttlMs`, shared by concurrent callers. Once it has a value, one expired
 * less than STALE_FACTOR × ttlMs ago is still answered while the fresh read runs in the background
 * (arrivals on a busy instance never wait for the refresh); an older one is waited for; `clear()` makes
 * the next caller wait for a fresh read.
 */
export class Cached<T> {
  private value: { at: number; value: T } | undefined;
  private loading: Promise<T> | undefined;
  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
  ) {}
  /** `fresh`: the read under way, if any, else a new one (concurrent callers share it), never the cache. */
  async get(fresh = false): Promise<T> {
    if (fresh) return this.refresh();
    const current = this.value;
    const age = current ? Date.now() - current.at : Infinity;
    if (current && age <= this.ttlMs) return current.value;
    const loading = this.refresh();
    // Slightly stale (a busy instance): answered while the fresh read runs. Stale for longer (an idle
    // one): waited for, so a change made a while ago is never decided on with the old value.
    if (current && age <= this.ttlMs * STALE_FACTOR) {
      loading.catch(() => undefined); // the next call tries again
      return current.value;
    }
    return loading;
  }
  /** The value read last, if any (not refreshed). */
  peek(): T | undefined {
    return this.value?.value;
  }
  private refresh(): Promise<T> {
    if (!this.loading) {
      const started = Date.now();
      this.loading = this.load().then(
        (value) => {
          this.value = { at: started, value };
          this.loading = undefined;
          return value;
        },
        (err: unknown) => {
          this.loading = undefined;
          throw err;
        },
      );
    }
    return this.loading;
  }
  clear(): void {
    this.value = undefined;
  }
}
