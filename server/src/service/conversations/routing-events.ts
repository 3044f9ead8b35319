import type { Logger } from '../../log.js';
import type { Conversation } from '../../repository/conversation-repository.js';
import type { RoutingEvent } from '../../repository/routing-repository.js';

/** Statistics events are written together at most this long after they happen. */
const EVENT_FLUSH_MS = 50;

export interface RoutingEventSink {
  recordEvents(events: readonly { key: string; event: RoutingEvent }[]): Promise<void>;
}

/**
 * The routing statistics events (queued, assigned, transferred, timed out …), written in the background:
 * every EVENT_FLUSH_MS one insert per batch rather than one per event, off every arrival's path.
 */
export class RoutingEventRecorder {
  private readonly pending = new Set<Promise<void>>();
  private batch: { key: string; event: RoutingEvent }[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly sink: RoutingEventSink | undefined,
    private readonly logger: Logger,
  ) {}

  /** The dimensions every routing event carries. */
  fact(c: Conversation, type: RoutingEvent['type'], at = new Date()): RoutingEvent {
    return {
      type,
      conversationId: c.id,
      customerUid: c.customerUid,
      channel: c.channel,
      groupId: c.routeGroupId,
      agentUid: c.agentUid ?? undefined,
      at,
    };
  }

  /** Records an event in the background; `key` makes a retried fact a no-op. */
  record(key: string, e: RoutingEvent): void {
    this.batch.push({ key, event: e });
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.flush();
    }, EVENT_FLUSH_MS);
    this.timer.unref();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0 || !this.sink) return;
    const written = this.sink.recordEvents(batch).catch((err: unknown) => {
      this.logger.warn({ err, events: batch.length }, 'routing events lost');
    });
    this.pending.add(written);
    void written.finally(() => this.pending.delete(written));
  }

  /** Writes the events recorded so far and resolves once they are stored (tests, shutdown). */
  async written(): Promise<void> {
    do {
      this.flush();
      await Promise.all([...this.pending]);
    } while (this.batch.length > 0);
  }
}
