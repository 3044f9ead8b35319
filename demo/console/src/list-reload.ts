// When the conversation list is fetched again: at most one request at a time, however many changes
// arrive. Signing in with 500 open chats brings 500 conversation states; a request per 250 ms regardless
// of the one still running overlapped 22 slow list requests and showed the list after ~58 s
// (bench/README.md, "Console").

/** Changes arriving within this long of a reload's start are coalesced into one more. */
export const RELOAD_COALESCE_MS = 250;

export class ListReload {
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Loads in flight: a scheduled reload waits for them all. */
  private running = 0;
  /** A change arrived while a load was running: one more load once they are done. */
  private pending = false;
  private lastStartAt = -Infinity;
  private stopped = false;

  constructor(
    /** Fetches and shows the list; applies only the newest answer, never rejects. */
    private readonly load: () => Promise<void>,
    private readonly coalesceMs = RELOAD_COALESCE_MS,
  ) {}

  /**
   * Loads now (sign-in, another view): not behind a slow reload of what the agent no longer looks at.
   * A reload waiting for its timer is dropped, as this request starts after the change that asked for it.
   */
  async now(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running += 1;
    this.lastStartAt = Date.now();
    try {
      await this.load();
    } finally {
      this.running -= 1;
      if (this.running === 0 && this.pending) {
        this.pending = false;
        this.soon();
      }
    }
  }

  /**
   * A change: reload at once for the first (a new or transferred chat shows without delay), at most once
   * per `coalesceMs` for a burst, and while a load runs only mark one more for when it is done (so a
   * burst during a request costs one request more, not one per change).
   */
  soon(): void {
    if (this.stopped) return;
    if (this.running > 0) {
      this.pending = true;
      return;
    }
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastStartAt + this.coalesceMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.now().catch(() => undefined);
    }, wait);
  }

  /** No more reloads (the workbench is gone); a load in flight finishes without a follow-up. */
  stop(): void {
    this.stopped = true;
    this.pending = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
