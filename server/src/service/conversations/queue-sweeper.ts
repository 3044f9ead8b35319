import type { Logger } from '../../log.js';
import type { Conversation } from '../../repository/conversation-repository.js';
import type { Placement } from './placement.js';
import type { QueuePositions } from './queue-positions.js';

/**
 * The backlog sweep: assigns queued conversations in queue order (highest priority, then the longest
 * waiting) while agents have free seats. Runs whenever capacity frees up: an agent comes online, a chat
 * closes or is transferred away.
 */
export class QueueSweeper {
  private readonly sweeps = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: {
      conversations: { listQueued(limit: number): Promise<Conversation[]> };
      placement: Placement;
      positions: QueuePositions;
      logger: Logger;
    },
  ) {}

  async sweep(limit = 100): Promise<number> {
    let assigned = 0;
    // A queue (routing target) with no free seat is skipped for the rest of the sweep; the others go on.
    const full = new Set<string>();
    for (const c of await this.deps.conversations.listQueued(limit)) {
      const key = c.routeKey ?? '*';
      if (full.has(key)) continue;
      if (await this.deps.placement.assign(c)) assigned += 1;
      else full.add(key);
    }
    if (assigned > 0) this.deps.positions.changed();
    return assigned;
  }

  /** A seat was freed: sweep without making the caller wait; a failure is logged. */
  soon(): void {
    const sweep = this.sweep().catch((err: unknown) => {
      this.deps.logger.warn({ err }, 'queue sweep failed');
    });
    this.sweeps.add(sweep);
    void sweep.finally(() => this.sweeps.delete(sweep));
  }

  /** Resolves once the sweeps started so far have finished (shutdown, and tests of the queue). */
  async settled(): Promise<void> {
    while (this.sweeps.size > 0) await Promise.all([...this.sweeps]);
  }
}
