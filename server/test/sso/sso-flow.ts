// The SSO tests' flow: a Kefu server with OIDC settings, and what a browser does to sign in through the
// test provider (test-idp.ts) up to the one-time ticket and its exchange for a session.
import { expect } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { throughProvider, type TestIdp } from './test-idp.js';

export interface Session {
  token: string;
  refresh_token: string;
  user: { uid: string; perms: string[]; agent_role: string; name: string };
}

export const CALLBACK = '/api/v1/agent/sso/callback';

export function startKefu(port: number, env: Record<string, string>): Promise<KefuServer> {
  return startServer(
    testConfig({
      PORT: String(port),
      MONGODB_URI: testMongoUri('sso'),
      ADMIN_PASSWORD: 'admin-pass-123',
      ...env,
    }),
    silentLogger,
  );
}

/** What a browser does: our login → provider (instant interaction) → our callback; returns where it lands. */
export async function browserSignIn(
  server: KefuServer,
  idp: TestIdp,
  account: string,
  returnTo = '/console/',
) {
  let res = await fetch(`${server.url}/api/v1/agent/sso/login?return_to=${encodeURIComponent(returnTo)}`, {
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  const authorize = new URL(res.headers.get('location') ?? '');
  idp.signInAs(account);
  const location = await throughProvider(idp, authorize.href);
  expect(location.startsWith(`${server.url}${CALLBACK}?`), location).toBe(true);
  res = await fetch(location, { redirect: 'manual' });
  expect(res.status).toBe(302);
  return { authorize, callback: location, landing: res.headers.get('location') ?? '' };
}

export function ticketOf(landing: string): string {
  const match = /#sso=([^&]+)$/.exec(landing);
  if (!match?.[1]) throw new Error(`no ticket in ${landing}`);
  return decodeURIComponent(match[1]);
}

export async function exchange(server: KefuServer, ticket: string) {
  const res = await fetch(`${server.url}/api/v1/agent/sso/exchange`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticket }),
  });
  return { status: res.status, body: (await res.json()) as Session };
}
