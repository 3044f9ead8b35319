// Finding 7 of the security probe: refresh tokens rotate and a reused one ends the session; an access
// token dies with its session (logout, disabled account) on HTTP and MQTT; a role change applies at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { createMemoryStorage } from '@kefu/sdk-core';
import { decodeEnvelope, type kefu } from '@kefu/proto';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { refreshUseModel, sessionModel } from '../../src/model/session.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agentSession } from '../mall/sessions.js';
import { api } from '../workbench/fixtures.js';
import { customer } from '../messaging/harness.js';

interface Grant {
  token: string;
  refresh_token: string;
  refresh_expires_at: number;
  user: { uid: string; perms: string[] };
  mqtt: { url: string; username: string };
}

describe('session lifecycle', () => {
  let server: KefuServer;
  let admin: string;
  const clients: MqttClient[] = [];

  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Grant };
  };
  const signIn = async (username: string, role: 'agent' | 'supervisor' = 'agent') =>
    (await agentSession(server, username, role)) as unknown as Grant;
  const refresh = (token: string) => post('/sessions/refresh', { refresh_token: token });
  const me = async (token: string) => (await api(server, 'GET', '/agent/me', token)).status;
  const connect = async (g: Grant): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(g.mqtt.url, {
      username: g.mqtt.username,
      password: g.token,
      reconnectPeriod: 0,
    });
    clients.push(client);
    return client;
  };
  /** Pretends the token's first use was a minute ago, beyond the grace for concurrent refreshes. */
  const ageUses = () =>
    refreshUseModel(server.db).updateMany({}, { $set: { used_at: new Date(Date.now() - 60_000) } });

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('sessions_lifecycle') }), silentLogger);
    admin = (await agentSession(server, 'root', 'admin')).token;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await server.stop();
  });

  it('rotates the refresh token, and ends the whole session when a used one comes back', async () => {
    const first = await signIn('rot');
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.headers.get('cache-control')).toBe('no-store');
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    // The session's end stays where it was: rotation does not extend it.
    expect(second.body.refresh_expires_at).toBe(first.refresh_expires_at);
    const third = await refresh(second.body.refresh_token);
    expect(third.status).toBe(200);
    expect(await me(third.body.token)).toBe(200);

    await ageUses();
    // The first token again: it leaked, or its copy did. Everything of the session stops working.
    expect((await refresh(first.refresh_token)).status).toBe(401);
    expect((await refresh(third.body.refresh_token)).status).toBe(401);
    expect(await me(third.body.token)).toBe(401);
    expect(await sessionModel(server.db).countDocuments({ uid: first.user.uid })).toBe(0);
  });

  it('lets two tabs refresh with the same token at the same moment', async () => {
    const grant = await signIn('tabs');
    const [a, b] = await Promise.all([refresh(grant.refresh_token), refresh(grant.refresh_token)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await me(a.body.token)).toBe(200);
    expect(await me(b.body.token)).toBe(200);
  });

  it('shares one rotating session between two tabs of the widget (one storage)', async () => {
    const storage = createMemoryStorage();
    const [tabA, tabB] = [
      customer(server.url, 'two_tabs', storage),
      customer(server.url, 'two_tabs', storage),
    ];
    const first = await tabA.sessions.current();
    expect((await tabB.sessions.current()).refreshToken).toBe(first.refreshToken);
    const renewedA = await tabA.sessions.renew();
    await ageUses();
    // Tab B still holds the first session in memory; it must take tab A's, not reuse the used token.
    const renewedB = await tabB.sessions.renew();
    expect(renewedB.refreshToken).toBe(renewedA.refreshToken);
    const history = await api(server, 'GET', '/conversations', renewedA.token);
    expect(history.status).toBe(200);
    expect(await sessionModel(server.db).countDocuments({ uid: first.uid })).toBe(1);
  });

  it('refuses the access token at once after logout, on HTTP and on MQTT', async () => {
    const grant = await signIn('bye');
    const client = await connect(grant);
    expect(await me(grant.token)).toBe(200);
    const res = await fetch(`${server.url}/api/v1/sessions/current`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${grant.token}` },
    });
    expect(res.status).toBe(204);
    expect(await me(grant.token)).toBe(401);
    await waitFor('mqtt connection closed', () => !client.connected);
    await expect(
      mqtt.connectAsync(grant.mqtt.url, {
        username: grant.mqtt.username,
        password: grant.token,
        reconnectPeriod: 0,
      }),
    ).rejects.toThrow();
    expect((await refresh(grant.refresh_token)).status).toBe(401);
  });

  it('ends every session of a disabled agent, on HTTP and MQTT', async () => {
    const one = await signIn('gone');
    const two = (await post('/agent/sessions', { username: 'gone', password: 'agent-pass-123' })).body;
    const [c1, c2] = [await connect(one), await connect(two)];
    const patch = await api(server, 'PATCH', `/admin/agents/${one.user.uid}`, admin, { disabled: true });
    expect(patch.status).toBe(200);
    expect(await me(one.token)).toBe(401);
    expect(await me(two.token)).toBe(401);
    await waitFor('both connections closed', () => !c1.connected && !c2.connected);
  });

  it('applies a role change to the next request and pushes it to the agent’s open clients', async () => {
    const grant = await signIn('lead', 'supervisor');
    const client = await connect(grant);
    const pushed = accessChanges(client);
    await client.subscribeAsync(`kefu/down/a/${grant.user.uid}`, { qos: 1 });
    expect((await api(server, 'GET', '/agent/conversations?view=all', grant.token)).status).toBe(200);
    const patch = await api(server, 'PATCH', `/admin/agents/${grant.user.uid}`, admin, { role: 'agent' });
    expect(patch.status).toBe(200);
    // The token still says monitor; the account no longer does.
    expect((await api(server, 'GET', '/agent/conversations?view=all', grant.token)).status).toBe(403);
    expect(await me(grant.token)).toBe(200);
    const change = await waitFor('access pushed', () => pushed[0]);
    expect(change).toMatchObject({ perms: ['chat', 'points:view'], agentRole: 'agent' });
    // The session goes on (no sign-out, no reconnect needed); a refresh carries the new set.
    expect(client.connected).toBe(true);
    const again = await refresh(grant.refresh_token);
    expect(again.body.user.perms).toEqual(['chat', 'points:view']);
  });

  it('pushes a role’s new permission set to every agent of that role, granting and revoking', async () => {
    const grant = await signIn('crew', 'agent');
    const client = await connect(grant);
    const pushed = accessChanges(client);
    await client.subscribeAsync(`kefu/down/a/${grant.user.uid}`, { qos: 1 });
    const put = (perms: string[]) => api(server, 'PUT', '/admin/roles/agent', admin, { perms });
    expect((await put(['chat', 'monitor'])).status).toBe(200);
    await waitFor('grant pushed', () => pushed.some((c) => c.perms?.includes('monitor')));
    expect((await api(server, 'GET', '/agent/conversations?view=all', grant.token)).status).toBe(200);
    expect((await put(['chat'])).status).toBe(200);
    await waitFor(
      'revocation pushed',
      () => pushed.length >= 2 && !pushed.at(-1)?.perms?.includes('monitor'),
    );
    expect((await api(server, 'GET', '/agent/conversations?view=all', grant.token)).status).toBe(403);
  });
});

/** AccessChanged envelopes arriving on an agent's raw MQTT connection. */
function accessChanges(client: MqttClient): kefu.v1.IAccessChanged[] {
  const list: kefu.v1.IAccessChanged[] = [];
  client.on('message', (_topic, payload) => {
    const e = decodeEnvelope(payload);
    if (e.accessChanged) list.push(e.accessChanged);
  });
  return list;
}
