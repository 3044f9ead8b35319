// The security suite's sweep of every HTTP route (docs/security.md): each route is classified below, a new
// route without a class fails the first test, and every refusal must be a 4xx JSON error that changes
// nothing in the database — no token, a forged token, the wrong role, an agent without the permission, a
// foreign customer, a body that is not JSON, an oversized body and wrongly typed fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { customerSession } from '../mall/sessions.js';
import { openConversation, png } from '../uploads/fixtures.js';
import { createTopics } from '@kefu/proto';
import { TokenService } from '../../src/service/auth/tokens.js';
import { agentSession, visitorSession } from '../mall/sessions.js';
import { ROUTES, databaseDigest, routeKey, send, type Fixture, type Who } from './route-matrix-fixture.js';

describe('every HTTP route refuses what it must, changing nothing', () => {
  let server: KefuServer;
  let fx: Fixture;

  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('route_matrix'), SESSION_REQUESTS_PER_IP_PER_MINUTE: '10000' }),
      silentLogger,
    );
    fx = await prepare(server);
  }, 120_000);
  afterAll(async () => {
    await server.stop();
  });

  it('classifies every route the server answers, and only those', () => {
    const served = server.routes.map(routeKey).sort();
    expect(served).toEqual(Object.keys(ROUTES).sort());
  });

  it('answers 401 JSON to requests without a token or with a forged one', async () => {
    const before = await databaseDigest(server);
    for (const [key, spec] of Object.entries(ROUTES)) {
      if (spec.access === 'public') continue;
      for (const token of [undefined, fx.tokens.forged, 'not-a-jwt']) {
        const res = await send(server, fx, key, { token });
        expect(res.status, `${key} with ${token ? 'a bad' : 'no'} token`).toBe(401);
        expect(res.json?.error?.code, key).toBe('unauthenticated');
      }
    }
    expect(await databaseDigest(server)).toBe(before);
  });

  it('answers 403/404 JSON to the wrong role and to agents without the permission', async () => {
    const before = await databaseDigest(server);
    for (const [key, spec] of Object.entries(ROUTES)) {
      const refused: Who[] = [];
      if (spec.access === 'customer') refused.push('admin');
      if (typeof spec.access === 'object') refused.push('customer', 'visitor');
      if (typeof spec.access === 'object' && spec.access.perm) refused.push('bare');
      for (const who of refused) {
        const res = await send(server, fx, key, { token: fx.tokens[who], body: spec.body ? {} : undefined });
        expect([403, 404], `${key} as ${who}: ${String(res.status)}`).toContain(res.status);
        expect(res.json?.error?.code, key).toMatch(/^(forbidden|not_found)$/);
      }
    }
    expect(await databaseDigest(server)).toBe(before);
  });

  it('keeps one customer’s conversation, history and uploads from another', async () => {
    const before = await databaseDigest(server);
    for (const [key, spec] of Object.entries(ROUTES)) {
      if (!spec.foreign) continue;
      const res = await send(server, fx, key, { token: fx.tokens.foreign });
      expect([403, 404], `${key}: ${String(res.status)}`).toContain(res.status);
    }
    expect(await databaseDigest(server)).toBe(before);
  });

  it('refuses bodies that are not JSON (415), too large (413) or wrongly typed (400)', async () => {
    const before = await databaseDigest(server);
    for (const [key, spec] of Object.entries(ROUTES)) {
      if (!spec.body) continue;
      const token =
        spec.access === 'public' ? undefined : fx.tokens[spec.access === 'customer' ? 'customer' : 'admin'];
      const json = spec.body === 'json';
      const wrongType = json ? 'text/plain' : 'application/json';
      const plain = await send(server, fx, key, { token, raw: '{"a":1}', contentType: wrongType });
      expect(plain.status, `${key} as ${wrongType}`).toBe(415);
      expect(plain.json?.error?.code).toBe('unsupported_media_type');
      if (!json) continue;
      const huge = await send(server, fx, key, { token, body: { pad: 'x'.repeat(70 * 1024) } });
      expect(huge.status, `${key} oversized`).toBe(413);
      for (const body of [[], 'text', 42, null, { unexpected_field: true }, ...(spec.wrong ?? [])]) {
        const res = await send(server, fx, key, { token, body });
        // Scalars never reach the route (the JSON parser takes objects and arrays only).
        const expected = typeof body === 'object' && body !== null ? (spec.wrongStatus ?? 400) : 400;
        expect(res.status, `${key} with ${JSON.stringify(body)}`).toBe(expected);
        expect(typeof res.json?.error?.message).toBe('string');
      }
    }
    expect(await databaseDigest(server)).toBe(before);
    // The digest does see writes: one accepted request changes it.
    const created = await send(server, fx, 'POST /api/v1/admin/groups', {
      token: fx.tokens.admin,
      body: { name: '矩阵测试组' },
    });
    expect(created.status).toBe(201);
    expect(await databaseDigest(server)).not.toBe(before);
  });
});

async function prepare(server: KefuServer): Promise<Fixture> {
  const admin = await agentSession(server, 'root', 'admin');
  const bare = await agentSession(server, 'bare', 'agent');
  // Agents without any permission: the "agent without the permission" of every guarded route.
  await send(server, undefined, 'PUT /api/v1/admin/roles/:role', { token: admin.token, body: { perms: [] } });
  const customer = await customerSession(server, 'matrix_a');
  const foreign = await customerSession(server, 'matrix_b');
  const visitor = await visitorSession(server);
  // The admin's own identity, signed with another key.
  const forged = await new TokenService('f'.repeat(40), createTopics(), 600, 600).issueAccess({
    uid: admin.user.uid,
    role: 'agent',
    kind: 'agent',
    perms: ['chat', 'config', 'monitor', 'pii:view'],
    sid: 's_forged',
  });
  const conversationId = await openConversation(server, customer.user.uid);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(await png())], { type: 'image/png' }), 'a.png');
  const uploaded = await fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=image`, {
    method: 'POST',
    headers: { authorization: `Bearer ${customer.token}` },
    body: form,
  });
  const uploadId = ((await uploaded.json()) as { upload_id: string }).upload_id;
  return {
    tokens: {
      admin: admin.token,
      bare: bare.token,
      customer: customer.token,
      foreign: foreign.token,
      visitor: visitor.token,
      forged: forged.token,
    },
    customerUid: customer.user.uid,
    agentUid: bare.user.uid,
    conversationId,
    uploadId,
  };
}
