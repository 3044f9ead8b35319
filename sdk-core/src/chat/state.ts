// What a customer chat UI draws (ChatState) and what it is built from: the platform's pieces
// (ChatPlatform) and the embedding's (ChatHost). Shared by the web widget and the mini-program component.
import type { kefu } from '@kefu/proto';
import type { SignedIdentity } from '../customer-client.js';
import type { OutboxItem } from '../outbox.js';
import type { Http } from '../http.js';
import type { KeyValueStorage } from '../storage.js';
import type { Transport } from '../transport/types.js';
import type { OrderInput, UploadKind, UploadResult } from './cards.js';
import type { UploadErrorCode } from './uploads.js';

export type ChatStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'stopped' | 'error';

/** A message on its way: being uploaded, published (until its ack), or failed. */
export interface PendingItem<F = unknown> {
  /** client_msg_id, or a local id while a file is still uploading. */
  id: string;
  content: kefu.v1.IContent;
  state: 'sending' | 'uploading' | 'failed';
  progress?: number;
  /** Why an upload failed (shown as text, decides whether a retry is offered). */
  error?: UploadErrorCode;
  /** Local preview (object URL, temp file path) of a file being uploaded. */
  preview?: string;
  /** What to upload again on retry, and its name (files). */
  file?: F;
  fileName?: string;
  kind?: UploadKind;
  /** The message this one quotes. */
  quoteMessageId?: string;
  createdAt: number;
}

export interface OrderSummary extends OrderInput {
  order_no: string;
}

/** A short-lived notice for the customer (a toast), by code: `recall_failed`. */
export interface ChatNotice {
  code: string;
  at: number;
}

export interface ChatState<F = unknown> {
  status: ChatStatus;
  /** A friendly error to show (identity refused, server unreachable…). */
  error?: { code: string; message: string };
  conversation?: kefu.v1.IConversationState;
  messages: kefu.v1.IMessage[];
  pending: PendingItem<F>[];
  hasOlder: boolean;
  loadingOlder: boolean;
  agentTyping: boolean;
  /** Highest seq the agent has read. */
  agentReadSeq: number;
  unread: number;
  /** Invites answered on this device (and the at-close rating). */
  rated: string[];
  /** The at-close rating to offer (its invite id), once the conversation closed. */
  closeInvite?: string;
  /**
   * What the at-close rating asks: the server's `close_rating` (the template of the chat's skill group).
   * The server offers one only when an agent answered and nobody rated yet (ConversationState.rated).
   */
  closeRating?: kefu.v1.IRatingInvite;
  /** The signed-in customer's name (identity or session); none for visitors. */
  customerName?: string;
  /** The message the next one sent from the composer quotes. */
  quoteId?: string;
  notice?: ChatNotice;
}

/** What the chat tells its embedding (the widget's or the component's events). */
export interface ChatEvents {
  message: [kefu.v1.IMessage];
  queue: [{ position: number; estimatedWaitMs: number }];
  assigned: [{ uid: string; name: string }];
  error: [{ code: string; message: string }];
}

/** The runtime's pieces: network, storage, files. */
export interface ChatPlatform<F> {
  createTransport(): Transport;
  /** Durable storage whose keys all start with `prefix` (one namespace per user on the device). */
  createStorage(prefix: string): KeyValueStorage;
  /** Forgets everything stored under `prefix` (logout). */
  clearStorage(prefix: string): Promise<void>;
  http: Http;
  /**
   * Uploads one file (multipart `file` to `url`, bearer `token`), reporting progress 0…1. `name` is the
   * file's own name for `kind: 'file'` (the server tells .txt from .csv by it).
   */
  upload(request: {
    url: string;
    token: string;
    kind: UploadKind;
    file: F;
    name?: string;
    onProgress: (fraction: number) => void;
  }): Promise<UploadResult>;
  /** Prepares an image before upload (downscaling); default as is. */
  prepareImage?(file: F): Promise<F>;
  /** A local preview of a file, and its release. */
  preview?(file: F): string;
  releasePreview?(preview: string): void;
  /** Calls `onChange` when the device goes offline or back online; returns how to stop. */
  watchNetwork?(onChange: (online: boolean) => void): () => void;
}

/** The embedding: routing hints, identity, where the customer is, and what to tell it. */
export interface ChatHost {
  readonly server: string;
  readonly channel: string;
  readonly groupId?: string;
  readonly agentUid?: string;
  readonly strict?: boolean;
  /** The signed identity (fetched again whenever a new session is needed); none: a visitor. */
  identity(): Promise<SignedIdentity | undefined>;
  attributes(): Record<string, string>;
  /** The page the customer chats from (sent with the conversation and with left messages). */
  page(): { url: string; title: string };
  /** Whether the customer can see the chat right now (unread counting, read receipts). */
  visible(): boolean;
  emit<K extends keyof ChatEvents>(event: K, ...args: ChatEvents[K]): void;
  setUnread(count: number): void;
  /** Whether a conversation is active (the web loader then loads the panel at page load). */
  setActive(active: boolean): void;
}

/** The state before anything happened (also what a UI draws before its chat exists). */
export function initialChatState<F = unknown>(): ChatState<F> {
  return {
    status: 'idle',
    messages: [],
    pending: [],
    hasOlder: false,
    loadingOlder: false,
    agentTyping: false,
    agentReadSeq: 0,
    unread: 0,
    rated: [],
  };
}

/** Inserts a message at its seq position (the list stays sorted by seq). */
export function insertBySeq(list: kefu.v1.IMessage[], m: kefu.v1.IMessage): kefu.v1.IMessage[] {
  const seq = Number(m.seq);
  let i = list.length;
  while (i > 0 && Number(list[i - 1]?.seq) > seq) i -= 1;
  return [...list.slice(0, i), m, ...list.slice(i)];
}

/** A message still in the outbox from an earlier page or app start: shown as sending. */
export function pendingFromOutbox<F>(o: OutboxItem): PendingItem<F> {
  return {
    id: o.id,
    content: o.content,
    state: 'sending',
    createdAt: o.createdAt,
    ...(o.quoteMessageId ? { quoteMessageId: o.quoteMessageId } : {}),
  };
}
