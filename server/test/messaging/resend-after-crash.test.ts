import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { kefu, ulid } from '@kefu/proto';
import { testMongoUri } from '@kefu/tools/testing';
import { messageModel } from '../../src/model/message.js';
import { MessageRepository, messageId } from '../../src/repository/message-repository.js';
import type { Conversation, ConversationRepository } from '../../src/repository/conversation-repository.js';
import type { ConversationService } from '../../src/service/conversations/conversation-service.js';
import { MessageService } from '../../src/service/messaging/message-service.js';
import type { Actor, Publisher } from '../../src/service/messaging/publisher.js';
import { ReadMarkRepository } from '../../src/repository/read-mark-repository.js';
import { DocumentMessageStore } from '../../src/repository/message-store/document-message-store.js';
import { silentLogger } from '../helpers.js';

// After a server restart every client resends its whole outbox at once: resends queue behind their
// sender's earlier envelopes for many seconds, and most of them are of messages never stored. The crash
// check (a copy stored just before the crash, before its key) must neither miss a copy because the
// resend waited nor read the conversation's newest messages again for every resend.
describe('resends after a crash (MessageService)', () => {
  let db: mongoose.Connection;
  let repo: MessageRepository;
  let service: MessageService;
  const kim: Actor = { role: 'c', uid: 'u_kim' };
  const acks: kefu.v1.IMessageAck[] = [];
  const conversation: Conversation = {
    id: 'cv_resends_after_crash',
    customerUid: 'u_kim',
    agentUid: null,
    status: 'open',
    channel: 'web',
    createdAt: new Date(),
  };

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('resends_after_crash')).asPromise();
    repo = new MessageRepository(db);
    const publisher: Publisher = {
      toUser(_role, _uid, envelope) {
        if (envelope.ack) acks.push(envelope.ack);
        return Promise.resolve();
      },
    };
    service = new MessageService({
      messages: new DocumentMessageStore(repo, new ReadMarkRepository(db)),
      conversations: {
        findConversation: () => Promise.resolve(conversation),
      } as unknown as ConversationRepository,
      conversationService: {
        participantConversation: () => Promise.resolve(conversation),
        participants: () => [kim],
      } as unknown as ConversationService,
      publisher,
      logger: silentLogger,
      recallWindowS: 120,
    });
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  it('finds the copy stored before the crash when the resend arrived promptly but waited 20 s here', async () => {
    const created = Date.now() - 30_000;
    const clientMsgId = ulid((n) => randomBytes(n), created);
    const content = { text: { text: 'stored before the crash' } };
    await repo.insertMessage({
      id: messageId(conversation.id, 1),
      conversationId: conversation.id,
      seq: 1,
      clientMsgId,
      senderUid: kim.uid,
      senderRole: 'c',
      content: kefu.v1.Content.encode(content).finish(),
      contentKind: 'text',
      text: 'stored before the crash',
      internalNote: false,
      createdAt: new Date(created + 100),
    });
    // Resent 10 s after it was created, received 50 ms later, handled only now.
    const sentAt = created + 10_000;
    const stored = await service.send(
      kim,
      clientMsgId,
      { conversationId: conversation.id, content, retry: true },
      sentAt,
      sentAt + 50,
    );
    expect(stored.seq).toBe(1);
    expect(acks.at(-1)).toMatchObject({ clientMsgId, seq: 1, duplicate: true });
    expect(await messageModel(db).countDocuments({ text: 'stored before the crash' })).toBe(1);
    expect(await repo.findKey(kim.uid, clientMsgId)).toBe(messageId(conversation.id, 1));
  });

  it('reads each of the newest messages once, not once per resend of a message never stored', async () => {
    const send = (text: string, retry: boolean) => {
      const now = Date.now();
      return service.send(
        kim,
        ulid((n) => randomBytes(n), now),
        { conversationId: conversation.id, content: { text: { text } }, retry },
        now,
        now,
      );
    };
    for (let i = 0; i < 20; i++) await send(`first ${String(i)}`, false);
    const reads = vi.spyOn(repo, 'findMessage');
    // Twenty resends whose first copies never arrived (the server was down): each walks back over the
    // conversation's newest messages.
    for (let i = 0; i < 20; i++) await send(`resent ${String(i)}`, true);
    // This instance stored or has already read every one of them.
    expect(reads).not.toHaveBeenCalled();
    expect(await messageModel(db).countDocuments({ conversation_id: conversation.id })).toBe(41);
    reads.mockRestore();
  });
});
