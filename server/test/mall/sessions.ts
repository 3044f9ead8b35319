import { DEV_IDENTITY_SECRET } from '../../src/config.js';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import type { KefuServer } from '../../src/server.js';
import { signIdentity } from '../../src/service/auth/identity.js';
import { hashPassword } from '../../src/service/auth/password.js';

interface Grant {
  token: string;
  user: { uid: string };
}

async function createSession(server: KefuServer, path: string, body: unknown): Promise<Grant> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`session ${path}: HTTP ${String(res.status)} ${await res.text()}`);
  return (await res.json()) as Grant;
}

/** A signed-in mall customer (uid `u_<userId>`), through the real session endpoint. */
export function customerSession(server: KefuServer, userId: string): Promise<Grant> {
  const identity = { user_id: userId, name: '测试用户', ts: Math.floor(Date.now() / 1000) };
  return createSession(server, '/sdk/sessions', {
    type: 'customer',
    identity,
    signature: signIdentity(DEV_IDENTITY_SECRET, identity),
  });
}

export function visitorSession(server: KefuServer): Promise<Grant> {
  return createSession(server, '/sdk/sessions', { type: 'visitor' });
}

/** An agent account of the given role (created in the database, in these skill groups), signed in. */
export async function agentSession(
  server: KefuServer,
  username: string,
  role: 'agent' | 'supervisor' | 'admin',
  groupIds: string[] = [],
): Promise<Grant> {
  const password = 'agent-pass-123';
  await new AgentRepository(server.db).createAgent({
    uid: `a_${username}`,
    username,
    displayName: username,
    role,
    passwordHash: await hashPassword(password),
    maxConcurrent: 5,
    disabled: false,
    createdAt: new Date(),
    groupIds,
  });
  return createSession(server, '/agent/sessions', { username, password });
}

/** GET/POST with an optional bearer token; returns status and parsed JSON. */
export async function call(
  server: KefuServer,
  method: 'GET' | 'POST',
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
