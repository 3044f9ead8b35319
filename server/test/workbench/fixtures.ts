// Workbench test fixtures: agents of each role, a named customer, and a raw MQTT tap on a user's down topic.
import mqtt from 'mqtt';
import {
  createCustomerClient,
  createMemoryStorage,
  type AgentClient,
  type CustomerClient,
} from '@kefu/sdk-core';
import { decodeEnvelope, type kefu } from '@kefu/proto';
import { DEV_IDENTITY_SECRET } from '../../src/config.js';
import type { KefuServer } from '../../src/server.js';
import { signIdentity } from '../../src/service/auth/identity.js';
import { agentSession } from '../mall/sessions.js';
import { agent, http, online, transport } from '../messaging/harness.js';

export const PASSWORD = 'agent-pass-123';

/** A customer whose signed identity carries a name and a phone (personal data). */
export function namedCustomer(baseUrl: string, userId: string, name: string, phone: string): CustomerClient {
  return createCustomerClient({
    baseUrl,
    transport,
    http,
    storage: createMemoryStorage(),
    identify: () => {
      const identity = { user_id: userId, name, phone, ts: Math.floor(Date.now() / 1000) };
      return Promise.resolve({ identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) });
    },
  });
}

/** Every payload published to a user's down topic, raw bytes and decoded. */
export interface Tap {
  raw: Buffer[];
  envelopes: kefu.v1.Envelope[];
  stop(): Promise<void>;
}

/** Subscribes to the signed-in user's own down topic with their token, as a second device would. */
export async function tap(client: AgentClient | CustomerClient): Promise<Tap> {
  const s = await client.sessions.current();
  const conn = await mqtt.connectAsync(s.mqtt.url, {
    username: s.mqtt.username,
    password: s.token,
    clientId: `tap-${s.uid}-${String(Math.random()).slice(2, 8)}`,
    protocolVersion: 4,
  });
  const raw: Buffer[] = [];
  const envelopes: kefu.v1.Envelope[] = [];
  conn.on('message', (_t, payload) => {
    raw.push(payload);
    envelopes.push(decodeEnvelope(payload));
  });
  await conn.subscribeAsync(s.mqtt.topics.down, { qos: 1 });
  return { raw, envelopes, stop: () => conn.endAsync() };
}

/**
 * Creates an agent account of a role (in these skill groups), signs it in over HTTP (token) and over MQTT
 * (online client).
 */
export async function onlineAgent(
  server: KefuServer,
  username: string,
  role: 'agent' | 'supervisor' | 'admin',
  groupIds: string[] = [],
): Promise<{ token: string; uid: string; client: AgentClient }> {
  const grant = await agentSession(server, username, role, groupIds);
  const client = agent(server.url, username, PASSWORD);
  await client.start();
  await online(client);
  return { token: grant.token, uid: grant.user.uid, client };
}

/** Any HTTP method with a bearer token; the raw text too (to look for personal data in it). */
export async function api(
  server: KefuServer,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, text };
}
