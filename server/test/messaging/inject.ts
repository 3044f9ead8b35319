// A message stored as the server stores one but sent at another time (history from days ago, a message
// older than the recall window), then delivered to the customer like any other: what a test cannot wait
// for. Used by the web widget's and the mini-program's tests.
import { createTopics, kefu } from '@kefu/proto';
import { messageModel } from '../../src/model/message.js';
import { createMqttPublisher } from '../../src/port/mqtt/bridge.js';
import { MessageRepository, messageId } from '../../src/repository/message-repository.js';
import type { KefuServer } from '../../src/server.js';
import { toWireMessage } from '../../src/service/messaging/wire-message.js';

export interface InjectedSender {
  uid: string;
  role: 'agent' | 'customer';
  name?: string;
}

/** Stores `content` as the conversation's next seq, sent at `createdAt`, and fans it out to the customer. */
export async function injectMessage(
  server: KefuServer,
  conversationId: string,
  sender: InjectedSender,
  customerUid: string,
  content: kefu.v1.IContent,
  createdAt: Date,
): Promise<string> {
  const last = await messageModel(server.db)
    .find({ conversation_id: conversationId })
    .sort({ seq: -1 })
    .limit(1)
    .lean();
  const seq = (last[0]?.seq ?? 0) + 1;
  const stored = {
    id: messageId(conversationId, seq),
    conversationId,
    seq,
    clientMsgId: `t${String(seq).padStart(9, '0')}`,
    senderUid: sender.uid,
    senderRole: sender.role === 'agent' ? ('a' as const) : ('c' as const),
    senderName: sender.name ?? '',
    content: kefu.v1.Content.encode(content).finish(),
    contentKind: Object.keys(content)[0] ?? 'text',
    internalNote: false,
    createdAt,
  };
  await new MessageRepository(server.db).insertMessage(stored);
  await createMqttPublisher(server.mqtt, createTopics('kefu')).toUser(
    'c',
    customerUid,
    { id: stored.clientMsgId, sentAtMs: Date.now(), message: toWireMessage(stored, 'c') },
    1,
  );
  return stored.id;
}
