import type { OutboxItem } from './outbox.js';
import type { KeyValueStorage } from './storage.js';

/** One change to the outbox, as written to storage. */
export type OutboxChange =
  { add: OutboxItem } | { sent: string; at: number; attempts: number } | { remove: string };

/** The snapshot under the outbox's own key; before this format the key held a bare `OutboxItem[]`. */
interface Snapshot {
  v: 2;
  /** Number of the first change record written after this snapshot. */
  base: number;
  items: OutboxItem[];
}

/**
 * How the outbox lives in a key-value storage, at a cost proportional to each change: a snapshot under
 * `key`, then one record per write under `key:<n>` (n = base, base + 1, …; a load reads on until the
 * first missing number). Once there are more records than items (or no items), a new snapshot replaces
 * them all, so each change costs its own bytes plus at most about one item's share of a snapshot
 * (README, "Outbox storage").
 * Changes made in the same turn share one record; writes go one at a time, in order.
 */
export class OutboxLog {
  private base = 0;
  private next = 0;
  private queued: OutboxChange[] = [];
  /** The write that will take the queued changes (not started yet). */
  private nextWrite: Promise<void> | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
    /** The outbox's items now (by id): what a new snapshot holds. */
    private readonly items: ReadonlyMap<string, OutboxItem>,
    /** Records kept before a snapshot replaces them, at least (more while there are more items). */
    private readonly compactAfter = 32,
  ) {}

  /** The stored items: the snapshot (either format) with every change record after it applied. */
  async load(): Promise<OutboxItem[]> {
    const items = new Map<string, OutboxItem>();
    const snapshot = parse(await this.storage.get(this.key));
    // A bare array is the format before change records: the whole outbox, rewritten on every change.
    const stored = (
      Array.isArray(snapshot) ? snapshot : isSnapshot(snapshot) ? snapshot.items : []
    ) as OutboxItem[];
    for (const item of stored) items.set(item.id, item);
    this.base = isSnapshot(snapshot) ? snapshot.base : 0;
    this.next = this.base;
    for (;;) {
      const raw = await this.storage.get(this.record(this.next));
      if (raw === null) break;
      const changes = parse(raw);
      // An unreadable record is skipped, not an end: the records after it were written after it.
      if (Array.isArray(changes)) for (const change of changes as OutboxChange[]) apply(items, change);
      this.next += 1;
    }
    return [...items.values()];
  }

  /** Stores `change` (with any others made in the same turn); resolves once stored. Never rejects. */
  write(change: OutboxChange): Promise<void> {
    this.queued.push(change);
    if (!this.nextWrite) {
      const write = this.chain
        .then(() => {
          this.nextWrite = undefined;
          return this.writeQueued();
        })
        .catch(() => undefined);
      this.nextWrite = write;
      this.chain = write;
    }
    return this.nextWrite;
  }

  private async writeQueued(): Promise<void> {
    const changes = this.queued;
    this.queued = [];
    try {
      await this.storage.set(this.record(this.next), JSON.stringify(changes));
    } catch {
      // Not stored: these changes go with the next write (a record number is never left out).
      this.queued = changes.concat(this.queued);
      return;
    }
    this.next += 1;
    const records = this.next - this.base;
    // An empty outbox is compacted at once: storage then holds one small key until the next message.
    if (this.items.size === 0 || records > Math.max(this.compactAfter, this.items.size)) await this.compact();
  }

  /** A new snapshot, then the records it replaces go (a crash in between leaves them unread). */
  private async compact(): Promise<void> {
    const snapshot: Snapshot = { v: 2, base: this.next, items: [...this.items.values()] };
    try {
      await this.storage.set(this.key, JSON.stringify(snapshot));
    } catch {
      return;
    }
    const old = this.base;
    this.base = snapshot.base;
    for (let n = old; n < snapshot.base; n += 1)
      await this.storage.remove(this.record(n)).catch(() => undefined);
  }

  private record(n: number): string {
    return `${this.key}:${String(n)}`;
  }
}

function apply(items: Map<string, OutboxItem>, change: OutboxChange): void {
  if ('add' in change) {
    if (!items.has(change.add.id)) items.set(change.add.id, change.add);
  } else if ('sent' in change) {
    const item = items.get(change.sent);
    if (item) Object.assign(item, { sentAt: change.at, attempts: change.attempts });
  } else {
    items.delete(change.remove);
  }
}

function parse(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

function isSnapshot(value: unknown): value is Snapshot {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Partial<Snapshot>;
  return s.v === 2 && typeof s.base === 'number' && Array.isArray(s.items);
}
