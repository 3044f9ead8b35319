import type { CustomerClient } from '../customer-client.js';
import type { ChatHost, ChatState } from './state.js';

/** What the parts of a customer chat share: its state, its embedding and the client of the moment. */
export interface ChatCore<F> {
  state(): ChatState<F>;
  set(patch: Partial<ChatState<F>>): void;
  readonly host: ChatHost;
  /** Undefined before start() and after stop() or logout(). */
  client(): CustomerClient | undefined;
  /** JSON over HTTP with the session's bearer token. */
  api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}
