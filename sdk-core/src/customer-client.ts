import { kefu } from '@kefu/proto';
import { KefuClient, type ClientOptions } from './client.js';

/** Identity signed by the mall backend (server/README.md), fetched fresh whenever a session is needed. */
export interface SignedIdentity {
  identity: { user_id: string; name?: string; phone?: string; level?: number; ts: number };
  signature: string;
}

export interface CustomerClientOptions extends Omit<ClientOptions, 'credentials'> {
  /** Absent: an anonymous visitor. */
  identify?: () => Promise<SignedIdentity>;
}

/** The customer side: one conversation at a time, opened on demand. */
export class CustomerClient extends KefuClient {
  private current: string | undefined;

  constructor(options: CustomerClientOptions) {
    const { identify, ...rest } = options;
    super({
      ...rest,
      credentials: async () =>
        identify
          ? { path: '/api/v1/sdk/sessions', body: { type: 'customer', ...(await identify()) } }
          : { path: '/api/v1/sdk/sessions', body: { type: 'visitor' } },
    });
    this.on('conversation', (state) => {
      if (state.id && state.status !== kefu.v1.ConversationStatus.CONVERSATION_STATUS_CLOSED)
        this.current = state.id;
    });
  }

  /** The open conversation's id, once known. */
  get conversationId(): string | undefined {
    return this.current;
  }

  /** Opens (or returns to) the customer's conversation; resolves with its state. */
  async open(
    request: kefu.v1.IOpenConversation = {},
    timeoutMs = 15_000,
  ): Promise<kefu.v1.IConversationState> {
    // Right after start() the connection may still be coming up: wait for it (within the same timeout).
    if (this.status !== 'online') {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error('not connected'));
        }, timeoutMs);
        const off = this.on('status', (s) => {
          if (s !== 'online') return;
          clearTimeout(timer);
          off();
          resolve();
        });
      });
    }
    const state = new Promise<kefu.v1.IConversationState>((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error('no answer to open'));
      }, timeoutMs);
      const off = this.on('conversation', (s) => {
        clearTimeout(timer);
        off();
        resolve(s);
      });
    });
    await this.publish({ open: request });
    return state;
  }

  /** Sends into the open conversation. */
  sendToCurrent(content: kefu.v1.IContent): Promise<string> {
    if (!this.current) throw new Error('open() a conversation first');
    return this.send(this.current, content);
  }
}

export function createCustomerClient(options: CustomerClientOptions): CustomerClient {
  return new CustomerClient(options);
}
