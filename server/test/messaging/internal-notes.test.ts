// An agent's internal note reaches the customer only as a `hidden` placeholder that keeps their seqs
// contiguous and carries nothing of the note — live, in a sync answer and in the history API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import type { kefu } from '@kefu/proto';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agentSession } from '../mall/sessions.js';
import { api, tap, type Tap } from '../workbench/fixtures.js';
import { agent, customer, online } from './harness.js';

const NOTE = '内部备注：客户很着急，优先处理';

/** Everything a placeholder may say: which message it stands for and where it is in the order. */
function expectBarePlaceholder(m: kefu.v1.IMessage | Record<string, unknown> | undefined): void {
  expect(m).toBeDefined();
  const fields = Object.entries(m ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '' && v !== false && v !== 0)
    .map(([k]) => k)
    .sort();
  expect(
    fields.filter((k) => !['id', 'conversationId', 'conversation_id', 'seq', 'hidden'].includes(k)),
  ).toEqual([]);
  expect(JSON.stringify(m)).not.toContain('内部备注');
}

describe('internal notes as customers see them', () => {
  let server: KefuServer;
  let zhang: ReturnType<typeof customer>;
  let amy: ReturnType<typeof agent>;
  let zhangTap: Tap;
  let conversationId = '';
  let noteSeq = 0;

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('internal_notes') }), silentLogger);
    await agentSession(server, 'amy', 'agent');
    amy = agent(server.url, 'amy', 'agent-pass-123');
    await amy.start();
    await online(amy);
    zhang = customer(server.url, 'zhang_notes');
    await zhang.start();
    await online(zhang);
    zhangTap = await tap(zhang);
    conversationId = (await zhang.open()).id ?? '';
    await zhang.sendText(conversationId, '我的积分没到账');
    await waitFor('zhang stored', () => zhang.pending().length === 0);
    await amy.send(conversationId, { text: { text: NOTE } }, { internalNote: true });
    await amy.sendText(conversationId, '您好，马上为您查询');
    await waitFor('agent stored', () => amy.pending().length === 0);
  }, 60_000);
  afterAll(async () => {
    await zhangTap.stop();
    await zhang.stop();
    await amy.stop();
    await server.stop();
  });

  it('fans out a bare hidden placeholder live, between the messages around it', async () => {
    // The greeting, the customer's message, the note's placeholder and the agent's reply.
    const live = await waitFor('four messages at the customer', () => {
      const list = zhangTap.envelopes.flatMap((e) =>
        e.message && !e.message.content?.system ? [e.message] : [],
      );
      return list.length >= 3 ? list : undefined;
    });
    const placeholder = live.find((m) => m.hidden);
    expectBarePlaceholder(placeholder);
    noteSeq = Number(placeholder?.seq);
    expect(live.map((m) => Number(m.seq)).sort()).toEqual([noteSeq - 1, noteSeq, noteSeq + 1]);
    expect(zhangTap.raw.some((b) => b.includes(Buffer.from('内部备注')))).toBe(false);
  });

  it('answers a sync with the same placeholder', async () => {
    const seen = zhangTap.envelopes.length;
    await zhang.sync(conversationId, 0);
    const batch = await waitFor('sync answer', () =>
      zhangTap.envelopes.slice(seen).find((e) => e.syncResponse?.messages?.length),
    );
    const messages = batch.syncResponse?.messages ?? [];
    expectBarePlaceholder(messages.find((m) => Number(m.seq) === noteSeq));
  });

  it('returns the same placeholder from the history API, and the whole note to the agent', async () => {
    const token = (await zhang.sessions.current()).token;
    const res = await api(server, 'GET', `/conversations/${conversationId}/messages`, token);
    const messages = res.body['messages'] as Record<string, unknown>[];
    expectBarePlaceholder(messages.find((m) => Number(m['seq']) === noteSeq));
    expect(res.text).not.toContain('内部备注');
    const agentToken = (await amy.sessions.current()).token;
    const forAgent = await api(server, 'GET', `/conversations/${conversationId}/messages`, agentToken);
    expect(forAgent.text).toContain(NOTE);
  });
});
