// Finding D: bodies that were not JSON were parsed as `{}`, so a text/plain POST closed a chat or revealed
// a customer's personal data. Every route now refuses (415) a body of another type than its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClient, CustomerClient } from '@kefu/sdk-core';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { auditLogModel } from '../../src/model/audit-log.js';
import { conversationModel } from '../../src/model/conversation.js';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import { hashPassword } from '../../src/service/auth/password.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agent, customer, online } from '../messaging/harness.js';

const ADMIN_PASSWORD = 'admin-pass-123';

describe('request body types (415 for anything but the route’s type)', () => {
  let server: KefuServer;
  let amy: AgentClient;
  let buyer: CustomerClient;
  let conversationId: string;
  let amyToken: string;
  let adminToken: string;

  const call = (path: string, token: string, init: RequestInit = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      method: 'POST',
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });
  const status = async () => (await conversationModel(server.db).findById(conversationId).lean())?.status;
  const reveals = () => auditLogModel(server.db).countDocuments({ action: 'pii.reveal' });

  /** Non-JSON ways to send `{}` (or an empty form) that the JSON routes used to accept. */
  const notJson = (): [string, RequestInit][] => {
    const form = new FormData();
    form.set('summary', 'x');
    return [
      ['text/plain', { headers: { 'content-type': 'text/plain' }, body: '{}' }],
      ['text/plain, empty', { headers: { 'content-type': 'text/plain' } }],
      ['form-urlencoded', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1' }],
      ['multipart', { body: form }],
      ['no Content-Type with a body', { body: new TextEncoder().encode('{}') }],
      [
        'JSON in another charset',
        { headers: { 'content-type': 'application/json; charset=latin1' }, body: '{}' },
      ],
      ['a JSON suffix type', { headers: { 'content-type': 'application/merge-patch+json' }, body: '{}' }],
    ];
  };

  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('edge-body-type'), ADMIN_PASSWORD }),
      silentLogger,
    );
    await new AgentRepository(server.db).createAgent({
      uid: 'a_amy',
      username: 'amy',
      displayName: 'Amy',
      role: 'agent',
      passwordHash: await hashPassword('agent-pass-123'),
      maxConcurrent: 5,
      disabled: false,
      createdAt: new Date(),
    });
    amy = agent(server.url, 'amy', 'agent-pass-123');
    await amy.start();
    await online(amy);
    amyToken = (await amy.sessions.current()).token;
    buyer = customer(server.url, 'buyer-1');
    await buyer.start();
    await online(buyer);
    conversationId = (await buyer.open()).id ?? '';
    await waitFor(
      'assigned to amy',
      async () => (await conversationModel(server.db).findById(conversationId).lean())?.agent_uid === 'a_amy',
    );
    const admin = await fetch(`${server.url}/api/v1/agent/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    adminToken = ((await admin.json()) as { token: string }).token;
  }, 60_000);
  afterAll(async () => {
    await buyer.stop();
    await amy.stop();
    await server.stop();
  });

  it('does not close a conversation for a body that is not JSON', async () => {
    for (const [what, init] of notJson()) {
      const res = await call(`/agent/conversations/${conversationId}/close`, amyToken, init);
      expect(res.status, what).toBe(415);
      expect(await res.json(), what).toMatchObject({ error: { code: 'unsupported_media_type' } });
      expect(await status(), what).toBe('open');
    }
    // The same request as JSON does close it: the refusals above were about the type alone.
    const res = await call(`/agent/conversations/${conversationId}/close`, amyToken, {
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: '{}',
    });
    expect(res.status).toBe(200);
    expect(await status()).toBe('closed');
  });

  it('does not reveal personal data for a body that is not JSON', async () => {
    const before = await reveals();
    for (const [what, init] of notJson()) {
      const res = await call(`/agent/customers/${buyer.uid}/reveal`, adminToken, init);
      expect(res.status, what).toBe(415);
      expect(await reveals(), what).toBe(before);
    }
    const res = await call(`/agent/customers/${buyer.uid}/reveal`, adminToken, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ fields: ['name'] }),
    });
    expect(res.status).toBe(200);
    expect(await reveals()).toBe(before + 1);
  });

  it('refuses JSON and bodies without a type on the upload route, and takes multipart there', async () => {
    const path = `/uploads?conversation_id=${conversationId}&kind=file`;
    for (const init of [
      { headers: { 'content-type': 'application/json' }, body: '{}' },
      { body: new TextEncoder().encode('hello') },
    ]) {
      expect((await call(path, amyToken, init)).status).toBe(415);
    }
    const form = new FormData();
    form.set('file', new Blob(['hello, world\n'], { type: 'text/plain' }), 'hello.txt');
    // Past the type check (the conversation is closed now: the route itself answers).
    expect((await call(path, amyToken, { body: form })).status).not.toBe(415);
  });

  it('lets requests without a body and without a Content-Type through', async () => {
    const res = await fetch(`${server.url}/api/v1/sessions/current`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${adminToken}` },
    });
    expect(res.status).toBe(204);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
