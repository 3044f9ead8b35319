import type { kefu, RandomBytes } from '@kefu/proto';
import type { Http } from '../http.js';
import type { Credentials, Session } from '../session.js';
import type { KeyValueStorage } from '../storage.js';
import type { Transport } from '../transport/types.js';

export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline' | 'stopped';

/** An error the client reports: a server `Error` envelope, or a failure of the client itself. */
export interface ClientError {
  code: string;
  message: string;
  /** Envelope id the server refused (for `send`: the client_msg_id). */
  requestId?: string;
  refId?: string;
}

export interface ClientEvents extends Record<string, unknown[]> {
  status: [ConnectionStatus];
  session: [Session];
  /** A stored message, once, in seq order per conversation. */
  message: [kefu.v1.IMessage];
  ack: [kefu.v1.IMessageAck];
  conversation: [kefu.v1.IConversationState];
  event: [kefu.v1.IConversationEvent];
  typing: [kefu.v1.ITyping];
  read: [kefu.v1.IReadReceipt];
  recalled: [kefu.v1.IMessageRecalled];
  /** Agents: the role or its permissions changed (re-read what the UI offers; the session refreshes). */
  access: [kefu.v1.IAccessChanged];
  error: [ClientError];
}

export interface ClientOptions {
  /** Server HTTP base, e.g. https://kefu.example.com */
  baseUrl: string;
  transport: Transport;
  storage: KeyValueStorage;
  http: Http;
  /** How to get a session when there is none: the endpoint and body (identity, visitor, agent login). */
  credentials: Credentials;
  /** Random bytes for ids; default: crypto.getRandomValues where present, else Math.random. */
  random?: RandomBytes;
  now?: () => number;
  /** Prefix for storage keys (several clients can share one storage). */
  storagePrefix?: string;
  keepaliveS?: number;
  /** An unacknowledged message is published again after this long. */
  resendAfterMs?: number;
  /**
   * How long a seq gap may stay open before a sync is requested: with several server instances, the
   * missing message is usually just a few milliseconds behind (fan-outs overtake each other).
   */
  gapWaitMs?: number;
  /**
   * `false`: a conversation this device has no position for starts at its current end — only newer
   * messages arrive over MQTT, and the app pages earlier history over HTTP when it shows the
   * conversation (the agent console: hundreds of open conversations must not each replay their history
   * at sign-in). Positions this device already has are still caught up, so nothing is lost. Default true.
   */
  backfill?: boolean;
}

export function defaultRandom(): RandomBytes {
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) {
    const getRandomValues = c.getRandomValues.bind(c);
    return (n) => getRandomValues(new Uint8Array(n));
  }
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256));
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
