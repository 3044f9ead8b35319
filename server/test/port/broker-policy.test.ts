import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { TokenService, type Principal } from '../../src/service/auth/tokens.js';
import { createTopics } from '@kefu/proto';
import { startServer, type KefuServer } from '../../src/server.js';
import { liveAccessToken, silentLogger, testConfig } from '../helpers.js';

const alice: Principal = { uid: 'u_alice', role: 'customer', kind: 'customer', perms: [], sid: 's_a' };
const bob: Principal = { uid: 'u_bob', role: 'customer', kind: 'customer', perms: [], sid: 's_b' };

describe('embedded broker enforces the token claims', () => {
  let server: KefuServer;
  const clients: MqttClient[] = [];
  const uplink: { topic: string; payload: string }[] = [];

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('broker_policy') }), silentLogger);
    // The server's own account is the superuser: it sees every uplink.
    await server.mqtt.subscribeAsync('kefu/#', { qos: 1 });
    server.mqtt.on('message', (topic, payload) => uplink.push({ topic, payload: payload.toString() }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await server.stop();
  });

  const connect = async (
    username: string,
    password: string,
    extra: IClientOptions = {},
  ): Promise<MqttClient> => {
    const client = await mqtt.connectAsync(server.mqttWsUrl, {
      username,
      password,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      ...extra,
    });
    clients.push(client);
    return client;
  };
  const tokenFor = (p: Principal) => liveAccessToken(server, p);

  it('accepts a valid token whose subject is the username', async () => {
    const client = await connect('u_alice', await tokenFor(alice));
    expect(client.connected).toBe(true);
  });

  it.each([
    ['a garbage password', () => Promise.resolve(['u_alice', 'not-a-jwt'])],
    [
      'an expired token',
      async () => ['u_alice', await liveAccessToken(server, alice, Math.floor(Date.now() / 1000) - 7200)],
    ],
    [
      'a token signed with another key',
      async () => [
        'u_alice',
        (await new TokenService('z'.repeat(40), createTopics(), 600, 600).issueAccess(alice)).token,
      ],
    ],
    ["another user's token", async () => ['u_alice', await tokenFor(bob)]],
    ['a refresh token', async () => ['u_alice', (await server.tokens.issueRefresh(alice)).token]],
    ['the server username with a wrong password', () => Promise.resolve(['kefu-server', 'guess'])],
    ['no credentials', () => Promise.resolve(['', ''])],
  ])('refuses %s at connect', async (_what, make) => {
    const [username, password] = await make();
    await expect(connect(username!, password!)).rejects.toThrow(/Bad username or password|Not authorized/i);
  });

  it("never lets a client publish to another user's up topic", async () => {
    const client = await connect('u_alice', await tokenFor(alice));
    client.on('error', () => undefined);
    // Own topic passes…
    await client.publishAsync('kefu/up/c/u_alice', 'mine', { qos: 1 });
    await waitFor('own uplink', () => uplink.some((m) => m.payload === 'mine'));
    // …someone else's does not reach anyone.
    client.publish('kefu/up/c/u_bob', 'forged', { qos: 0 });
    client.publish('kefu/down/c/u_bob', 'forged-down', { qos: 0 });
    await new Promise((r) => setTimeout(r, 300));
    expect(uplink.some((m) => m.payload.startsWith('forged'))).toBe(false);
  });

  it("refuses subscriptions to another user's down topic and to any wildcard", async () => {
    const client = await connect('u_alice', await tokenFor(alice));
    const own = await client.subscribeAsync('kefu/down/c/u_alice', { qos: 1 });
    expect(own[0]?.qos).toBe(1);
    for (const topic of [
      'kefu/down/c/u_bob',
      'kefu/down/c/#',
      'kefu/down/c/+',
      '#',
      'kefu/up/c/u_alice',
      '$SYS/#',
    ]) {
      // SUBACK 0x80 (failure) for the filter; mqtt.js turns it into a rejected promise.
      await expect(client.subscribeAsync(topic, { qos: 1 }), topic).rejects.toThrow(/Subscribe error/);
    }
    // A message to bob is not delivered to alice.
    const got: string[] = [];
    client.on('message', (topic) => got.push(topic));
    await server.mqtt.publishAsync('kefu/down/c/u_bob', 'for bob', { qos: 1 });
    await server.mqtt.publishAsync('kefu/down/c/u_alice', 'for alice', { qos: 1 });
    await waitFor('alice gets her own message', () => got.includes('kefu/down/c/u_alice'));
    expect(got).toEqual(['kefu/down/c/u_alice']);
  });

  it('disconnects a client when its token expires', async () => {
    const soon = await liveAccessToken(
      server,
      bob,
      Math.floor(Date.now() / 1000) - server.config.auth.accessTokenTtlS + 2,
    );
    const client = await connect('u_bob', soon);
    expect(client.connected).toBe(true);
    await waitFor('disconnect at expiry', () => !client.connected, { timeoutMs: 6_000 });
  });

  it("publishes a client's Last Will only to its own presence topic", async () => {
    const dropConnection = (c: MqttClient) => {
      (c.stream as unknown as { destroy(): void }).destroy();
    };
    const will = (topic: string, payload: string) => ({
      will: { topic, payload: Buffer.from(payload), qos: 1 as const, retain: false },
    });

    const honest = await connect(
      'u_alice',
      await tokenFor(alice),
      will('kefu/presence/c/u_alice', 'alice-gone'),
    );
    const forger = await connect('u_alice', await tokenFor(alice), will('kefu/presence/c/u_bob', 'bob-gone'));
    honest.on('error', () => undefined);
    forger.on('error', () => undefined);
    dropConnection(honest);
    dropConnection(forger);
    await waitFor('the honest will', () => uplink.some((m) => m.payload === 'alice-gone'));
    await new Promise((r) => setTimeout(r, 300));
    expect(uplink.some((m) => m.payload === 'bob-gone')).toBe(false);
  });
});
