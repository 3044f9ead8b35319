import type { kefu } from '@kefu/proto';
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
 * every (re)connect and whenever it waited too long. Writes go through a queue so concurrent changes
 * never overwrite each other in storage.
 */
export class Outbox {
  private items: OutboxItem[] = [];
  private loaded = false;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
  ) {}

  async load(): Promise<void> {
    if (this.loaded) return;
    const raw = await this.storage.get(this.key);
    if (raw) {
      try {
        const parsed = JSON.parse(raw) as unknown;
        if (Array.isArray(parsed)) this.items = parsed as OutboxItem[];
      } catch {
        this.items = [];
      }
    }
    this.loaded = true;
  }

  list(): readonly OutboxItem[] {
    return this.items;
  }

  has(id: string): boolean {
    return this.items.some((i) => i.id === id);
  }

  async add(item: OutboxItem): Promise<void> {
    this.items.push(item);
    await this.persist();
  }

  /** Remembers the publish (persisted: a resend after a restart is still flagged as a retry). */
  markSent(id: string, at: number): void {
    const item = this.items.find((i) => i.id === id);
    if (!item) return;
    const first = item.sentAt === 0;
    item.sentAt = at;
    item.attempts = (item.attempts ?? 0) + 1;
    if (first) void this.persist();
  }

  /** Removes an acknowledged item; false if it was not there (a duplicate ack). */
  async remove(id: string): Promise<boolean> {
    const before = this.items.length;
    this.items = this.items.filter((i) => i.id !== id);
    if (this.items.length === before) return false;
    await this.persist();
    return true;
  }

  private persist(): Promise<void> {
    const snapshot = JSON.stringify(this.items);
    this.writing = this.writing.then(() => this.storage.set(this.key, snapshot)).catch(() => undefined);
    return this.writing;
  }
}
