import { describe, expect, it } from 'vitest';
import { getFreePort } from '@kefu/tools';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import { CALLBACK, browserSignIn, exchange, startKefu, ticketOf } from './sso-flow.js';
import { startTestIdp, type TestIdp } from './test-idp.js';

describe('SSO availability', () => {
  it('starts while the provider is down and signs in once it is up (lazy, retried discovery)', async () => {
    const [idpPort, port] = [await getFreePort(), await getFreePort()];
    const server = await startKefu(port, {
      OIDC_ISSUER: `http://127.0.0.1:${String(idpPort)}`,
      OIDC_CLIENT_ID: 'kefu-console',
      OIDC_CLIENT_SECRET: 'kefu-test-client-secret',
    });
    let idp: TestIdp | undefined;
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const down = await fetch(`${server.url}/api/v1/agent/sso/login?return_to=/console/`, {
        redirect: 'manual',
      });
      expect(down.headers.get('location')).toBe('/console/#sso_error=unavailable');

      idp = await startTestIdp({
        port: idpPort,
        redirectUris: [`http://127.0.0.1:${String(port)}${CALLBACK}`],
      });
      idp.users.set('sub-up', { email: 'up@example.com', email_verified: true });
      await new AgentRepository(server.db).createAgent({
        uid: 'a_up',
        username: 'up',
        displayName: 'up',
        role: 'supervisor',
        passwordHash: '',
        maxConcurrent: 5,
        disabled: false,
        createdAt: new Date(),
        email: 'up@example.com',
      });
      const session = await exchange(server, ticketOf((await browserSignIn(server, idp, 'sub-up')).landing));
      expect(session.body.user).toMatchObject({ uid: 'a_up', agent_role: 'supervisor' });
      expect(session.body.user.perms).toContain('monitor');
    } finally {
      await server.stop();
      await idp?.close();
    }
  });

  it('without OIDC_ISSUER: config says disabled, the other endpoints 404', async () => {
    const server = await startKefu(0, {});
    try {
      expect(await (await fetch(`${server.url}/api/v1/agent/sso/config`)).json()).toEqual({ enabled: false });
      const login = await fetch(`${server.url}/api/v1/agent/sso/login`, { redirect: 'manual' });
      expect(login.status).toBe(404);
      expect(JSON.stringify(await login.json())).toContain('OIDC_ISSUER');
      expect((await fetch(`${server.url}${CALLBACK}?state=x`, { redirect: 'manual' })).status).toBe(404);
      expect((await exchange(server, 'x')).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
