// The agent SDK with a session from a sign-in page (the console's path, local or SSO): it connects without
// credentials of its own, and once the session is ended it stops asking and reports `signed_out`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgentClient, createMemoryStorage, SessionError, type GrantBody } from '@kefu/sdk-core';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { messageModel } from '../../src/model/message.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { collect, customer, http, online, transport } from './harness.js';

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

  it('with backfill off, starts unknown conversations at their end and still gets new messages live', async () => {
    const bea = customer(server.url, 'bea-backfill');
    await bea.start();
    await online(bea);
    const state = await bea.open();
    const id = state.id ?? '';
    for (let i = 1; i <= 5; i++) await bea.sendText(id, `earlier ${String(i)}`);
    await waitFor(
      'the greeting and five stored',
      async () => (await messageModel(server.db).countDocuments({ conversation_id: id })) === 6,
    );

    const console = createAgentClient({
      baseUrl: server.url,
      transport,
      http,
      storage: createMemoryStorage(),
      session: await signIn(),
      backfill: false,
    });
    const seen = collect(console);
    const states: number[] = [];
    console.on('conversation', (c) => {
      if (c.id === id) states.push(Number(c.lastSeq));
    });
    await console.start();
    await online(console);
    await waitFor('the conversation state', () => states.length > 0);
    await bea.sendText(id, 'live one');
    const live = await waitFor('the live message', () =>
      seen.find((m) => m.content?.text?.text === 'live one'),
    );
    expect(Number(live.seq)).toBe(7);
    expect(seen.filter((m) => m.conversationId === id).map((m) => m.content?.text?.text)).toEqual([
      'live one',
    ]);

    // The default (backfill on) replays the history.
    const full = createAgentClient({
      baseUrl: server.url,
      transport,
      http,
      storage: createMemoryStorage(),
      session: await signIn(),
    });
    const all = collect(full);
    await full.start();
    await waitFor('the history replayed', () => all.filter((m) => m.conversationId === id).length === 7);
    await Promise.all([console.stop(), full.stop(), bea.stop()]);
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
