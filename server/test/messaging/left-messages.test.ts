// A customer who left a message (留言) while nobody was online is served later: the agent reads it in the
// chat, once; the customer sees no trace of the agents-only line.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import type { kefu } from '@kefu/proto';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agentSession } from '../mall/sessions.js';
import { api } from '../workbench/fixtures.js';
import { agent, collect, customer, online } from './harness.js';

describe('left messages in the next chat', () => {
  let server: KefuServer;
  let wang: ReturnType<typeof customer>;
  let amy: ReturnType<typeof agent> | undefined;

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('left_messages') }), silentLogger);
    await agentSession(server, 'amy', 'agent');
    wang = customer(server.url, 'wang_left');
    await wang.start();
    await online(wang);
  }, 60_000);
  afterAll(async () => {
    await wang.stop();
    await amy?.stop();
    await server.stop();
  });

  const notes = (list: kefu.v1.IMessage[]) =>
    list.filter((m) => m.content?.system?.code === 'left_message').map((m) => m.content?.system?.params);

  it('shows what the customer left to the agent who serves them, and only once', async () => {
    // Nobody online: the customer leaves a message instead of waiting.
    const token = (await wang.sessions.current()).token;
    const left = await api(server, 'POST', '/sdk/leave-messages', token, {
      content: '我的京东E卡卡密打不开',
    });
    expect(left.status).toBe(201);
    const first = await wang.open();
    await wang.close(first.id ?? '');

    amy = agent(server.url, 'amy', 'agent-pass-123');
    const atAmy = collect(amy);
    await amy.start();
    await online(amy);
    const atWang = collect(wang);
    const second = await wang.open();
    const shown = await waitFor('the left message at the agent', () => notes(atAmy)[0]);
    expect(shown).toMatchObject({ content: '我的京东E卡卡密打不开' });
    const history = await api(server, 'GET', `/conversations/${second.id ?? ''}/messages`, token);
    expect(history.text).not.toContain('卡密打不开');
    expect(atWang.some((m) => JSON.stringify(m).includes('卡密'))).toBe(false);

    // The next chat does not repeat it.
    await wang.close(second.id ?? '');
    await wang.open();
    await new Promise((r) => setTimeout(r, 500));
    expect(notes(atAmy)).toHaveLength(1);
  });
});
