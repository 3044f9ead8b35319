// Test harness: real sdk-core clients (mqtt.js transport, fetch) against a real server.
import mqtt from 'mqtt';
import {
  createAgentClient,
  createCustomerClient,
  createFetchHttp,
  createMemoryStorage,
  createMqttTransport,
  type AgentClient,
  type CustomerClient,
  type KeyValueStorage,
  type MqttLikeConnect,
} from '@kefu/sdk-core';
import type { kefu } from '@kefu/proto';
import { waitFor } from '@kefu/tools/testing';
import { DEV_IDENTITY_SECRET } from '../../src/config.js';
import { signIdentity } from '../../src/service/auth/identity.js';

export const transport = createMqttTransport(mqtt.connect as unknown as MqttLikeConnect);
export const http = createFetchHttp(fetch);

export function customer(
  baseUrl: string,
  userId: string,
  storage: KeyValueStorage = createMemoryStorage(),
  extra: { resendAfterMs?: number } = {},
): CustomerClient {
  return createCustomerClient({
    ...extra,
    baseUrl,
    transport,
    http,
    storage,
    identify: () => {
      const identity = { user_id: userId, ts: Math.floor(Date.now() / 1000) };
      return Promise.resolve({ identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) });
    },
  });
}

export function agent(
  baseUrl: string,
  username: string,
  password: string,
  storage: KeyValueStorage = createMemoryStorage(),
): AgentClient {
  return createAgentClient({ baseUrl, transport, http, storage, username, password });
}

/** Collects a client's delivered messages in arrival order. */
export function collect(client: CustomerClient | AgentClient): kefu.v1.IMessage[] {
  const list: kefu.v1.IMessage[] = [];
  client.on('message', (m) => list.push(m));
  return list;
}

export async function online(client: CustomerClient | AgentClient): Promise<void> {
  await waitFor('client online', () => client.status === 'online');
}
