// Finding A: an SSO return_to that normalises to another origin (`/.//evil.example` → `//evil.example`)
// sent the sign-in ticket there. Every redirect must land on an allow-listed console path of this origin.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '@kefu/tools';
import { testMongoUri } from '@kefu/tools/testing';
import { ValidationError } from '../../src/errors.js';
import { RETURN_PATHS, safeReturnPath } from '../../src/port/http/return-path.js';
import { SsoClaimRepository } from '../../src/repository/sso-claim-repository.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { startTestIdp, throughProvider, type TestIdp } from '../sso/test-idp.js';

const CALLBACK = '/api/v1/agent/sso/callback';

/** The bypasses of the probe, then our own variants. */
const ESCAPES = [
  '/.//evil.example',
  '/console/..//evil.example',
  '/%2e%2e//evil.example',
  '/x/%2E%2E//evil.example/',
  '/console/%2e%2e/%2e%2e//evil.example',
  '/console/%2E%2E/%2e%2E//evil.example/x?y#z',
  '/%2f%2fevil.example',
  '/%2F/evil.example',
  '/console/..%2f..%2f/evil.example',
  '/\\evil.example',
  '/console/\\evil',
  '/console/\\\\evil.example',
  '/%5cevil.example',
  '/console/%5c%5cevil.example',
  '/\t/evil.example',
  '/console/\n/..//evil.example',
  '/\r\n/evil.example',
  '/console/\u0000',
  '/\u2025/evil.example',
  '/console/\u2024\u2024//evil.example',
  '/\uff0e\uff0e//evil.example',
  '/\u3002\u3002//evil.example',
  '//evil.example',
  '///evil.example',
  'https://evil.example/console/',
  'javascript:alert(1)',
  '/console',
  '/',
  '/api/v1/agent/sessions',
  '/console/../api/v1/agent/sso/config',
  '/console/%2e%2e/',
  '',
];

/** Where a browser that follows `location` from `base` ends up, as a same-origin path or null. */
function sameOriginPath(location: string, base: string): string | null {
  const url = new URL(location, base);
  return url.origin === new URL(base).origin ? url.pathname : null;
}

describe('safeReturnPath', () => {
  it.each(ESCAPES)('refuses %j', (raw) => {
    expect(() => safeReturnPath(raw)).toThrow(ValidationError);
  });

  it('accepts the console pages, normalised, with their query', () => {
    expect(safeReturnPath(undefined)).toBe('/console/');
    expect(safeReturnPath('/console/')).toBe('/console/');
    expect(safeReturnPath('/console/index.html')).toBe('/console/index.html');
    expect(safeReturnPath('/console/./')).toBe('/console/');
    expect(safeReturnPath('/console/x/%2e%2e/')).toBe('/console/');
    expect(safeReturnPath('/console/?tab=queue#old')).toBe('/console/?tab=queue');
  });

  it('never returns anything but an allow-listed path of this origin (fuzzed)', () => {
    const piece = fc.constantFrom(
      '/',
      '//',
      '\\',
      '.',
      '..',
      '%2e',
      '%2E%2e',
      '%2f',
      '%5c',
      '\t',
      '\n',
      '\u2025',
      '\uff0e',
      'console',
      'index.html',
      'evil.example',
      '@',
      ':',
      '?',
      '#',
      'https:',
    );
    const candidate = fc.oneof(
      fc.array(piece, { maxLength: 10 }).map((p) => p.join('')),
      fc.string(),
    );
    fc.assert(
      fc.property(candidate, (raw) => {
        let result: string;
        try {
          result = safeReturnPath(raw);
        } catch (err) {
          return err instanceof ValidationError;
        }
        const url = new URL(result, 'https://kefu.example');
        return (
          url.origin === 'https://kefu.example' &&
          RETURN_PATHS.includes(url.pathname) &&
          !result.startsWith('//') &&
          !result.includes('\\')
        );
      }),
      { numRuns: 5000 },
    );
  });
});

describe('SSO redirects (real provider)', () => {
  let idp: TestIdp;
  let server: KefuServer;
  let downServer: KefuServer;
  const login = (s: KefuServer, returnTo: string) =>
    fetch(`${s.url}/api/v1/agent/sso/login?return_to=${encodeURIComponent(returnTo)}`, {
      redirect: 'manual',
    });

  beforeAll(async () => {
    const port = await getFreePort();
    idp = await startTestIdp({ redirectUris: [`http://127.0.0.1:${String(port)}${CALLBACK}`] });
    const env = {
      MONGODB_URI: testMongoUri('edge-sso-redirect'),
      SESSION_REQUESTS_PER_IP_PER_MINUTE: '1000',
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
    };
    server = await startServer(
      testConfig({ ...env, PORT: String(port), OIDC_ISSUER: idp.issuer }),
      silentLogger,
    );
    // A provider that never answers: the login itself redirects back with #sso_error=unavailable.
    const closed = `http://127.0.0.1:${String(await getFreePort())}`;
    downServer = await startServer(testConfig({ ...env, OIDC_ISSUER: closed }), silentLogger);
  });
  afterAll(async () => {
    await server.stop();
    await downServer.stop();
    await idp.close();
  });

  it('refuses every escaping return_to with 400 before any redirect, provider up or down', async () => {
    for (const s of [server, downServer]) {
      for (const bad of ESCAPES.filter((e) => e !== '')) {
        const res = await login(s, bad);
        expect(res.status, bad).toBe(400);
        expect(res.headers.get('location'), bad).toBeNull();
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_request');
      }
    }
  });

  it('sends the ticket only to the console of this origin', async () => {
    for (const returnTo of ['/console/', '/console/./', '/console/x/../index.html', '/console/a/%2e%2e/']) {
      const start = await login(server, returnTo);
      expect(start.status, returnTo).toBe(302);
      idp.users.set('sub-nobody', { email: 'nobody@example.com', email_verified: true });
      idp.signInAs('sub-nobody');
      const location = await throughProvider(idp, start.headers.get('location') ?? '');
      const landing = (await fetch(location, { redirect: 'manual' })).headers.get('location') ?? '';
      expect(RETURN_PATHS).toContain(sameOriginPath(landing, server.url));
      expect(landing).toMatch(/^\/console\/(index\.html)?#sso_error=unknown_user$/);
    }
  });

  it('lands on the console when the provider is down', async () => {
    const res = await login(downServer, '/console/index.html');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/console/index.html#sso_error=unavailable');
  });

  it('never redirects to a stored return path outside the allow-list (written before this check)', async () => {
    const claims = new SsoClaimRepository(server.db);
    const expires = new Date(Date.now() + 60_000);
    const stored = { codeVerifier: 'v', nonce: 'n', redirectUri: `${server.url}${CALLBACK}` };
    await claims.saveLogin('old-state', { ...stored, returnTo: '//evil.example' }, expires);
    const res = await fetch(`${server.url}${CALLBACK}?error=access_denied&state=old-state`, {
      redirect: 'manual',
    });
    expect(res.headers.get('location')).toBe('/console/#sso_error=access_denied');
    const unknown = await fetch(`${server.url}${CALLBACK}?code=x&state=unknown`, { redirect: 'manual' });
    expect(unknown.headers.get('location')).toBe('/console/#sso_error=invalid_state');
  });
});
