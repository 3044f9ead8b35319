import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { conversationModel } from '../../src/model/conversation.js';
import { messageModel } from '../../src/model/message.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agent, customer, online } from '../messaging/harness.js';
import type { AgentClient, CustomerClient } from '@kefu/sdk-core';

interface MessagesBody {
  messages: { seq: number; content?: { text?: { text: string }; system?: { code: string } } }[];
  has_more: boolean;
}

describe('history API', () => {
  let server: KefuServer;
  let admin: AgentClient;
  let bob: CustomerClient;
  let carol: CustomerClient;
  let conversationId: string;
  const token = async (c: CustomerClient | AgentClient) => (await c.sessions.current()).token;
  const get = async (path: string, bearer?: string) =>
    fetch(`${server.url}/api/v1${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });

  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('history'), ADMIN_PASSWORD: 'admin-pass-123' }),
      silentLogger,
    );
    admin = agent(server.url, 'admin', 'admin-pass-123');
    bob = customer(server.url, 'bob');
    carol = customer(server.url, 'carol');
    for (const c of [admin, bob, carol]) {
      await c.start();
      await online(c);
    }
    conversationId = (await bob.open()).id!;
    for (let i = 1; i <= 25; i++) await bob.sendText(conversationId, `第 ${String(i)} 条`);
    await waitFor('all stored', () => bob.pending().length === 0);
  });
  afterAll(async () => {
    for (const c of [admin, bob, carol]) await c.stop();
    await server.stop();
  });

  it('declares an index for each query', async () => {
    const keys = async (model: {
      listIndexes(): Promise<{ key: Record<string, number>; unique?: boolean }[]>;
    }) => (await model.listIndexes()).map((ix) => JSON.stringify(ix.key) + (ix.unique ? '!' : ''));
    expect(await keys(conversationModel(server.db))).toEqual(
      expect.arrayContaining([
        '{"customer_uid":1,"status":1,"created_at":-1}',
        '{"agent_uid":1,"status":1,"created_at":-1}',
        '{"status":1,"created_at":-1}',
        '{"created_at":-1}',
      ]),
    );
    // Messages are read only by `_id` (= conversation:seq) and its ranges: no other index is needed.
    expect(await keys(messageModel(server.db))).toEqual(['{"_id":1}']);
  });

  it('pages messages forward by after_seq and backward by before_seq', async () => {
    const t = await token(bob);
    const first = (await (
      await get(`/conversations/${conversationId}/messages?limit=10`, t)
    ).json()) as MessagesBody;
    expect(first.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(first.has_more).toBe(true);
    // Seq 1 is the greeting every chat starts with.
    expect(first.messages[0]?.content?.system?.code).toBe('greeting');
    expect(first.messages[1]?.content?.text?.text).toBe('第 1 条');
    const next = (await (
      await get(`/conversations/${conversationId}/messages?after_seq=20&limit=10`, t)
    ).json()) as MessagesBody;
    expect(next.messages.map((m) => m.seq)).toEqual([21, 22, 23, 24, 25, 26]);
    expect(next.has_more).toBe(false);
    const back = (await (
      await get(`/conversations/${conversationId}/messages?before_seq=6&limit=3`, t)
    ).json()) as MessagesBody;
    expect(back.messages.map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(back.has_more).toBe(true);
  });

  it('lists conversations by participant and status, newest first', async () => {
    const mine = (await (await get('/conversations', await token(bob))).json()) as {
      conversations: { id: string; status: string }[];
    };
    expect(mine.conversations.map((c) => c.id)).toEqual([conversationId]);
    const agentView = (await (await get('/conversations?status=open', await token(admin))).json()) as {
      conversations: { id: string }[];
    };
    expect(agentView.conversations.map((c) => c.id)).toContain(conversationId);
    const none = (await (await get('/conversations?status=closed', await token(bob))).json()) as {
      conversations: unknown[];
    };
    expect(none.conversations).toEqual([]);
  });

  it('keeps other customers out of a conversation and its list', async () => {
    const t = await token(carol);
    expect((await get(`/conversations/${conversationId}/messages`, t)).status).toBe(404);
    expect((await get(`/conversations?customer_uid=u_bob`, t)).status).toBe(403);
    const own = (await (await get('/conversations', t)).json()) as { conversations: unknown[] };
    expect(own.conversations).toEqual([]);
  });

  it.each([
    ['/conversations?limit=0', 400],
    ['/conversations?limit=abc', 400],
    ['/conversations?status=weird', 400],
    ['/conversations?from=yesterday', 400],
    ['/conversations?unknown=1', 400],
  ])('rejects a bad query %s', async (path, status) => {
    expect((await get(path, await token(bob))).status).toBe(status);
  });

  it('rejects bad paging and missing tokens', async () => {
    const t = await token(bob);
    expect((await get(`/conversations/${conversationId}/messages?after_seq=1&before_seq=5`, t)).status).toBe(
      400,
    );
    expect((await get(`/conversations/${conversationId}/messages?after_seq=-1`, t)).status).toBe(400);
    expect((await get('/conversations')).status).toBe(401);
    expect((await get('/conversations', 'forged.token.value')).status).toBe(401);
  });
});
