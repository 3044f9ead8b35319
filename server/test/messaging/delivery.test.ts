import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agent, collect, customer, online } from './harness.js';
import type { AgentClient, CustomerClient, ClientError } from '@kefu/sdk-core';

describe('messaging over the embedded broker', () => {
  let server: KefuServer;
  let alice: CustomerClient;
  let admin: AgentClient;

  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('delivery'), ADMIN_PASSWORD: 'admin-pass-123' }),
      silentLogger,
    );
    admin = agent(server.url, 'admin', 'admin-pass-123');
    await admin.start();
    await online(admin);
    alice = customer(server.url, 'alice');
    await alice.start();
    await online(alice);
  });
  afterAll(async () => {
    await alice.stop();
    await admin.stop();
    await server.stop();
  });

  it('opens a conversation assigned to the online agent, and messages flow both ways in seq order', async () => {
    const toAgent = collect(admin);
    const toCustomer = collect(alice);
    const acks: number[] = [];
    alice.on('ack', (a) => acks.push(Number(a.seq)));

    const state = await alice.open({ channel: 'web' });
    const conversationId = state.id!;
    await waitFor('assignment', () => admin.conversations().some((c) => c.id === conversationId));

    await alice.sendText(conversationId, '你好 👋');
    await alice.send(conversationId, {
      product: { id: 'p1', title: '积分兑换 保温杯', points: 1200, url: 'https://mall.example.com/p/1' },
    });
    // Seq 1 is the greeting every chat starts with; then the customer's two messages.
    await waitFor('agent receives all three', () => toAgent.length >= 3);
    expect(toAgent.map((m) => Number(m.seq))).toEqual([1, 2, 3]);
    expect(toAgent[0]?.content?.system?.code).toBe('greeting');
    expect(toAgent[1]?.content?.text?.text).toBe('你好 👋');
    expect(toAgent[2]?.content?.product?.points).toBe(1200);
    await waitFor('acks', () => acks.length === 2);
    expect(acks.sort()).toEqual([2, 3]);
    expect(alice.pending()).toHaveLength(0);

    await admin.sendText(conversationId, '您好，请问有什么可以帮您？');
    await waitFor('customer receives the reply', () =>
      toCustomer.some((m) => m.content?.text?.text?.startsWith('您好')),
    );
    // The customer sees its own messages (multi-device fan-out) and the reply, each once, in order.
    expect(toCustomer.map((m) => Number(m.seq))).toEqual([1, 2, 3, 4]);
  });

  it('answers a malformed envelope with an Error and stores nothing', async () => {
    const errors: ClientError[] = [];
    alice.on('error', (e) => errors.push(e));
    await server.mqtt.publishAsync('kefu/up/c/u_alice', Buffer.from([0xff, 0xff, 0xff]), { qos: 1 });
    await waitFor('error reply', () => errors.length > 0);
    expect(errors[0]?.code).toBe('bad_request');
  });
});
