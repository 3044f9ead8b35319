// The agent SDK with a session from a sign-in page (the console's path, local or SSO): it connects without
// credentials of its own, and once the session is ended it stops asking and reports `signed_out`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentClient, createMemoryStorage, SessionError, type GrantBody } from '@kefu/sdk-core';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { http, online, transport } from './harness.js';

describe('AgentClient with an adopted session', () => {
  let server: KefuServer;

  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('agent-session'), ADMIN_PASSWORD: 'admin-pass-123' }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  const signIn = async (): Promise<GrantBody> => {
    const res = await fetch(`${server.url}/api/v1/agent/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'admin-pass-123' }),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as GrantBody;
  };

  it('connects with the adopted session and never posts credentials', async () => {
    const grant = await signIn();
    const posted: string[] = [];
    const storage = createMemoryStorage();
    const client = createAgentClient({
      baseUrl: server.url,
      transport,
      storage,
      http: (req) => {
        posted.push(req.url);
        return http(req);
      },
      session: grant,
    });
    const session = await client.start();
    await online(client);
    expect(session.token).toBe(grant.token);
    expect(client.uid).toBe(grant.user.uid);
    expect(posted.filter((u) => u.endsWith('/agent/sessions'))).toEqual([]);
    await client.stop();

    // A page reload: the next client resumes the stored session by uid, still without credentials.
    const again = createAgentClient({
      baseUrl: server.url,
      transport,
      storage,
      http: (req) => {
        posted.push(req.url);
        return http(req);
      },
      resume: grant.user.uid,
    });
    await again.start();
    await online(again);
    expect(again.uid).toBe(grant.user.uid);
    expect(posted.filter((u) => u.endsWith('/agent/sessions'))).toEqual([]);
    await again.stop();
  });

  it('reports signed_out (permanent) once the session was ended elsewhere', async () => {
    const grant = await signIn();
    const client = createAgentClient({
      baseUrl: server.url,
      transport,
      storage: createMemoryStorage(),
      http,
      session: grant,
    });
    await client.start();
    await online(client);
    const res = await fetch(`${server.url}/api/v1/sessions/current`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${grant.token}` },
    });
    expect(res.status).toBe(204);
    const err = await client.sessions.renew().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(SessionError);
    expect((err as SessionError).code).toBe('signed_out');
    expect((err as SessionError).permanent).toBe(true);
    await client.stop();
  });
});
