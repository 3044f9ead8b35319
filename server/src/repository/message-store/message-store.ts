// The message store port: what the messaging services need of stored messages (DESIGN.md §2), with
// nothing of how the database is made to do it. The implementation and its reasons: README.md.
import type { StoredMessage } from '../message-repository.js';

export type { StoredMessage } from '../message-repository.js';

/** A message to store: everything but its place in the conversation, which the store assigns. */
export type MessageDraft = Omit<StoredMessage, 'id' | 'seq'>;

export interface AppendResult {
  /** The stored message for this (sender, client_msg_id): ours, or the copy another writer stored first. */
  message: StoredMessage;
  /** `message` is another copy: a concurrent resend of the same message was stored first. */
  duplicate: boolean;
  /** Our copy, voided because another was stored first: its seq stays taken, so clients must get it. */
  voided?: StoredMessage;
}

export interface HistoryPage {
  /** Ascending by seq. */
  messages: StoredMessage[];
  hasMore: boolean;
}

/** A resent message's envelope: its conversation, the client's send time and our arrival time (ms). */
export interface ResendFacts {
  conversationId: string;
  sentAtMs: number;
  receivedAtMs: number;
}

export interface MessageStore {
  /**
   * Stores the draft at the conversation's next seq, once per (sender, client_msg_id) unless `unkeyed`
   * (system notices, whose ids are never sent twice).
   */
  append(draft: MessageDraft, options?: { unkeyed?: boolean }): Promise<AppendResult>;
  /**
   * A resend's stored copy, if any. `resend` says where and when: the conversation, when the client
   * published it (its clock) and when it arrived here (ours) — how the store finds a copy whose key was
   * never written is its own business (document-message-store.ts).
   */
  findSent(senderUid: string, clientMsgId: string, resend?: ResendFacts): Promise<StoredMessage | null>;
  find(id: string): Promise<StoredMessage | null>;
  /**
   * Moves `uid`'s read mark of a conversation forward to `readSeq` — never back, never past the last
   * stored seq — and returns the mark stored.
   */
  markRead(conversationId: string, uid: string, readSeq: number): Promise<number>;
  /** Up to `limit` messages with seq < `beforeSeq`, the newest of them. */
  before(conversationId: string, beforeSeq: number, limit: number): Promise<HistoryPage>;
  /** Up to `limit` messages with seq > `afterSeq`, the oldest of them. */
  after(conversationId: string, afterSeq: number, limit: number): Promise<HistoryPage>;
  /** The highest stored seq (0: none), exact at the time of the call. */
  lastSeq(conversationId: string): Promise<number>;
  recall(id: string, at: Date): Promise<void>;
}
