// Finding E: `X-Content-Type-Options: nosniff` on every response; /api answers `Cache-Control: no-store`
// unless the route chose its own caching (upload downloads), and token responses always.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerClient } from '@kefu/sdk-core';
import { getFreePort } from '@kefu/tools';
import { testMongoUri } from '@kefu/tools/testing';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { customer, online } from '../messaging/harness.js';
import { startTestIdp, throughProvider, type TestIdp } from '../sso/test-idp.js';

const CALLBACK = '/api/v1/agent/sso/callback';

describe('default response headers', () => {
  let idp: TestIdp;
  let server: KefuServer;
  let buyer: CustomerClient;
  const json = { 'content-type': 'application/json' };
  const post = (path: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers: json, body: JSON.stringify(body) });

  beforeAll(async () => {
    const port = await getFreePort();
    idp = await startTestIdp({ redirectUris: [`http://127.0.0.1:${String(port)}${CALLBACK}`] });
    server = await startServer(
      testConfig({
        PORT: String(port),
        MONGODB_URI: testMongoUri('edge-headers'),
        ADMIN_PASSWORD: 'admin-pass-123',
        OIDC_ISSUER: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
      }),
      silentLogger,
    );
    buyer = customer(server.url, 'headers-buyer');
    await buyer.start();
    await online(buyer);
  });
  afterAll(async () => {
    await buyer.stop();
    await server.stop();
    await idp.close();
  });

  it('sends nosniff on every response, errors included', async () => {
    const responses = [
      await fetch(`${server.url}/`),
      await fetch(`${server.url}/healthz`),
      await fetch(`${server.url}/readyz`),
      await fetch(`${server.url}/metrics`),
      await fetch(`${server.url}/no/such/page`),
      await fetch(`${server.url}/healthz`, { method: 'DELETE' }),
      await fetch(`${server.url}/api/v1/agent/sso/config`),
      await fetch(`${server.url}/api/v1/conversations`),
      await post('/api/v1/sdk/sessions', { type: 'nope' }),
    ];
    for (const res of responses) expect(res.headers.get('x-content-type-options'), res.url).toBe('nosniff');
  });

  it('answers /api with no-store by default, errors included', async () => {
    for (const res of [
      await fetch(`${server.url}/api/v1/agent/sso/config`),
      await fetch(`${server.url}/api/v1/conversations`),
      await fetch(`${server.url}/api/v1/no/such/route`),
      await post('/api/v1/sdk/sessions', { type: 'nope' }),
    ]) {
      expect(res.headers.get('cache-control'), res.url).toBe('no-store');
    }
  });

  it('never lets a token response be cached: sessions, refresh, SSO exchange', async () => {
    const agent = await post('/api/v1/agent/sessions', { username: 'admin', password: 'admin-pass-123' });
    const visitor = await post('/api/v1/sdk/sessions', { type: 'visitor' });
    const { refresh_token } = (await agent.clone().json()) as { refresh_token: string };
    const refreshed = await post('/api/v1/sessions/refresh', { refresh_token });
    for (const res of [agent, visitor, refreshed]) {
      expect(res.status, res.url).toBeLessThan(300);
      expect(res.headers.get('cache-control'), res.url).toBe('no-store');
    }

    await new AgentRepository(server.db).createAgent({
      uid: 'a_sso',
      username: 'sso',
      displayName: 'sso',
      role: 'agent',
      passwordHash: '',
      maxConcurrent: 5,
      disabled: false,
      createdAt: new Date(),
      email: 'sso@example.com',
    });
    idp.users.set('sub-sso', { email: 'sso@example.com', email_verified: true });
    idp.signInAs('sub-sso');
    const start = await fetch(`${server.url}/api/v1/agent/sso/login?return_to=/console/`, {
      redirect: 'manual',
    });
    const location = await throughProvider(idp, start.headers.get('location') ?? '');
    const landing = (await fetch(location, { redirect: 'manual' })).headers.get('location') ?? '';
    const ticket = decodeURIComponent(/#sso=([^&]+)$/.exec(landing)?.[1] ?? '');
    const exchanged = await post('/api/v1/agent/sso/exchange', { ticket });
    expect(exchanged.status).toBe(201);
    expect(exchanged.headers.get('cache-control')).toBe('no-store');
  });

  it('keeps the caching an upload download chose', async () => {
    const conversationId = (await buyer.open()).id ?? '';
    const token = (await buyer.sessions.current()).token;
    const form = new FormData();
    form.set('file', new Blob(['hello, world\n'], { type: 'text/plain' }), 'hello.txt');
    const created = await fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=file`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { url } = (await created.json()) as { url: string };
    const download = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('cache-control')).toBe('private, max-age=86400');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    const missing = await fetch(`${server.url}/api/v1/uploads/nope`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
  });
});
