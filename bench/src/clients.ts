// What every benchmark shares: the mqtt.js transport and fetch for sdk-core clients, the secrets the
// benchmark servers are started with, signed customer clients, a bounded-width task pool, and logging.
import mqtt from 'mqtt';
import {
  createCustomerClient,
  createFetchHttp,
  createMemoryStorage,
  createMqttTransport,
  type CustomerClient,
  type MqttLikeConnect,
} from '@kefu/sdk-core';
import { signIdentity } from '@kefu/server';

export const IDENTITY_SECRET = 'bench-identity-secret-0123456789';
export const JWT_SECRET = 'bench-jwt-secret-0123456789abcdefghijkl';
export const transport = createMqttTransport(mqtt.connect as unknown as MqttLikeConnect);
export const http = createFetchHttp(fetch);

export function log(msg: string): void {
  process.stderr.write(`bench: ${msg}\n`);
}

/** A customer client whose identity the "mall" signs on every session request. */
export function benchCustomer(baseUrl: string, userId: string, name?: string): CustomerClient {
  return createCustomerClient({
    baseUrl,
    transport,
    http,
    storage: createMemoryStorage(),
    identify: () => {
      const identity = { user_id: userId, ...(name ? { name } : {}), ts: Math.floor(Date.now() / 1000) };
      return Promise.resolve({ identity, signature: signIdentity(IDENTITY_SECRET, identity) });
    },
  });
}

/** Runs `task` over `items`, at most `width` at a time. */
export async function pool<T>(
  items: readonly T[],
  width: number,
  task: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        await task(items[i] as T, i);
      }
    }),
  );
}
