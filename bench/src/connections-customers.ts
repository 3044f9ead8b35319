// The customers of bench:connections: sdk-core customer clients, as the web widget runs them — a
// session from the server's session API (a mall-signed identity), then MQTT over WebSocket with the
// access token as the password, presence announced and a sync on every connect. Each one is watched:
// when it got its session and went online, every drop, and when the fan-out message reached it.
import { SessionError, type CustomerClient } from '@kefu/sdk-core';
import { benchCustomer, pool } from './clients.js';

export interface Customer {
  readonly index: number;
  readonly client: CustomerClient;
  /** performance.now() when it asked for its session, got it, and first went online. */
  startedAt: number;
  sessionAt?: number;
  onlineAt?: number;
  /** Failed connection attempts before the first success (backoff retries by the client). */
  retries: number;
  /** Times it went from online to offline afterwards. */
  drops: number;
  /** Why it never came online: the session API's refusal (`http 429`: the per-IP rate limit) or a timeout. */
  failure?: string;
  conversationId?: string;
  agentUid?: string;
  /** When the agent sent this customer's fan-out message; how many arrived (1 is right), the first when. */
  sentAt?: number;
  received: number;
  receivedAt?: number;
}

export function createCustomer(
  base: string,
  index: number,
  isFanout: (clientMsgId: string) => boolean,
): Customer {
  const client = benchCustomer(base, `conn${String(index)}`);
  const customer: Customer = { index, client, startedAt: 0, retries: 0, drops: 0, received: 0 };
  client.on('status', (status) => {
    if (status === 'online') customer.onlineAt ??= performance.now();
    else if (status === 'offline') {
      if (customer.onlineAt === undefined) customer.retries += 1;
      else customer.drops += 1;
    }
  });
  client.on('message', (m) => {
    if (!isFanout(m.clientMsgId ?? '')) return;
    customer.received += 1;
    customer.receivedAt ??= performance.now();
  });
  return customer;
}

function onlineWithin(customer: Customer, ms: number): Promise<void> {
  if (customer.client.status === 'online') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`not online after ${String(ms)} ms`));
    }, ms);
    const off = customer.client.on('status', (status) => {
      if (status !== 'online') return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/**
 * Connects every customer, `width` at a time (the browsers of a busy hour, not one burst). A customer
 * that is not online within `timeoutMs` counts as a connect failure; its client keeps trying.
 */
export async function connectAll(
  customers: readonly Customer[],
  width: number,
  timeoutMs: number,
): Promise<void> {
  await pool(customers, width, async (customer) => {
    customer.startedAt = performance.now();
    try {
      await customer.client.start();
      customer.sessionAt = performance.now();
      await onlineWithin(customer, timeoutMs);
    } catch (err) {
      customer.failure =
        err instanceof SessionError
          ? `http ${String(err.status)} ${err.code}`
          : err instanceof Error
            ? err.message
            : String(err);
    }
  });
}

/**
 * Every online customer opens its conversation (as the widget does on the first click). An open that
 * gets no answer within 15 s is asked again, twice at most (opening returns to an open conversation).
 */
export async function openAll(
  customers: readonly Customer[],
  width: number,
): Promise<{ failures: number; retries: number }> {
  let failures = 0;
  let retries = 0;
  await pool(
    customers.filter((c) => c.client.status === 'online'),
    width,
    async (customer) => {
      for (let attempt = 1; attempt <= 3; attempt++) {
        try {
          const state = await customer.client.open({ channel: 'bench' });
          customer.conversationId = state.id ?? undefined;
          customer.agentUid = state.agent?.uid ?? undefined;
          return;
        } catch {
          if (attempt < 3) retries += 1;
        }
      }
      failures += 1;
    },
  );
  return { failures, retries };
}

/** Stops every client (offline presence, clean DISCONNECT); one that hangs is left after 5 s. */
export async function stopAll(customers: readonly Customer[]): Promise<void> {
  await pool(customers, 500, async (customer) => {
    await Promise.race([
      customer.client.stop().catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, 5_000).unref()),
    ]);
  });
}
