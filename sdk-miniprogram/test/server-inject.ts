// A message stored as the server stores one but sent at another time (history from days ago, a message
// older than the recall window), then delivered to the customer like any other: what a test cannot wait
// for. The same way as the web widget's tests (sdk-web/test/e2e/harness.ts).
import { createTopics, kefu } from '@kefu/proto';
import { messageModel } from '../../server/src/model/message.js';
import { createMqttPublisher } from '../../server/src/port/mqtt/bridge.js';
import { MessageRepository, messageId } from '../../server/src/repository/message-repository.js';
import type { KefuServer } from '../../server/src/server.js';
import { toWireMessage } from '../../server/src/service/messaging/message-service.js';

export async function injectMessage(
  server: KefuServer,
  conversationId: string,
  sender: { uid: string; role: 'agent' | 'customer'; name?: string },
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

/** `hour:minute` local time, `days` days before today. */
export function daysAgo(days: number, hour: number, minute: number): Date {
  const d = new Date();
  d.setDate(d.getDate() - days);
  d.setHours(hour, minute, 0, 0);
  return d;
}
