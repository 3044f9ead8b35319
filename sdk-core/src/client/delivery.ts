import type { kefu } from '@kefu/proto';
import { ConversationTracker } from '../conversation-tracker.js';
import type { KeyValueStorage } from '../storage.js';
import type { Uplink } from './uplink.js';

export interface DeliveryOptions {
  storage: KeyValueStorage;
  uplink: Uplink;
  now: () => number;
  gapWaitMs: number;
  backfill: boolean;
  message(message: kefu.v1.IMessage): void;
  conversation(state: kefu.v1.IConversationState): void;
}

/**
 * The receiving half of the delivery contract (DESIGN.md §2): each conversation's messages once and in
 * seq order, a sync when a gap stays open or the server is ahead, and the positions kept in storage so
 * an app restart resumes where it stopped.
 */
export class Delivery {
  private readonly trackers = new Map<string, ConversationTracker>();
  /** Syncs asked for and not answered yet: conversation id → when. */
  private readonly syncing = new Map<string, number>();
  private readonly gapTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private seqKey: string | undefined;

  constructor(private readonly o: DeliveryOptions) {}

  /** Conversations followed, with the last seq delivered. */
  conversations(): { id: string; lastSeq: number }[] {
    return [...this.trackers.values()].map((t) => ({ id: t.conversationId, lastSeq: t.lastSeq }));
  }

  /** Another user's positions (a new session uid): forget the old ones, load what was stored. */
  async load(seqKey: string): Promise<void> {
    this.seqKey = seqKey;
    this.trackers.clear();
    const raw = await this.o.storage.get(seqKey);
    if (!raw) return;
    try {
      for (const [id, seq] of Object.entries(JSON.parse(raw) as Record<string, number>)) {
        this.trackers.set(id, new ConversationTracker(id, seq));
      }
    } catch {
      // Unreadable: start over; sync fills everything in.
    }
  }

  /** Asks for messages after what was delivered (or after `afterSeq`); throws when offline. */
  async sync(conversationId: string, afterSeq?: number): Promise<void> {
    const tracker = this.tracker(conversationId);
    const from = afterSeq ?? tracker.lastSeq;
    this.syncing.set(conversationId, this.o.now());
    await this.o.uplink.publish({ syncRequest: { conversationId, afterSeq: from, limit: 200 } });
  }

  /** After every (re)connect: every conversation's state from the server, and what each one missed. */
  async syncAll(): Promise<void> {
    this.syncing.clear();
    await this.o.uplink.publish({ syncRequest: {} });
    for (const t of this.trackers.values()) await this.sync(t.conversationId);
  }

  /** Asks again for syncs unanswered for longer than `afterMs`. */
  retrySyncs(afterMs: number): void {
    const now = this.o.now();
    for (const [id, at] of this.syncing) if (now - at > afterMs) void this.sync(id).catch(() => undefined);
  }

  stop(): void {
    for (const t of this.gapTimers.values()) clearTimeout(t);
    this.gapTimers.clear();
  }

  deliver(message: kefu.v1.IMessage): void {
    const tracker = this.tracker(message.conversationId ?? '');
    const before = tracker.lastSeq;
    // Placeholders (hidden) and second copies only advance the seq; see ConversationTracker.
    const ready = tracker.accept(message);
    for (const m of ready) this.o.message(m);
    if (tracker.lastSeq !== before) this.persist();
    if (tracker.hasGap()) this.syncAfterGapWait(tracker);
  }

  syncResponse(res: kefu.v1.ISyncResponse): void {
    if (!res.conversationId) return;
    if (res.conversation) this.state(res.conversation, false);
    const tracker = this.tracker(res.conversationId);
    const got = res.messages?.length ?? 0;
    for (const m of res.messages ?? []) this.deliver(m);
    this.syncing.delete(res.conversationId);
    const behind = tracker.behind(res.lastSeq ?? 0);
    // Next page when this one brought messages and more exist; a state-only answer (the "all my
    // conversations" sync) is followed by a real one when we are behind. Never loop on empty pages.
    const stateOnly = got === 0 && res.hasMore === true;
    if ((got > 0 && (res.hasMore || behind)) || (stateOnly && behind)) {
      void this.sync(res.conversationId).catch(() => undefined);
    }
  }

  state(state: kefu.v1.IConversationState, syncIfBehind = true): void {
    if (!state.id) return;
    const unknown = !this.trackers.has(state.id);
    const tracker = this.tracker(state.id);
    if (unknown && !this.o.backfill) {
      tracker.lastSeq = state.lastSeq ?? 0;
      this.persist();
    }
    this.o.conversation(state);
    if (syncIfBehind && tracker.behind(state.lastSeq ?? 0) && !this.syncing.has(state.id)) {
      void this.sync(state.id).catch(() => undefined);
    }
  }

  private syncAfterGapWait(tracker: ConversationTracker): void {
    const id = tracker.conversationId;
    if (this.syncing.has(id) || this.gapTimers.has(id)) return;
    const timer = setTimeout(() => {
      this.gapTimers.delete(id);
      if (tracker.hasGap() && !this.syncing.has(id)) void this.sync(id).catch(() => undefined);
    }, this.o.gapWaitMs);
    this.gapTimers.set(id, timer);
  }

  private tracker(conversationId: string): ConversationTracker {
    let tracker = this.trackers.get(conversationId);
    if (!tracker) {
      tracker = new ConversationTracker(conversationId, 0);
      this.trackers.set(conversationId, tracker);
    }
    return tracker;
  }

  private persist(): void {
    if (!this.seqKey) return;
    const seqs: Record<string, number> = {};
    for (const t of this.trackers.values()) seqs[t.conversationId] = t.lastSeq;
    void this.o.storage.set(this.seqKey, JSON.stringify(seqs)).catch(() => undefined);
  }
}
