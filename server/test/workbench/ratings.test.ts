// Ratings as issue 17 asks: templates (default and per skill group) fill every invite; the at-close rating
// is offered once, only for a chat an agent answered and nobody rated; a rating after a transfer counts for
// every agent who served; a quote must name a message of the same conversation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { kefu } from '@kefu/proto';
import type { ClientError } from '@kefu/sdk-core';
import { conversationModel } from '../../src/model/conversation.js';
import { ratingModel } from '../../src/model/rating.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agentSession } from '../mall/sessions.js';
import { customer, online } from '../messaging/harness.js';
import { api, onlineAgent, tap, type Tap } from './fixtures.js';

const { RatingScale } = kefu.v1;

describe('ratings', () => {
  let server: KefuServer;
  let admin: string;
  let amy: Awaited<ReturnType<typeof onlineAgent>>;
  let bob: Awaited<ReturnType<typeof onlineAgent>>;
  let groupId = '';

  const chat = async (userId: string, groupIdToUse?: string) => {
    const c = customer(server.url, userId);
    await c.start();
    await online(c);
    const t = await tap(c);
    const state = await c.open(groupIdToUse ? { groupId: groupIdToUse } : {});
    const id = state.id ?? '';
    await waitFor(
      'assigned',
      async () => !!(await conversationModel(server.db).findById(id).lean())?.agent_uid,
    );
    const agentUid = (await conversationModel(server.db).findById(id).lean())?.agent_uid ?? '';
    return { c, t, id, agent: agentUid === amy.uid ? amy : bob };
  };
  const closedState = (t: Tap, id: string) =>
    waitFor(
      'closed state',
      () =>
        t.envelopes
          .map((e) => e.conversation)
          .find((s) => s?.id === id && s.status === kefu.v1.ConversationStatus.CONVERSATION_STATUS_CLOSED),
      // (30 s: under the whole suite's load this has taken over 10 s.)
      { timeoutMs: 30_000 },
    );

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('ratings') }), silentLogger);
    admin = (await agentSession(server, 'root', 'admin')).token;
    const group = await api(server, 'POST', '/admin/groups', admin, { name: '售后' });
    groupId = String(group.body['id']);
    amy = await onlineAgent(server, 'amy', 'agent', [groupId]);
    bob = await onlineAgent(server, 'bob', 'agent', [groupId]);
  }, 60_000);
  afterAll(async () => {
    await amy.client.stop();
    await bob.client.stop();
    await server.stop();
  });

  it('fills an agent’s invite from the default template', async () => {
    const { c, t, id, agent } = await chat('rate_default');
    await agent.client.send(id, { ratingInvite: { inviteId: 'inv-a' } });
    const invite = await waitFor(
      'invite at the customer',
      () => t.envelopes.find((e) => e.message?.content?.ratingInvite)?.message?.content?.ratingInvite,
    );
    expect(invite.inviteId).toBe('inv-a');
    expect(invite.scale).toBe(RatingScale.RATING_SCALE_FIVE_STAR);
    expect(invite.options?.map((o) => o.label)).toEqual(['非常不满意', '不满意', '一般', '满意', '非常满意']);
    expect(invite.options?.[4]?.tags).toContain('问题已解决');
    await t.stop();
    await c.stop();
  });

  it('uses the skill group’s template (NPS), set by an admin', async () => {
    const presets = await api(server, 'GET', '/admin/rating-templates', admin);
    const nps = (presets.body['presets'] as Record<string, Record<string, unknown>>)['nps']!;
    const bad = { ...nps, options: (nps['options'] as unknown[]).slice(1) };
    expect((await api(server, 'PUT', `/admin/rating-templates/groups/${groupId}`, admin, bad)).status).toBe(
      400,
    );
    expect((await api(server, 'PUT', '/admin/rating-templates/groups/g_none', admin, nps)).status).toBe(404);
    const saved = await api(server, 'PUT', `/admin/rating-templates/groups/${groupId}`, admin, {
      ...nps,
      prompt: '您有多大可能向朋友推荐我们？',
    });
    expect(saved.status).toBe(200);
    // The group's greeting too (every chat starts with one; {agent} is the agent's name).
    const greeting = await api(server, 'PATCH', `/admin/groups/${groupId}`, admin, {
      greeting: '售后服务，我是{agent}，请讲',
    });
    expect(greeting.body['greeting']).toBe('售后服务，我是{agent}，请讲');
    const { c, t, id, agent } = await chat('rate_group', groupId);
    const hello = await waitFor(
      'greeting at the customer',
      () =>
        t.envelopes.find((e) => e.message?.content?.system?.code === 'greeting')?.message?.content?.system,
    );
    expect(hello.text).toBe(`售后服务，我是${agent === amy ? 'amy' : 'bob'}，请讲`);
    await agent.client.send(id, { ratingInvite: { inviteId: 'inv-g' } });
    const invite = await waitFor(
      'invite at the customer',
      () => t.envelopes.find((e) => e.message?.content?.ratingInvite)?.message?.content?.ratingInvite,
    );
    expect(invite.scale).toBe(RatingScale.RATING_SCALE_NPS);
    expect(invite.prompt).toBe('您有多大可能向朋友推荐我们？');
    expect(invite.options).toHaveLength(11);
    // Closed unrated after an answer: the at-close rating is the group's too.
    await agent.client.sendText(id, '您好');
    await agent.client.close(id);
    const closed = await closedState(t, id);
    expect(closed.rated).toBe(false);
    expect(closed.closeRating).toMatchObject({
      inviteId: `close:${id}`,
      scale: RatingScale.RATING_SCALE_NPS,
    });
    expect((await api(server, 'DELETE', `/admin/rating-templates/groups/${groupId}`, admin)).status).toBe(
      204,
    );
    await t.stop();
    await c.stop();
  });

  it('asks at close only once: not after the customer rated an invite, not for an unanswered chat', async () => {
    const rated = await chat('rate_once');
    await rated.agent.client.sendText(rated.id, '您好，请问有什么可以帮您？');
    await rated.agent.client.send(rated.id, { ratingInvite: { inviteId: 'inv-1' } });
    await rated.c.send(rated.id, {
      ratingResult: { inviteId: 'inv-1', scale: RatingScale.RATING_SCALE_FIVE_STAR, score: 5 },
    });
    await waitFor(
      'rating stored',
      async () => (await ratingModel(server.db).countDocuments({ conversation_id: rated.id })) === 1,
    );
    await rated.c.close(rated.id);
    const afterRating = await closedState(rated.t, rated.id);
    expect(afterRating.rated).toBe(true);
    expect(afterRating.closeRating ?? null).toBeNull();

    const silent = await chat('rate_silent');
    await silent.c.sendText(silent.id, '在吗');
    await silent.c.close(silent.id);
    const unanswered = await closedState(silent.t, silent.id);
    expect(unanswered.rated).toBe(false);
    expect(unanswered.closeRating ?? null).toBeNull();
    for (const x of [rated, silent]) {
      await x.t.stop();
      await x.c.stop();
    }
  });

  it('credits a rating after a transfer to every agent who served, the last one first', async () => {
    const { c, t, id, agent } = await chat('rate_transfer');
    await agent.client.sendText(id, '我先看看');
    const other = agent === amy ? bob : amy;
    const moved = await api(server, 'POST', `/agent/conversations/${id}/transfer`, agent.token, {
      to_agent_uid: other.uid,
    });
    expect(moved.status).toBe(200);
    await other.client.sendText(id, '我来处理');
    await other.client.close(id);
    await closedState(t, id);
    await c.send(id, {
      ratingResult: { inviteId: `close:${id}`, scale: RatingScale.RATING_SCALE_FIVE_STAR, score: 4 },
    });
    const doc = await waitFor('rating stored', () =>
      ratingModel(server.db).findOne({ conversation_id: id }).lean(),
    );
    expect(doc.agent_uid).toBe(other.uid);
    expect([...(doc.served_by ?? [])].sort()).toEqual([amy.uid, bob.uid].sort());
    // Every device of the customer learns the chat is rated: no second at-close prompt.
    await waitFor('rated state', () =>
      t.envelopes.some((e) => e.conversation?.id === id && e.conversation.rated),
    );
    await t.stop();
    await c.stop();
  });

  it('refuses a quote of a message from another conversation', async () => {
    const one = await chat('quote_one');
    const two = await chat('quote_two');
    await one.c.sendText(one.id, '第一条');
    const first = await waitFor(
      'stored',
      () => one.t.envelopes.find((e) => e.message?.content?.text?.text === '第一条')?.message,
    );
    const errors: ClientError[] = [];
    two.c.on('error', (e) => errors.push(e));
    await two.c.send(two.id, { text: { text: '引用别人的' } }, { quoteMessageId: first.id ?? '' });
    await waitFor('refused', () => errors.some((e) => e.code === 'bad_request'));
    const ok = await one.c.send(one.id, { text: { text: '引用自己的' } }, { quoteMessageId: first.id ?? '' });
    expect(ok).toBeTruthy();
    const quoted = await waitFor(
      'quote delivered',
      () => one.t.envelopes.find((e) => e.message?.content?.text?.text === '引用自己的')?.message,
    );
    expect(quoted.quoteMessageId).toBe(first.id);
    for (const x of [one, two]) {
      await x.t.stop();
      await x.c.stop();
    }
  });
});
