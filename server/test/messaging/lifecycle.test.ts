// Conversation lifecycle over the real bridge: queue info, host attributes, closing, rating after close.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kefu } from '@kefu/proto';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import type { AgentClient, ClientError, CustomerClient } from '@kefu/sdk-core';
import { conversationModel } from '../../src/model/conversation.js';
import { messageModel } from '../../src/model/message.js';
import { ratingModel } from '../../src/model/rating.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { agent, customer, online } from './harness.js';

const { ConversationStatus, RatingScale, Solved } = kefu.v1;

describe('conversation lifecycle', () => {
  let server: KefuServer;
  let admin: AgentClient;
  let eve: CustomerClient;
  let finn: CustomerClient;
  const eveErrors: ClientError[] = [];
  const finnErrors: ClientError[] = [];

  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('lifecycle'), ADMIN_PASSWORD: 'admin-pass-123' }),
      silentLogger,
    );
    eve = customer(server.url, 'eve');
    finn = customer(server.url, 'finn');
    eve.on('error', (e) => eveErrors.push(e));
    finn.on('error', (e) => finnErrors.push(e));
    await Promise.all([eve.start(), finn.start()]);
    await Promise.all([online(eve), online(finn)]);
  });
  afterAll(async () => {
    await Promise.all([eve.stop(), finn.stop(), admin.stop()]);
    await server.stop();
  });

  it('refuses more than 20 host attributes and opens nothing', async () => {
    const attributes = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${String(i)}`, 'v']));
    const seen = eveErrors.length;
    await expect(eve.open({ attributes }, 1_500)).rejects.toThrow(/no answer/);
    expect(eveErrors.slice(seen).map((e) => e.code)).toContain('bad_request');
    expect(await conversationModel(server.db).countDocuments({ customer_uid: eve.uid })).toBe(0);
  });

  it('tells queued customers their position and that no agent is online; stores attributes', async () => {
    const first = await eve.open({ attributes: { page: 'product', 'product.id': 'p1001' } });
    expect(first.status).toBe(ConversationStatus.CONVERSATION_STATUS_QUEUED);
    expect(first.queuePosition).toBe(1);
    expect(first.onlineAgents).toBe(0);
    const second = await finn.open();
    expect(second.queuePosition).toBe(2);
    const doc = await conversationModel(server.db).findById(first.id).lean();
    expect(doc?.attributes).toEqual([
      { key: 'page', value: 'product' },
      { key: 'product.id', value: 'p1001' },
    ]);
  });

  it('closes on the customer’s request, refuses chat afterwards, and takes a rating after close', async () => {
    admin = agent(server.url, 'admin', 'admin-pass-123');
    await admin.start();
    await online(admin);
    await waitFor(
      'eve assigned',
      async () => (await eve.open()).status === ConversationStatus.CONVERSATION_STATUS_OPEN,
    );
    const conversationId = eve.conversationId ?? '';
    const closedAtAgent: kefu.v1.IConversationEvent[] = [];
    admin.on('event', (e) => {
      if (e.closed) closedAtAgent.push(e);
    });
    const states: kefu.v1.IConversationState[] = [];
    eve.on('conversation', (s) => states.push(s));

    await eve.close(conversationId, '问题已解决');
    const event = await waitFor('closed event at the agent', () => closedAtAgent[0]);
    expect(event.closed?.by?.uid).toBe(eve.uid);
    expect(event.closed?.reason).toBe('问题已解决');
    await waitFor('closed state at the customer', () =>
      states.find((s) => s.status === ConversationStatus.CONVERSATION_STATUS_CLOSED),
    );

    // Chatting into a closed conversation is refused and stores nothing.
    const before = await messageModel(server.db).countDocuments({ conversation_id: conversationId });
    const seen = eveErrors.length;
    await eve.sendText(conversationId, 'one more thing');
    await waitFor('conflict error', () => eveErrors.slice(seen).find((e) => e.code === 'conflict'));

    // A rating is still welcome; rating the same invite again replaces the answer.
    const rate = (score: number, comment: string) =>
      eve.send(conversationId, {
        ratingResult: {
          inviteId: `close:${conversationId}`,
          scale: RatingScale.RATING_SCALE_FIVE_STAR,
          score,
          tags: ['回复及时'],
          comment,
          solved: Solved.SOLVED_YES,
        },
      });
    await rate(4, '不错');
    await waitFor('rating stored', async () => (await ratingModel(server.db).countDocuments()) === 1);
    await rate(5, '很好');
    await waitFor('rating replaced', async () => {
      const doc = await ratingModel(server.db).findById(`${conversationId}:close:${conversationId}`).lean();
      return doc?.score === 5;
    });
    const rating = await ratingModel(server.db).findById(`${conversationId}:close:${conversationId}`).lean();
    expect(rating).toMatchObject({
      customer_uid: eve.uid,
      agent_uid: admin.uid,
      scale: 'five_star',
      tags: ['回复及时'],
      comment: '很好',
      solved: 'yes',
      declined: false,
    });
    expect(await ratingModel(server.db).countDocuments()).toBe(1);
    await waitFor(
      'both rating messages kept',
      async () =>
        (await messageModel(server.db).countDocuments({ conversation_id: conversationId })) === before + 2,
    );

    // Each rating after the close pushes the state again (rated: no device offers it any more); the
    // next open starts a new conversation.
    await waitFor('rated state pushed twice', () => states.filter((s) => s.rated).length === 2);
    expect(states.at(-1)).toMatchObject({ id: conversationId, rated: true });
    const next = await eve.open();
    expect(next.id).not.toBe(conversationId);
  });

  it('lets the agent close, and refuses a customer closing someone else’s conversation', async () => {
    await waitFor(
      'finn assigned',
      async () => (await finn.open()).status === ConversationStatus.CONVERSATION_STATUS_OPEN,
    );
    const finnConversation = finn.conversationId ?? '';
    const seen = eveErrors.length;
    await eve.close(finnConversation);
    await waitFor('forbidden', () => eveErrors.slice(seen).find((e) => e.code === 'forbidden'));
    expect((await conversationModel(server.db).findById(finnConversation).lean())?.status).toBe('open');

    const closed: kefu.v1.IConversationEvent[] = [];
    finn.on('event', (e) => {
      if (e.closed) closed.push(e);
    });
    await admin.close(finnConversation, 'resolved');
    const event = await waitFor('closed at the customer', () => closed[0]);
    expect(event.closed?.by?.uid).toBe(admin.uid);
    const doc = await conversationModel(server.db).findById(finnConversation).lean();
    expect(doc).toMatchObject({
      status: 'closed',
      closed_by: `a:${admin.uid ?? ''}`,
      close_reason: 'resolved',
    });
  });
});
