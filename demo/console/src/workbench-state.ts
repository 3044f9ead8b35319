// The workbench's state, as the components read it from the store (workbench.ts changes it).
import type { kefu } from '@kefu/proto';
import type { AgentStatusName } from '@kefu/sdk-web/agent';
import type { ConversationSummary, Me } from './types.js';
import type { Upload } from './uploads.js';

export type View = 'mine' | 'queued' | 'all';
export type AgentStatus = AgentStatusName | 'offline';

export interface Thread {
  messages: kefu.v1.IMessage[];
  hasOlder: boolean;
  loading: boolean;
  error?: unknown;
}

/** A transfer to this agent, from the live event (the thread's notices say the same once stored). */
export interface TransferIn {
  from: string;
  note: string;
  at: number;
}

export interface WorkbenchState {
  me: Me;
  view: View;
  conversations: ConversationSummary[];
  listLoading: boolean;
  listError?: unknown;
  selected?: string;
  /** Conversations opened from elsewhere (the customer's earlier ones), not in the current list. */
  others: Record<string, ConversationSummary>;
  threads: Record<string, Thread>;
  /** Conversation id → until when the customer is shown typing. */
  typing: Record<string, number>;
  /** Conversation id → the customer's read position. */
  customerRead: Record<string, number>;
  /** Conversation id → why it closed (ConversationState.close_reason). */
  closeReasons: Record<string, string>;
  /** Conversation id → the last transfer to this agent. */
  transfers: Record<string, TransferIn>;
  /** Conversation id → the message the reply quotes. */
  quotes: Record<string, string>;
  /** A message the thread should scroll to and mark (a quote's original). */
  focusMessage?: string | undefined;
  /** The composer writes internal notes. */
  noteMode: boolean;
  /** Media being uploaded, or refused, by conversation. */
  uploads: Upload[];
  /** A chat action's dialog asked for (by a button or a keyboard shortcut). */
  dialog?: 'transfer' | 'close' | undefined;
  connection: string;
  status: AgentStatus;
}
