import { Cached } from './cached.js';

/**
 * How long an instance reuses the open chats per agent (seats held, read from `seats` — on FerretDB a read
 * of every seat, the one read here that grows with the load). In between, its own choices, releases and
 * seats found taken keep them current; another instance's releases show at the next read.
 */
export const OPEN_COUNTS_MS = 30_000;

/**
 * The open chats per agent as this instance sees them: the seats held as last read (cached up to
 * OPEN_COUNTS_MS), corrected at once by this instance's own choices, releases and seats found taken.
 */
export class OpenCounts {
  private readonly held: Cached<Map<string, number>>;
  /**
   * Changes to the open counts since they were read (this instance's choices, seats found taken, and
   * releases). A fresh read replaces them, keeping only the releases made while it ran: it may have seen
   * those seats still held. So a count can only err low (a choice made while the read ran may be missing
   * from it) — the safe side: the seat claim is the truth, and a miss corrects the count; a count too high
   * could keep a customer queued while a seat is free.
   */
  private adjust = new Map<string, number>();
  private releasedWhileReading: Map<string, number> | undefined;

  constructor(seats: { held(): Promise<Map<string, number>> }) {
    this.held = new Cached(OPEN_COUNTS_MS, async () => {
      const released = new Map<string, number>();
      this.releasedWhileReading = released;
      try {
        const counts = await seats.held();
        this.adjust = released;
        return counts;
      } finally {
        this.releasedWhileReading = undefined;
      }
    });
  }

  /** The seats held as read (pass them to `openOf`); `fresh`: read afresh rather than cached. */
  read(fresh = false): Promise<Map<string, number>> {
    return this.held.get(fresh);
  }

  /** An agent's open chats: `counts` (from `read`) with this instance's changes since. */
  openOf(counts: Map<string, number>, uid: string): number {
    return Math.max(0, (counts.get(uid) ?? 0) + (this.adjust.get(uid) ?? 0));
  }

  /** Counts an agent's open chats as exactly `open` until the next read. */
  setOpen(uid: string, open: number): void {
    this.adjust.set(uid, open - (this.held.peek()?.get(uid) ?? 0));
  }

  /** A chat taken (`by` > 0) or given back (`by` < 0) here. */
  bump(uid: string, by: number): void {
    this.adjust.set(uid, (this.adjust.get(uid) ?? 0) + by);
    const released = this.releasedWhileReading;
    if (by < 0 && released) released.set(uid, (released.get(uid) ?? 0) + by);
  }
}
