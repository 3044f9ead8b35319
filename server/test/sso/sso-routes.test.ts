import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort } from '@kefu/tools';
import { agentModel } from '../../src/model/agent.js';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import type { KefuServer } from '../../src/server.js';
import { CALLBACK, browserSignIn, exchange, startKefu, ticketOf } from './sso-flow.js';
import { startTestIdp, type TestIdp } from './test-idp.js';

describe('SSO routes (OIDC against a real provider)', () => {
  let idp: TestIdp;
  let server: KefuServer;
  let autoServer: KefuServer;
  let agents: AgentRepository;
  const newAgent = async (uid: string, over: Partial<Parameters<AgentRepository['createAgent']>[0]> = {}) => {
    await agents.createAgent({
      uid,
      username: uid,
      displayName: uid,
      role: 'agent',
      passwordHash: '',
      maxConcurrent: 5,
      disabled: false,
      createdAt: new Date(),
      ...over,
    });
  };

  beforeAll(async () => {
    const [port, autoPort] = [await getFreePort(), await getFreePort()];
    idp = await startTestIdp({
      redirectUris: [port, autoPort].map((p) => `http://127.0.0.1:${String(p)}${CALLBACK}`),
    });
    const oidcEnv = {
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: idp.clientId,
      OIDC_CLIENT_SECRET: idp.clientSecret,
      OIDC_NAME: '企业微信登录',
    };
    server = await startKefu(port, oidcEnv);
    autoServer = await startKefu(autoPort, { ...oidcEnv, OIDC_AUTO_PROVISION: 'true' });
    agents = new AgentRepository(server.db);
  });
  afterAll(async () => {
    await server.stop();
    await autoServer.stop();
    await idp.close();
  });

  it('GET /sso/config tells the console to show the button', async () => {
    const res = await fetch(`${server.url}/api/v1/agent/sso/config`);
    expect(await res.json()).toEqual({ enabled: true, name: '企业微信登录' });
  });

  it('maps a verified email to the agent, stores the subject, then maps by subject', async () => {
    await newAgent('a_li', { email: 'li@example.com' });
    idp.users.set('sub-li', { email: 'LI@example.com', email_verified: true, name: 'Li' });
    const { authorize, landing } = await browserSignIn(server, idp, 'sub-li');
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(authorize.searchParams.get('scope')).toBe('openid email profile');
    expect(landing).toMatch(/^\/console\/#sso=/);
    const ticket = ticketOf(landing);
    const first = await exchange(server, ticket);
    expect(first.status).toBe(201);
    expect(first.body.user).toMatchObject({
      uid: 'a_li',
      perms: ['chat', 'points:view'],
      agent_role: 'agent',
    });
    expect(await agentModel(server.db).findById('a_li').lean()).toMatchObject({ sso_subject: 'sub-li' });

    // Single use: the same ticket again is refused.
    expect((await exchange(server, ticket)).status).toBe(401);

    // The provider's email changes; the stored subject still finds the agent.
    idp.users.set('sub-li', { email: 'li.new@example.com', email_verified: true });
    const again = await exchange(server, ticketOf((await browserSignIn(server, idp, 'sub-li')).landing));
    expect(again.body.user.uid).toBe('a_li');

    // SSO sessions use the same refresh and logout machinery.
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${server.url}/api/v1${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    expect((await post('/sessions/refresh', { refresh_token: again.body.refresh_token })).status).toBe(200);
    const logout = await fetch(`${server.url}/api/v1/sessions/current`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${again.body.token}` },
    });
    expect(logout.status).toBe(204);
    expect((await post('/sessions/refresh', { refresh_token: again.body.refresh_token })).status).toBe(401);
  });

  it('refuses unknown users, unverified emails and disabled agents (auto-provision off)', async () => {
    idp.users.set('sub-nobody', { email: 'nobody@example.com', email_verified: true });
    expect((await browserSignIn(server, idp, 'sub-nobody')).landing).toBe('/console/#sso_error=unknown_user');

    await newAgent('a_zhao', { email: 'zhao@example.com' });
    idp.users.set('sub-zhao', { email: 'zhao@example.com', email_verified: false });
    expect((await browserSignIn(server, idp, 'sub-zhao')).landing).toBe('/console/#sso_error=unknown_user');
    expect(await agentModel(server.db).findById('a_zhao').lean()).not.toHaveProperty('sso_subject');

    await newAgent('a_off', { email: 'off@example.com', disabled: true });
    idp.users.set('sub-off', { email: 'off@example.com', email_verified: true });
    expect((await browserSignIn(server, idp, 'sub-off')).landing).toBe(
      '/console/#sso_error=account_disabled',
    );
    expect(await agentModel(server.db).countDocuments({ email: 'nobody@example.com' })).toBe(0);
  });

  it('refuses a disabled agent at ticket exchange too', async () => {
    await newAgent('a_late', { email: 'late@example.com' });
    idp.users.set('sub-late', { email: 'late@example.com', email_verified: true });
    const ticket = ticketOf((await browserSignIn(server, idp, 'sub-late')).landing);
    await agentModel(server.db).updateOne({ _id: 'a_late' }, { $set: { disabled: true } });
    expect((await exchange(server, ticket)).status).toBe(403);
  });

  it('auto-provisions an unknown user as an agent when OIDC_AUTO_PROVISION=true', async () => {
    idp.users.set('sub-new', {
      email: 'New.Person@example.com',
      email_verified: true,
      name: '新人',
      preferred_username: 'newperson',
    });
    const { landing } = await browserSignIn(autoServer, idp, 'sub-new', '/console/?tab=queue');
    expect(landing).toMatch(/^\/console\/\?tab=queue#sso=/);
    const session = await exchange(autoServer, ticketOf(landing));
    expect(session.status).toBe(201);
    expect(session.body.user).toMatchObject({
      perms: ['chat', 'points:view'],
      agent_role: 'agent',
      name: '新人',
    });
    const doc = await agentModel(autoServer.db).findById(session.body.user.uid).lean();
    expect(doc).toMatchObject({
      username: 'newperson',
      role: 'agent',
      email: 'new.person@example.com',
      sso_subject: 'sub-new',
      disabled: false,
    });
    // The next sign-in finds the same account instead of creating another.
    const again = await exchange(
      autoServer,
      ticketOf((await browserSignIn(autoServer, idp, 'sub-new')).landing),
    );
    expect(again.body.user.uid).toBe(session.body.user.uid);
    expect(await agentModel(autoServer.db).countDocuments({ sso_subject: 'sub-new' })).toBe(1);
  });

  it('refuses an unknown or replayed state', async () => {
    const bogus = await fetch(`${server.url}${CALLBACK}?code=abc&state=bogus`, { redirect: 'manual' });
    expect(bogus.status).toBe(302);
    expect(bogus.headers.get('location')).toBe('/console/#sso_error=invalid_state');

    await newAgent('a_wu', { email: 'wu@example.com' });
    idp.users.set('sub-wu', { email: 'wu@example.com', email_verified: true });
    const { callback } = await browserSignIn(server, idp, 'sub-wu');
    const replay = await fetch(callback, { redirect: 'manual' });
    expect(replay.headers.get('location')).toBe('/console/#sso_error=invalid_state');
  });

  it('reports a refusal at the provider back to the console', async () => {
    const res = await fetch(`${server.url}/api/v1/agent/sso/login?return_to=/console/`, {
      redirect: 'manual',
    });
    const state = new URL(res.headers.get('location') ?? '').searchParams.get('state') ?? '';
    const back = await fetch(`${server.url}${CALLBACK}?error=access_denied&state=${state}`, {
      redirect: 'manual',
    });
    expect(back.headers.get('location')).toBe('/console/#sso_error=access_denied');
  });

  it('refuses return_to values that leave this site (open redirect)', async () => {
    for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'console', '/a\nb']) {
      const res = await fetch(`${server.url}/api/v1/agent/sso/login?return_to=${encodeURIComponent(bad)}`, {
        redirect: 'manual',
      });
      expect(res.status, bad).toBe(400);
      expect(res.headers.get('location')).toBeNull();
    }
  });

  it('refuses bad exchange bodies and unknown tickets', async () => {
    expect((await exchange(server, 'not-a-ticket')).status).toBe(401);
    const res = await fetch(`${server.url}/api/v1/agent/sso/exchange`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ticket: 5 }),
    });
    expect(res.status).toBe(400);
  });
});
