import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mqtt, { type MqttClient } from 'mqtt';
import { decodeEnvelope, encodeEnvelope, kefu } from '@kefu/proto';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import type { AgentClient, ClientError, CustomerClient } from '@kefu/sdk-core';
import { randomBytes } from 'node:crypto';
import { ulid } from '@kefu/proto';
import { messageModel } from '../../src/model/message.js';
import { MessageRepository, messageId } from '../../src/repository/message-repository.js';
import { SeqFrontier } from '../../src/repository/message-store/seq-frontier.js';
import { readMarkModel } from '../../src/model/conversation.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { liveAccessToken, silentLogger, testConfig } from '../helpers.js';
import { agent, collect, customer, online } from './harness.js';

/** A raw MQTT connection speaking for a customer (its own token), to send exactly the bytes a test wants. */
async function rawCustomer(
  server: KefuServer,
  uid: string,
): Promise<{ client: MqttClient; down: kefu.v1.Envelope[] }> {
  const token = await liveAccessToken(server, {
    uid,
    role: 'customer',
    kind: 'customer',
    perms: [],
    sid: `s_raw_${uid}`,
  });
  const client = await mqtt.connectAsync(server.mqttWsUrl, {
    username: uid,
    password: token,
    reconnectPeriod: 0,
  });
  const down: kefu.v1.Envelope[] = [];
  client.on('message', (_t, payload) => down.push(decodeEnvelope(payload)));
  await client.subscribeAsync(`kefu/down/c/${uid}`, { qos: 1 });
  return { client, down };
}

const envelope = (
  body: Omit<kefu.v1.IEnvelope, 'id' | 'sentAtMs'>,
  id = `T${String(Date.now())}${String(Math.random()).slice(2, 10)}`,
) => Buffer.from(encodeEnvelope({ id, sentAtMs: Date.now(), ...body }));

describe('MQTT bridge', () => {
  let server: KefuServer;
  let admin: AgentClient;
  let dora: CustomerClient;
  let conversationId: string;
  const errors: ClientError[] = [];

  beforeAll(async () => {
    server = await startServer(
      testConfig({
        MONGODB_URI: testMongoUri('bridge'),
        ADMIN_PASSWORD: 'admin-pass-123',
        RECALL_WINDOW_S: '2',
      }),
      silentLogger,
    );
    // No agent online yet: the first conversation waits in the queue.
    dora = customer(server.url, 'dora');
    dora.on('error', (e) => errors.push(e));
    await dora.start();
    await online(dora);
  });
  afterAll(async () => {
    await dora.stop();
    await admin.stop();
    await server.stop();
  });

  it('queues a conversation while no agent is online and assigns it when one comes online', async () => {
    const state = await dora.open({ channel: 'h5', entryUrl: 'https://mall.example.com/p/9' });
    conversationId = state.id!;
    expect(state.status).toBe(kefu.v1.ConversationStatus.CONVERSATION_STATUS_QUEUED);
    expect(state.agent).toBeFalsy();
    const assigned: kefu.v1.IConversationEvent[] = [];
    dora.on('event', (e) => assigned.push(e));
    admin = agent(server.url, 'admin', 'admin-pass-123');
    await admin.start();
    await online(admin);
    await waitFor('assignment event', () => assigned.find((e) => e.assigned));
    expect(assigned.find((e) => e.assigned)?.assigned?.agent?.uid).toBe(admin.uid);
    // Opening again returns the same conversation, now open.
    const again = await dora.open();
    expect(again.id).toBe(conversationId);
    expect(again.status).toBe(kefu.v1.ConversationStatus.CONVERSATION_STATUS_OPEN);
  });

  it('relays typing (QoS 0) to the other side and never stores it', async () => {
    const typing: kefu.v1.ITyping[] = [];
    admin.on('typing', (t) => typing.push(t));
    const before = await messageModel(server.db).countDocuments();
    await dora.typing(conversationId, true);
    await waitFor('typing at the agent', () => typing.length > 0);
    expect(typing[0]).toMatchObject({ conversationId, typing: true, from: { uid: dora.uid } });
    expect(await messageModel(server.db).countDocuments()).toBe(before);
  });

  it('stores read positions forward only and tells every participant', async () => {
    for (const text of ['一', '二', '三']) await dora.sendText(conversationId, text);
    await waitFor('stored', () => dora.pending().length === 0);
    const reads: kefu.v1.IReadReceipt[] = [];
    dora.on('read', (r) => reads.push(r));
    await admin.markRead(conversationId, 2);
    await waitFor('read receipt', () => reads.some((r) => r.readSeq === 2));
    await admin.markRead(conversationId, 1); // older: ignored
    await admin.markRead(conversationId, 999); // beyond the last message (the greeting + 3): capped
    await waitFor('capped receipt', () => reads.some((r) => r.readSeq === 4));
    const mark = await readMarkModel(server.db).findById(`${conversationId}:${admin.uid!}`).lean();
    expect(mark?.read_seq).toBe(4);
    expect(reads.every((r) => r.reader?.uid === admin.uid)).toBe(true);
  });

  it('lets the sender recall their own message within the window, and nobody else', async () => {
    const atAgent = collect(admin);
    await dora.sendText(conversationId, '发错了');
    await waitFor('agent got it', () => atAgent.some((m) => m.content?.text?.text === '发错了'));
    const message = atAgent.find((m) => m.content?.text?.text === '发错了')!;
    // The agent may not recall the customer's message.
    const before = errors.length;
    const agentErrors: ClientError[] = [];
    admin.on('error', (e) => agentErrors.push(e));
    await admin.recall(conversationId, message.id!);
    await waitFor('forbidden', () => agentErrors.some((e) => e.code === 'forbidden'));
    const recalled: kefu.v1.IMessageRecalled[] = [];
    admin.on('recalled', (r) => recalled.push(r));
    await dora.recall(conversationId, message.id!);
    await waitFor('recall notice', () => recalled.length > 0);
    expect(recalled[0]).toMatchObject({ messageId: message.id, seq: message.seq });
    const res = await fetch(
      `${server.url}/api/v1/conversations/${conversationId}/messages?after_seq=${String(Number(message.seq) - 1)}`,
      {
        headers: { authorization: `Bearer ${(await dora.sessions.current()).token}` },
      },
    );
    const body = (await res.json()) as { messages: { recalled: boolean; content?: unknown }[] };
    expect(body.messages[0]).toMatchObject({ recalled: true });
    expect(body.messages[0]?.content ?? null).toBeNull();
    // After the window (2 s here) a recall is refused.
    await dora.sendText(conversationId, '这条留着');
    await waitFor('second message', () => atAgent.some((m) => m.content?.text?.text === '这条留着'));
    await new Promise((r) => setTimeout(r, 2_200));
    await dora.recall(conversationId, atAgent.find((m) => m.content?.text?.text === '这条留着')!.id!);
    await waitFor('too late', () => errors.slice(before).some((e) => e.code === 'conflict'));
  });

  describe('refuses bad uplink with an Error to the sender and stores nothing', () => {
    let raw: { client: MqttClient; down: kefu.v1.Envelope[] };
    beforeAll(async () => {
      raw = await rawCustomer(server, 'u_dora');
    });
    afterAll(async () => {
      await raw.client.endAsync();
    });

    const expectRefused = async (payload: Buffer, code: string): Promise<void> => {
      const before = await messageModel(server.db).countDocuments();
      const seen = raw.down.length;
      await raw.client.publishAsync('kefu/up/c/u_dora', payload, { qos: 1 });
      const error = await waitFor(`Error ${code}`, () => raw.down.slice(seen).find((e) => e.error)?.error);
      expect(error.code).toBe(code);
      expect(error.refId).toMatch(/^[0-9a-f-]{36}$/);
      expect(await messageModel(server.db).countDocuments()).toBe(before);
    };

    it.each<[string, (conversation: string) => Buffer, string]>([
      ['malformed Protobuf', () => Buffer.from([0x0a, 0xff, 0xff, 0xff, 0x0f]), 'bad_request'],
      [
        'an envelope without a body',
        () => Buffer.from(encodeEnvelope({ id: 'no-body-1234', sentAtMs: 1 })),
        'bad_request',
      ],
      ['a server-only body (ack)', () => envelope({ ack: { clientMsgId: 'x' } }), 'bad_request'],
      ['more than 64 KiB', () => Buffer.alloc(70_000, 1), 'payload_too_large'],
      [
        'an unknown conversation',
        () => envelope({ send: { conversationId: 'NOPE', content: { text: { text: 'hi' } } } }),
        'not_found',
      ],
      [
        'empty text',
        (c) => envelope({ send: { conversationId: c, content: { text: { text: '   ' } } } }),
        'bad_request',
      ],
      ['no content', (c) => envelope({ send: { conversationId: c } }), 'bad_request'],
      [
        'a bot reply from a customer',
        (c) => envelope({ send: { conversationId: c, content: { botReply: { text: 'fake' } } } }),
        'forbidden',
      ],
      [
        'an internal note from a customer',
        (c) =>
          envelope({ send: { conversationId: c, internalNote: true, content: { text: { text: 'x' } } } }),
        'forbidden',
      ],
      [
        'a bad client_msg_id',
        (c) => envelope({ send: { conversationId: c, content: { text: { text: 'x' } } } }, 'a/b'),
        'bad_request',
      ],
      [
        'a javascript: card link',
        (c) =>
          envelope({
            send: {
              conversationId: c,
              content: { product: { id: 'p', title: 't', url: 'javascript:alert(1)' } },
            },
          }),
        'bad_request',
      ],
    ])('%s', async (_what, make, code) => {
      await expectRefused(make(conversationId), code);
    });

    it('recognises a resend of a copy stored without its key (a crash between the two inserts)', async () => {
      const repo = new MessageRepository(server.db);
      const seq = (await new SeqFrontier(repo).last(conversationId)) + 1;
      const clientMsgId = ulid((n) => randomBytes(n));
      const content = { text: { text: '崩溃前存下的' } };
      await repo.insertMessage({
        id: messageId(conversationId, seq),
        conversationId,
        seq,
        clientMsgId,
        senderUid: 'u_dora',
        senderRole: 'c',
        content: kefu.v1.Content.encode(content).finish(),
        contentKind: 'text',
        text: '崩溃前存下的',
        internalNote: false,
        createdAt: new Date(),
      });
      const seen = raw.down.length;
      await raw.client.publishAsync(
        'kefu/up/c/u_dora',
        envelope({ send: { conversationId, content, retry: true } }, clientMsgId),
        { qos: 1 },
      );
      const ack = await waitFor('ack of the stored copy', () => raw.down.slice(seen).find((e) => e.ack)?.ack);
      expect(ack).toMatchObject({
        clientMsgId,
        messageId: messageId(conversationId, seq),
        seq,
        duplicate: true,
      });
      expect(await messageModel(server.db).countDocuments({ text: '崩溃前存下的' })).toBe(1);
      expect(await repo.findKey('u_dora', clientMsgId)).toBe(messageId(conversationId, seq));
    });

    it('handles a burst of copies of one message once: the copy in hand answers the others', async () => {
      const clientMsgId = ulid((n) => randomBytes(n));
      const payload = envelope(
        { send: { conversationId, content: { text: { text: '五份副本' } }, retry: true } },
        clientMsgId,
      );
      const seen = raw.down.length;
      await Promise.all(
        Array.from({ length: 5 }, () => raw.client.publishAsync('kefu/up/c/u_dora', payload, { qos: 1 })),
      );
      await waitFor('ack', () => raw.down.slice(seen).find((e) => e.ack));
      // Later copies would be answered within milliseconds of the first.
      await new Promise((r) => setTimeout(r, 500));
      expect(raw.down.slice(seen).filter((e) => e.ack?.clientMsgId === clientMsgId)).toHaveLength(1);
      expect(await messageModel(server.db).countDocuments({ text: '五份副本' })).toBe(1);
    });

    it("refuses a message into someone else's conversation", async () => {
      const eve = await rawCustomer(server, 'u_eve');
      const seen = eve.down.length;
      await eve.client.publishAsync(
        'kefu/up/c/u_eve',
        envelope({ send: { conversationId, content: { text: { text: 'hijack' } } } }),
        { qos: 1 },
      );
      const error = await waitFor('forbidden', () => eve.down.slice(seen).find((e) => e.error)?.error);
      expect(error.code).toBe('forbidden');
      await eve.client.endAsync();
      expect(await messageModel(server.db).countDocuments({ text: 'hijack' })).toBe(0);
    });

    it('limits the rate per sender', async () => {
      const seen = raw.down.length;
      // 20/s with a burst of 60: 300 at once overflow it even when a loaded machine takes seconds to
      // handle them (80 did not always: the bucket refilled while they were processed).
      for (let i = 0; i < 300; i++)
        raw.client.publish('kefu/up/c/u_dora', envelope({ typing: { conversationId, typing: true } }), {
          qos: 0,
        });
      const error = await waitFor('rate_limited', () =>
        raw.down.slice(seen).find((e) => e.error?.code === 'rate_limited'),
      );
      expect(error.error?.message).toMatch(/slow down/);
    });
  });
});
