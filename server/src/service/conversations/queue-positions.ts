import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import type { Conversation } from '../../repository/conversation-repository.js';
import type { Publisher } from '../messaging/publisher.js';
import { routeOf } from './conversation-state.js';
import type { WaitEstimator } from './wait-estimate.js';

/** Queue position pushes are coalesced over this long. */
const QUEUE_NOTIFY_DELAY_MS = 100;
/** Customers told per push: the first of the queue. */
const TOLD_AT_MOST = 500;

/** Tells queued customers their position and estimated wait whenever the queue moves. */
export class QueuePositions {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly deps: {
      conversations: { listQueued(limit: number): Promise<Conversation[]> };
      waits: WaitEstimator;
      publisher: Publisher;
      logger: Logger;
    },
  ) {}

  /** The queue moved: push every queued customer their position (coalesced). */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.notify().catch((err: unknown) => {
        this.deps.logger.warn({ err }, 'queue position update failed');
      });
    }, QUEUE_NOTIFY_DELAY_MS);
  }

  /** Sends each queued customer a `queued` event with their position and estimated wait. */
  async notify(): Promise<number> {
    const queued = await this.deps.conversations.listQueued(TOLD_AT_MOST);
    if (queued.length === 0) return 0;
    // Positions count within each queue (routing target).
    const positions = new Map<string, number>();
    const perPosition = new Map<string, number>();
    const numbered: { c: Conversation; position: number; perPosition: number }[] = [];
    for (const c of queued) {
      const key = c.routeKey ?? '*';
      const position = (positions.get(key) ?? 0) + 1;
      positions.set(key, position);
      let per = perPosition.get(key);
      if (per === undefined) {
        per = await this.deps.waits.estimate(1, routeOf(c));
        perPosition.set(key, per);
      }
      numbered.push({ c, position, perPosition: per });
    }
    const at = Date.now();
    await Promise.all(
      numbered.map(({ c, position, perPosition }) =>
        this.deps.publisher.toUser(
          'c',
          c.customerUid,
          {
            id: newId(),
            sentAtMs: at,
            conversationEvent: {
              conversationId: c.id,
              atMs: at,
              queued: { position, estimatedWaitMs: perPosition * position },
            },
          },
          1,
        ),
      ),
    );
    return queued.length;
  }
}
