// bench:console's data: N conversations opened by real customer clients (each checked to be seated with
// the bench agent), and a long history bulk-inserted into one of them, as years of chat would be.
import type { Connection } from 'mongoose';
import { kefu } from '@kefu/proto';
import type { CustomerClient } from '@kefu/sdk-core';
import { benchCustomer, log, pool } from './clients.js';
import { AGENT } from './console-stack.js';

/** Customers opening at once, and how long one open may take on a busy machine. */
const OPEN_WIDTH = 10;
const OPEN_TIMEOUT_MS = 60_000;

type Db = NonNullable<Connection['db']>;

export interface Opened {
  /** Conversation ids, in the order they were opened. */
  ids: string[];
  clientOf: Map<string, CustomerClient>;
  customerOf: Map<string, string>;
}

/**
 * Opens `count` conversations, each from its own customer, and says hello in each. Fails at once, with
 * the conversation's state, when one is not open with the bench agent: routing sent it elsewhere.
 */
export async function openConversations(
  base: string,
  count: number,
  agentUid: string,
  customers: CustomerClient[],
): Promise<Opened> {
  const ids: string[] = [];
  const clientOf = new Map<string, CustomerClient>();
  const customerOf = new Map<string, string>();
  const started = performance.now();
  await pool(
    Array.from({ length: count }, (_, i) => i),
    OPEN_WIDTH,
    async (i) => {
      const client = benchCustomer(base, `c${String(i)}`, `客户${String(i)}`);
      customers.push(client);
      await client.start();
      const state = await client.open({ channel: 'bench' }, OPEN_TIMEOUT_MS);
      const id = state.id ?? '';
      if (
        state.status !== kefu.v1.ConversationStatus.CONVERSATION_STATUS_OPEN ||
        state.agent?.uid !== agentUid
      ) {
        const { status, agent, queuePosition, closeReason } = state;
        const seen = { status, agent: agent?.uid, queuePosition, closeReason };
        throw new Error(
          `conversation ${String(i)} is not open with the bench agent: ${JSON.stringify(seen)}`,
        );
      }
      ids.push(id);
      clientOf.set(id, client);
      customerOf.set(id, state.customer?.uid ?? '');
      await client.sendText(id, `你好，我是客户${String(i)}`);
      if ((i + 1) % 100 === 0) log(`${String(i + 1)} open`);
    },
  );
  log(`${String(count)} conversations open in ${String(Math.round(performance.now() - started))} ms`);
  return { ids, clientOf, customerOf };
}

/**
 * Replaces the conversation's messages by `count` stored ones (the stored message shape,
 * server/src/model/message.ts), seqs 1…count, alternating between its customer and agent, and makes the
 * last one its newest.
 */
export async function insertHistory(
  database: Db,
  conversation: { id: string; customerUid: string; agentUid: string },
  count: number,
): Promise<void> {
  const conversationId = conversation.id;
  log(`bulk-inserting ${String(count)} messages into ${conversationId}`);
  const firstAt = Date.now() - count * 1000;
  const messages = database.collection('messages');
  await messages.deleteMany({ conversation_id: conversationId });
  for (let start = 1; start <= count; start += 1000) {
    const docs = [];
    for (let seq = start; seq < Math.min(start + 1000, count + 1); seq++) {
      const fromCustomer = seq % 2 === 1;
      const text = `${fromCustomer ? '客户' : '客服'}第 ${String(seq)} 条消息：${'积分兑换的商品什么时候发货？'.repeat(1 + (seq % 4))}`;
      docs.push({
        _id: `${conversationId}:${String(seq).padStart(10, '0')}`,
        conversation_id: conversationId,
        seq,
        client_msg_id: `bench-${String(seq)}`,
        sender_uid: fromCustomer ? conversation.customerUid : conversation.agentUid,
        sender_role: fromCustomer ? 'c' : 'a',
        sender_name: fromCustomer ? '客户' : AGENT.name,
        content: Buffer.from(kefu.v1.Content.encode({ text: { text } }).finish()),
        content_kind: 'text',
        text,
        internal_note: false,
        created_at: new Date(firstAt + seq * 1000),
      });
    }
    await messages.insertMany(docs as never[]);
  }
  await database.collection('conversations').updateOne({ _id: conversationId } as never, {
    $set: {
      last_message: { seq: count, preview: '最新消息', sender_role: 'agent', at: new Date() },
      last_activity_at: new Date(),
    },
  });
}
