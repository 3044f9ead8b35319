/**
 * The timers of the current connection, at most one per job: scheduling a job replaces its previous
 * timer, so a client holds a bounded number of them however long it stays connected (the 10,000-
 * connection benchmark found a list that kept every 5 s tick until the connection ended).
 */
export class ConnectionTimers {
  private readonly jobs = new Map<string, ReturnType<typeof setTimeout>>();

  /** Runs `run` once after `ms`, replacing the job's pending timer. */
  once(job: string, ms: number, run: () => void): void {
    this.cancel(job);
    // setTimeout runs a delay beyond 2^31 - 1 ms (~24.8 days) at once: wait the longest it can instead.
    const delay = Math.min(ms, 2_147_483_647);
    this.jobs.set(
      job,
      setTimeout(() => {
        this.jobs.delete(job);
        run();
      }, delay),
    );
  }

  /** Runs `run` every `ms` until cancelled. */
  every(job: string, ms: number, run: () => void): void {
    this.once(job, ms, () => {
      // Scheduled before running: a `run` that ends the connection (clearAll) cancels the next tick too.
      this.every(job, ms, run);
      run();
    });
  }

  cancel(job: string): void {
    const timer = this.jobs.get(job);
    if (timer !== undefined) clearTimeout(timer);
    this.jobs.delete(job);
  }

  clearAll(): void {
    for (const timer of this.jobs.values()) clearTimeout(timer);
    this.jobs.clear();
  }
}
