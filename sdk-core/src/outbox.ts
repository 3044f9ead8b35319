import type { kefu } from '@kefu/proto';
import { OutboxLog } from './outbox-log.js';
import type { KeyValueStorage } from './storage.js';

/** A message the server has not acknowledged yet. Survives reloads and app restarts (storage). */
export interface OutboxItem {
  /** client_msg_id (the envelope id): the server de-duplicates resends on it. */
  id: string;
  conversationId: string;
  content: kefu.v1.IContent;
  quoteMessageId?: string;
  internalNote?: boolean;
  createdAt: number;
  /** Last time it was published, 0 if never. */
  sentAt: number;
  /** Publishes so far (resends back off exponentially). */
  attempts?: number;
}

/**
 * Durable outbox (DESIGN.md §2, step 1): every item stays until its MessageAck arrives and is resent on
 * every (re)connect and whenever it waited too long. Storage gets each change, not the whole outbox
 * (OutboxLog): an agent with hundreds of messages in flight writes in proportion to what changed.
 */
export class Outbox {
  private readonly items = new Map<string, OutboxItem>();
  /** list()'s answer until the next add or remove. */
  private listed: OutboxItem[] | undefined;
  private readonly log: OutboxLog;
  private loaded = false;

  constructor(storage: KeyValueStorage, key: string, options: { compactAfter?: number } = {}) {
    this.log = new OutboxLog(storage, key, this.items, options.compactAfter);
  }

  async load(): Promise<void> {
    if (this.loaded) return;
    for (const item of await this.log.load()) this.items.set(item.id, item);
    this.listed = undefined;
    this.loaded = true;
  }

  /** The items in the order they were added. */
  list(): readonly OutboxItem[] {
    this.listed ??= [...this.items.values()];
    return this.listed;
  }

  has(id: string): boolean {
    return this.items.has(id);
  }

  /** Resolves once the item is in storage. */
  async add(item: OutboxItem): Promise<void> {
    this.items.set(item.id, item);
    this.listed = undefined;
    await this.log.write({ add: item });
  }

  /** Remembers the publish (persisted: a resend after a restart is still flagged as a retry). */
  markSent(id: string, at: number): void {
    const item = this.items.get(id);
    if (!item) return;
    const first = item.sentAt === 0;
    item.sentAt = at;
    item.attempts = (item.attempts ?? 0) + 1;
    if (first) void this.log.write({ sent: id, at, attempts: item.attempts });
  }

  /** Removes an acknowledged item; false if it was not there (a duplicate ack). */
  async remove(id: string): Promise<boolean> {
    if (!this.items.delete(id)) return false;
    this.listed = undefined;
    await this.log.write({ remove: id });
    return true;
  }
}
