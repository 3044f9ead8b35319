// Finding C: X-Forwarded-For was believed from anyone (app.proxy = true), so a client picked its own
// rate-limit key and audited address; X-Forwarded-Host/-Proto chose the SSO redirect URI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { customerModel } from '../../src/model/customer.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { startTestIdp, type TestIdp } from '../sso/test-idp.js';

const LIMIT = 3;

function start(idp: TestIdp, name: string, env: Record<string, string> = {}): Promise<KefuServer> {
  return startServer(
    testConfig({
      MONGODB_URI: testMongoUri(name),
      SESSION_REQUESTS_PER_IP_PER_MINUTE: String(LIMIT),
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      ...env,
    }),
    silentLogger,
  );
}

/** A visitor session; answers the HTTP status and the address the server stored for the visitor. */
async function visitor(server: KefuServer, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}/api/v1/sdk/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ type: 'visitor' }),
  });
  if (res.status !== 201) return { status: res.status, ip: undefined };
  const uid = ((await res.json()) as { user: { uid: string } }).user.uid;
  const doc = await customerModel(server.db).findById(uid).lean();
  return { status: res.status, ip: doc?.created_ip };
}

/** The redirect_uri the server sends to the provider for a login started with these headers. */
async function redirectUri(server: KefuServer, headers: Record<string, string>): Promise<string | null> {
  const res = await fetch(`${server.url}/api/v1/agent/sso/login?return_to=/console/`, {
    redirect: 'manual',
    headers,
  });
  expect(res.status).toBe(302);
  return new URL(res.headers.get('location') ?? '').searchParams.get('redirect_uri');
}

const FORGED = {
  'x-forwarded-for': '198.51.100.7',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-proto': 'https',
  forwarded: 'for=198.51.100.7;host=evil.example;proto=https',
};

describe('forwarded headers from an untrusted peer (TRUSTED_PROXIES unset)', () => {
  let idp: TestIdp;
  let server: KefuServer;
  beforeAll(async () => {
    idp = await startTestIdp({ redirectUris: ['http://127.0.0.1:9/api/v1/agent/sso/callback'] });
    server = await start(idp, 'edge-proxy-untrusted');
  });
  afterAll(async () => {
    await server.stop();
    await idp.close();
  });

  it('stores the connection address, not a forged X-Forwarded-For', async () => {
    expect(await visitor(server, FORGED)).toEqual({ status: 201, ip: '127.0.0.1' });
  });

  it('keeps the SSO redirect URI on the request host', async () => {
    expect(await redirectUri(server, FORGED)).toBe(`${server.url}/api/v1/agent/sso/callback`);
  });

  it('keeps answering 429 once the per-IP budget is spent, whatever X-Forwarded-For says', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await visitor(server)).status);
    expect(statuses).toContain(429);
    for (const xff of ['203.0.113.1', '203.0.113.2, 203.0.113.3', 'unknown']) {
      expect((await visitor(server, { 'x-forwarded-for': xff })).status, xff).toBe(429);
    }
  });
});

describe('forwarded headers through a trusted proxy (TRUSTED_PROXIES=127.0.0.1,10.0.0.0/8)', () => {
  let idp: TestIdp;
  let server: KefuServer;
  beforeAll(async () => {
    idp = await startTestIdp({ redirectUris: ['http://127.0.0.1:9/api/v1/agent/sso/callback'] });
    // Tests connect from 127.0.0.1: they play the proxy.
    server = await start(idp, 'edge-proxy-trusted', { TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' });
  });
  afterAll(async () => {
    await server.stop();
    await idp.close();
  });

  it('takes the client address from X-Forwarded-For, right to left over trusted hops', async () => {
    expect((await visitor(server, { 'x-forwarded-for': '203.0.113.7' })).ip).toBe('203.0.113.7');
    // The leftmost entry is whatever the client sent the first proxy: ignored.
    const spoofed = { 'x-forwarded-for': '6.6.6.6, 203.0.113.8' };
    expect((await visitor(server, spoofed)).ip).toBe('203.0.113.8');
    const twoProxies = { 'x-forwarded-for': '6.6.6.6, 203.0.113.9, 10.1.2.3' };
    expect((await visitor(server, twoProxies)).ip).toBe('203.0.113.9');
  });

  it('limits per forwarded client address; a spoofed leftmost hop does not escape it', async () => {
    const from = (xff: string) => visitor(server, { 'x-forwarded-for': xff }).then((r) => r.status);
    for (let i = 0; i < LIMIT; i++) await from('192.0.2.10');
    expect(await from('192.0.2.10')).toBe(429);
    expect(await from('1.2.3.4, 192.0.2.10')).toBe(429);
    expect(await from('192.0.2.11')).toBe(201);
  });

  it('builds the SSO redirect URI from X-Forwarded-Proto/-Host', async () => {
    const headers = { 'x-forwarded-host': 'kefu.example.com', 'x-forwarded-proto': 'https' };
    expect(await redirectUri(server, headers)).toBe('https://kefu.example.com/api/v1/agent/sso/callback');
  });
});
