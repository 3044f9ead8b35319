// The admin routes' server for one test file: started before its tests (the periodic routing scan off in
// effect, so a sweep seen is the one a change triggers) with the admin signed in; stopped after the file.
// Read the environment inside tests only.
import { afterAll, beforeAll, expect } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { auditLogModel } from '../../src/model/audit-log.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';

export interface AgentBody {
  uid: string;
  username: string;
  display_name: string;
  email: string | null;
  role: string;
  max_concurrent: number;
  disabled: boolean;
  group_ids: string[];
  created_at: string;
}
export interface GroupBody {
  id: string;
  name: string;
  description: string;
  member_uids: string[];
}
export interface Session {
  token: string;
  refresh_token: string;
  user: { uid: string; perms: string[]; agent_role: string };
}

export interface AdminRoutesEnv {
  server: KefuServer;
  admin: Session;
  /** A JSON call with a bearer token; a string body is sent as is. */
  call: (
    method: string,
    path: string,
    token: string,
    body?: unknown,
  ) => Promise<{ status: number; body: Record<string, unknown> }>;
  signIn: (username: string, password: string) => Promise<Session>;
  refresh: (s: Session) => Promise<Response>;
  audits: (action: string) => ReturnType<typeof findAudits>;
  /** Creates an agent through the API (a random username unless given). */
  createAgent: (over?: Record<string, unknown>) => Promise<AgentBody>;
}

const findAudits = (server: KefuServer, action: string) => auditLogModel(server.db).find({ action }).lean();

export function useAdminRoutes(): AdminRoutesEnv {
  const env: AdminRoutesEnv = {
    server: undefined as unknown as KefuServer,
    admin: undefined as unknown as Session,
    call: async (method, path, token, body) => {
      const res = await fetch(`${env.server.url}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
    },
    signIn: async (username, password) => {
      const res = await fetch(`${env.server.url}/api/v1/agent/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as Session;
    },
    refresh: (s) =>
      fetch(`${env.server.url}/api/v1/sessions/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refresh_token: s.refresh_token }),
      }),
    audits: (action) => findAudits(env.server, action),
    createAgent: async (over = {}) => {
      const res = await env.call('POST', '/admin/agents', env.admin.token, {
        username: `agent${String(Math.random()).slice(2, 8)}`,
        display_name: '小王',
        password: 'agent-pass-123',
        role: 'agent',
        ...over,
      });
      expect(res.status).toBe(201);
      return res.body as unknown as AgentBody;
    },
  };

  beforeAll(async () => {
    env.server = await startServer(
      testConfig({
        MONGODB_URI: testMongoUri('admin'),
        ADMIN_PASSWORD: 'admin-pass-123',
        ROUTING_SCAN_INTERVAL_MS: '600000',
      }),
      silentLogger,
    );
    env.admin = await env.signIn('admin', 'admin-pass-123');
  });
  afterAll(async () => {
    await env.server.stop();
  });
  return env;
}
