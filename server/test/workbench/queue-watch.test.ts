// The agents who see a queue learn at once when a customer arrives in it or leaves it (their 排队中 list).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { conversationModel } from '../../src/model/conversation.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agentSession } from '../mall/sessions.js';
import { customer, online } from '../messaging/harness.js';
import { api, onlineAgent, tap, type Tap } from './fixtures.js';

describe('queue watchers', () => {
  let server: KefuServer;
  let admin: string;
  let pre = '';
  let post = '';
  let amy: Awaited<ReturnType<typeof onlineAgent>>;
  let bob: Awaited<ReturnType<typeof onlineAgent>>;
  let amyTap: Tap;
  let bobTap: Tap;

  const events = (t: Tap, id: string) =>
    t.envelopes.flatMap((e) => (e.conversationEvent?.conversationId === id ? [e.conversationEvent] : []));

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('queue_watch') }), silentLogger);
    admin = (await agentSession(server, 'root', 'admin')).token;
    pre = String((await api(server, 'POST', '/admin/groups', admin, { name: '售前' })).body['id']);
    post = String((await api(server, 'POST', '/admin/groups', admin, { name: '售后' })).body['id']);
    // Both online but without a free seat: customers wait in their groups' queues.
    amy = await onlineAgent(server, 'amy', 'agent', [pre]);
    bob = await onlineAgent(server, 'bob', 'agent', [post]);
    for (const a of [amy, bob])
      expect(
        (await api(server, 'PATCH', `/admin/agents/${a.uid}`, admin, { max_concurrent: 0 })).status,
      ).toBe(200);
    amyTap = await tap(amy.client);
    bobTap = await tap(bob.client);
  }, 60_000);
  afterAll(async () => {
    await amyTap.stop();
    await bobTap.stop();
    await amy.client.stop();
    await bob.client.stop();
    await server.stop();
  });

  it('tells the agents of the group when a customer queues there and when they are taken', async () => {
    const c = customer(server.url, 'waiting_pre');
    await c.start();
    await online(c);
    const id = (await c.open({ groupId: pre, strict: true })).id ?? '';
    expect((await conversationModel(server.db).findById(id).lean())?.status).toBe('queued');
    await waitFor('arrival at amy', () => events(amyTap, id).find((e) => e.queued));
    // The other group's agent is not told (that queue is not theirs to see).
    await new Promise((r) => setTimeout(r, 300));
    expect(events(bobTap, id)).toEqual([]);
    const queued = await api(server, 'GET', '/agent/conversations?view=queued', amy.token);
    expect((queued.body['conversations'] as { id: string }[]).map((x) => x.id)).toEqual([id]);

    // A seat frees up for amy: she takes it; the queue's watchers learn it left.
    expect(
      (await api(server, 'PATCH', `/admin/agents/${amy.uid}`, admin, { max_concurrent: 3 })).status,
    ).toBe(200);
    await waitFor('assigned at amy', () => events(amyTap, id).find((e) => e.assigned));
    await c.stop();
  });

  it('tells them when a waiting customer gives up', async () => {
    const c = customer(server.url, 'waiting_post');
    await c.start();
    await online(c);
    const id = (await c.open({ groupId: post, strict: true })).id ?? '';
    await waitFor('arrival at bob', () => events(bobTap, id).find((e) => e.queued));
    await c.close(id, 'customer ended the chat');
    await waitFor('departure at bob', () => events(bobTap, id).find((e) => e.closed));
    const closed = await api(server, 'GET', `/agent/customers/${c.uid ?? ''}/conversations`, admin);
    const row = (closed.body['conversations'] as { id: string; close_reason: string | null }[]).find(
      (x) => x.id === id,
    );
    expect(row?.close_reason).toBe('customer ended the chat');
    await c.stop();
  });
});
