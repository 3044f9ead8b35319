import type { RouteTarget } from '../routing/settings.js';

/** Without recent closed chats to learn from, a chat is assumed to take this long. */
const DEFAULT_HANDLING_MS = 5 * 60_000;
const HANDLING_TTL_MS = 60_000;

/**
 * A queued customer's estimated wait: position × (average handling time of the last 50 closed chats ÷
 * seats of the agents online now) — the queue moves as fast as seats free up. 0 (unknown) while nobody
 * is online.
 */
export class WaitEstimator {
  private handling: { ms: number; at: number } | undefined;

  constructor(
    private readonly deps: {
      onlineCapacity(target: RouteTarget): Promise<number>;
      recentHandlingTimes(limit: number): Promise<number[]>;
    },
  ) {}

  async estimate(position: number, target: RouteTarget): Promise<number> {
    const capacity = await this.deps.onlineCapacity(target);
    if (capacity === 0) return 0;
    if (!this.handling || Date.now() - this.handling.at > HANDLING_TTL_MS) {
      const recent = await this.deps.recentHandlingTimes(50);
      const ms = recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : DEFAULT_HANDLING_MS;
      this.handling = { ms, at: Date.now() };
    }
    return Math.round((position * this.handling.ms) / capacity);
  }
}
