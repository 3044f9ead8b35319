import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { DEV_IDENTITY_SECRET } from '../../src/config.js';
import { RoutingRepository } from '../../src/repository/routing-repository.js';
import { customerModel } from '../../src/model/customer.js';
import { signIdentity } from '../../src/service/auth/identity.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';

interface Grant {
  token: string;
  expires_at: number;
  refresh_token: string;
  user: { uid: string; role: string; kind: string; perms: string[]; name?: string };
  mqtt: { url: string; username: string; topics: { up: string; down: string; presence: string } };
}

describe('session routes', () => {
  let server: KefuServer;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${server.url}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const identity = (over: Record<string, unknown> = {}) => ({
    user_id: '10086',
    name: '张三',
    phone: '13800000000',
    level: 2,
    ts: Math.floor(Date.now() / 1000),
    ...over,
  });
  const customers = () => customerModel(server.db).countDocuments();

  beforeAll(async () => {
    server = await startServer(
      testConfig({
        MONGODB_URI: testMongoUri('sessions'),
        ADMIN_PASSWORD: 'admin-pass-123',
        VISITOR_SESSIONS_PER_IP_PER_HOUR: '3',
        SESSION_REQUESTS_PER_IP_PER_MINUTE: '40',
      }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  describe('POST /sdk/sessions (customer)', () => {
    it('creates a session for an identity signed by the mall', async () => {
      const id = identity();
      const res = await post('/sdk/sessions', {
        type: 'customer',
        identity: id,
        signature: signIdentity(DEV_IDENTITY_SECRET, id),
      });
      expect(res.status).toBe(201);
      const grant = (await res.json()) as Grant;
      expect(grant.user).toEqual({
        uid: 'u_10086',
        role: 'customer',
        kind: 'customer',
        perms: [],
        name: '张三',
      });
      expect(grant.mqtt.username).toBe('u_10086');
      expect(grant.mqtt.url).toBe(`${server.url.replace('http', 'ws')}/mqtt`);
      expect(grant.mqtt.topics).toEqual({
        up: 'kefu/up/c/u_10086',
        down: 'kefu/down/c/u_10086',
        presence: 'kefu/presence/c/u_10086',
      });
      expect(grant.expires_at).toBeGreaterThan(Date.now() / 1000);
      const stored = await customerModel(server.db).findById('u_10086').lean();
      expect(stored).toMatchObject({
        kind: 'customer',
        mall_user_id: '10086',
        phone: '13800000000',
        level: 2,
      });
    });

    it('refuses a blocked customer a session and a refresh (blacklist), and lets them back when removed', async () => {
      const id = identity({ user_id: 'blocked1' });
      const body = { type: 'customer', identity: id, signature: signIdentity(DEV_IDENTITY_SECRET, id) };
      const first = await post('/sdk/sessions', body);
      expect(first.status).toBe(201);
      const grant = (await first.json()) as Grant;
      const blacklist = new RoutingRepository(server.db);
      await blacklist.saveBlacklistEntry({
        customerUid: 'u_blocked1',
        reason: 'spam',
        by: 'a_admin',
        createdAt: new Date(),
      });
      const refused = await post('/sdk/sessions', body);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: 'forbidden' } });
      expect((await post('/sessions/refresh', { refresh_token: grant.refresh_token })).status).toBe(403);
      await blacklist.removeBlacklistEntry('u_blocked1');
      expect((await post('/sdk/sessions', body)).status).toBe(201);
    });

    it('refuses a forged signature and stores nothing', async () => {
      const before = await customers();
      const id = identity({ user_id: 'forger' });
      const res = await post('/sdk/sessions', {
        type: 'customer',
        identity: id,
        signature: signIdentity('not-the-mall-secret!!', id),
      });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        error: { code: 'unauthenticated', message: 'The identity signature is invalid' },
      });
      expect(await customers()).toBe(before);
    });

    it('refuses an identity changed after signing (e.g. a raised level)', async () => {
      const id = identity({ user_id: 'tamper' });
      const res = await post('/sdk/sessions', {
        type: 'customer',
        identity: { ...id, level: 99 },
        signature: signIdentity(DEV_IDENTITY_SECRET, id),
      });
      expect(res.status).toBe(401);
    });

    it('refuses a stale signature', async () => {
      const id = identity({ ts: Math.floor(Date.now() / 1000) - 3600 });
      const res = await post('/sdk/sessions', {
        type: 'customer',
        identity: id,
        signature: signIdentity(DEV_IDENTITY_SECRET, id),
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    });

    it('refuses a user id that cannot be a topic level', async () => {
      const id = identity({ user_id: 'a/b#' });
      const res = await post('/sdk/sessions', {
        type: 'customer',
        identity: id,
        signature: signIdentity(DEV_IDENTITY_SECRET, id),
      });
      expect(res.status).toBe(400);
    });
  });

  describe('bad request bodies change nothing', () => {
    it.each([
      ['missing type', {}],
      ['unknown type', { type: 'admin' }],
      ['missing signature', { type: 'customer', identity: { user_id: '1', ts: 1 } }],
      ['wrong field type', { type: 'customer', identity: { user_id: 1, ts: 'now' }, signature: 'x' }],
      ['unknown field', { type: 'visitor', extra: true }],
      ['array body', [1, 2]],
      [
        'over-long user id',
        { type: 'customer', identity: { user_id: 'x'.repeat(65), ts: 1 }, signature: 'x' },
      ],
    ])('%s → 400 with the field named', async (_what, body) => {
      const before = await customers();
      const res = await post('/sdk/sessions', body);
      expect(res.status).toBe(400);
      const json = (await res.json()) as {
        error: { code: string; message: string; details: { fields: unknown[] } };
      };
      expect(json.error.code).toBe('bad_request');
      expect(json.error.message).toMatch(/^Invalid request body/);
      expect(json.error.details.fields.length).toBeGreaterThan(0);
      expect(await customers()).toBe(before);
    });

    it('malformed JSON → 400', async () => {
      const res = await post('/sdk/sessions', '{"type": "visitor",');
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    });

    it('a body over 64 KB → 413', async () => {
      const res = await post('/sdk/sessions', JSON.stringify({ type: 'visitor', pad: 'x'.repeat(70_000) }));
      expect(res.status).toBe(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    });

    it('a non-JSON content type → 415, not parsed', async () => {
      const res = await fetch(`${server.url}/api/v1/sdk/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'type=visitor',
      });
      expect(res.status).toBe(415);
    });
  });

  describe('visitors', () => {
    it('get a fresh visitor id each, limited per IP per hour', async () => {
      const uids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await post('/sdk/sessions', { type: 'visitor' });
        expect(res.status).toBe(201);
        const grant = (await res.json()) as Grant;
        expect(grant.user.kind).toBe('visitor');
        expect(grant.user.uid).toMatch(/^v_[0-9a-f]{20}$/);
        uids.push(grant.user.uid);
      }
      expect(new Set(uids).size).toBe(3);
      const refused = await post('/sdk/sessions', { type: 'visitor' });
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    });
  });

  describe('agents, refresh and logout', () => {
    it('signs in the seeded admin with its permissions', async () => {
      const res = await post('/agent/sessions', { username: 'admin', password: 'admin-pass-123' });
      expect(res.status).toBe(201);
      const grant = (await res.json()) as Grant & { user: { agent_role: string } };
      expect(grant.user.role).toBe('agent');
      expect(grant.user.agent_role).toBe('admin');
      expect(grant.user.perms).toEqual(expect.arrayContaining(['chat', 'pii:view', 'config']));
      expect(grant.mqtt.topics.down).toBe(`kefu/down/a/${grant.user.uid}`);
    });

    it('gives the same answer for a wrong password and an unknown user', async () => {
      const wrong = await post('/agent/sessions', { username: 'admin', password: 'nope-nope' });
      const unknown = await post('/agent/sessions', { username: 'ghost', password: 'nope-nope' });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(((await wrong.json()) as { error: { message: string } }).error.message).toBe(
        ((await unknown.json()) as { error: { message: string } }).error.message,
      );
    });

    it('refreshes a live session, and not after logout', async () => {
      const grant = (await (
        await post('/agent/sessions', { username: 'admin', password: 'admin-pass-123' })
      ).json()) as Grant;
      const refreshed = await post('/sessions/refresh', { refresh_token: grant.refresh_token });
      expect(refreshed.status).toBe(200);
      const next = (await refreshed.json()) as Grant;
      expect(next.user.uid).toBe(grant.user.uid);
      expect((await server.tokens.verifyAccess(next.token)).uid).toBe(grant.user.uid);

      // An access token is not a refresh token.
      expect((await post('/sessions/refresh', { refresh_token: grant.token })).status).toBe(401);

      const logout = await fetch(`${server.url}/api/v1/sessions/current`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${next.token}` },
      });
      expect(logout.status).toBe(204);
      expect((await post('/sessions/refresh', { refresh_token: grant.refresh_token })).status).toBe(401);
    });

    it('logout without a token → 401', async () => {
      const res = await fetch(`${server.url}/api/v1/sessions/current`, { method: 'DELETE' });
      expect(res.status).toBe(401);
    });
  });
});

describe('session request rate limit per IP', () => {
  let server: KefuServer;
  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('ratelimit'), SESSION_REQUESTS_PER_IP_PER_MINUTE: '3' }),
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.stop();
  });

  it('answers 429 with Retry-After once the minute budget is spent', async () => {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 4; i++) {
      last = await fetch(`${server.url}/api/v1/agent/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'nobody', password: 'whatever' }),
      });
      statuses.push(last.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    expect(Number(last?.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});
