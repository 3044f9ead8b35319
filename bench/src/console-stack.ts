// What bench:console runs against: FerretDB and one compiled server (embedded broker), and the agent it
// measures, set up through the admin API as an operator would — its own skill group, a reception limit
// above the number of chats, and every routing setting stated rather than left to the defaults, so a
// change of defaults (reception mode, rules, timeouts) cannot send the bench's chats elsewhere.
import { join } from 'node:path';
import { getFreePort, startFerretDb, type ManagedProcess } from '@kefu/tools';
import { startBenchServer } from './server-process.js';

export const AGENT = { username: 'bench-agent', password: 'bench-agent-pass', name: '压测客服' };
const ADMIN = { username: 'admin', password: 'bench-admin-pass' };
/** The admin API's highest reception limit (server/src/port/http/admin-agent-routes.ts). */
const MAX_CONCURRENT = 1000;

export interface ConsoleStack {
  base: string;
  mongodbUri: string;
  server: ManagedProcess;
  stop(): Promise<void>;
}

/** Starts FerretDB and the server; `stop` ends both (also when the server failed to start). */
export async function startConsoleStack(dataDir: string): Promise<ConsoleStack> {
  const db = await startFerretDb({ dataDir });
  const mongodbUri = `${db.uri}benchconsole`;
  const port = await getFreePort();
  let server: ManagedProcess;
  try {
    server = await startBenchServer({
      name: 'server',
      port,
      mongodbUri,
      env: {
        DATA_DIR: join(dataDir, 'server'),
        ADMIN_USERNAME: ADMIN.username,
        ADMIN_PASSWORD: ADMIN.password,
      },
    });
  } catch (err) {
    await db.stop();
    throw err;
  }
  return {
    base: `http://127.0.0.1:${String(port)}`,
    mongodbUri,
    server,
    async stop() {
      await server.stop();
      await db.stop();
    },
  };
}

async function call<T>(
  base: string,
  method: string,
  path: string,
  body: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${String(res.status)} ${text}`);
  return JSON.parse(text) as T;
}

/**
 * The bench agent in a group of its own, and the routing that sends every chat to that group and seats
 * it at once (human_only, no rules, no queue limit, no timeouts). Returns the agent's uid.
 */
export async function setUpAgent(base: string, conversations: number): Promise<string> {
  const limit = conversations + 10;
  if (limit > MAX_CONCURRENT)
    throw new Error(
      `--conversations ${String(conversations)}: one agent takes at most ${String(MAX_CONCURRENT - 10)}`,
    );
  const { token } = await call<{ token: string }>(base, 'POST', '/agent/sessions', ADMIN);
  const group = await call<{ id: string }>(base, 'POST', '/admin/groups', { name: '压测组' }, token);
  const agent = await call<{ uid: string }>(
    base,
    'POST',
    '/admin/agents',
    {
      username: AGENT.username,
      display_name: AGENT.name,
      password: AGENT.password,
      role: 'agent',
      max_concurrent: limit,
      group_ids: [group.id],
    },
    token,
  );
  const off = { remind_after_s: 0, close_after_s: 0 };
  await call(
    base,
    'PUT',
    '/admin/routing',
    {
      mode: 'saturation',
      reception_mode: 'human_only',
      reception_override: false,
      default_group_id: group.id,
      return_to_last_agent_minutes: 0,
      max_queue_length: 0,
      rules: [],
      queue_timeout: off,
      agent_timeout: { remind_after_s: 0, transfer_after_s: 0 },
      customer_timeout: off,
    },
    token,
  );
  return agent.uid;
}
