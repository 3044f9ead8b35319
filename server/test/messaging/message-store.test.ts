// The message store on the real database (FerretDB here): seqs contiguous from 1 under concurrent
// writers on two instances, once per (sender, client_msg_id), inserts grouped into few commands, and
// pages that equal the range query at every boundary, recalls included.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import mongoose from 'mongoose';
import { kefu } from '@kefu/proto';
import { testMongoUri } from '@kefu/tools/testing';
import { MessageRepository, type StoredMessage } from '../../src/repository/message-repository.js';
import { ReadMarkRepository } from '../../src/repository/read-mark-repository.js';
import { DocumentMessageStore } from '../../src/repository/message-store/document-message-store.js';
import type { MessageDraft } from '../../src/repository/message-store/message-store.js';
import { newId as ulid } from '../../src/ids.js';

/** A resend that arrives as the client sends it (no clock difference). */
const resentNow = (conversationId: string) => ({
  conversationId,
  sentAtMs: Date.now(),
  receivedAtMs: Date.now(),
});

describe('message store', () => {
  let db: mongoose.Connection;
  let repo: MessageRepository;
  let n = 0;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('message_store')).asPromise();
    repo = new MessageRepository(db);
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  const newConversation = (): string => `cv_store_${String(++n)}`;

  function draft(
    conversationId: string,
    text: string,
    sender = 'u_customer',
    clientMsgId = ulid(),
  ): MessageDraft {
    return {
      conversationId,
      clientMsgId,
      senderUid: sender,
      senderRole: sender.startsWith('u_') ? 'c' : 'a',
      content: kefu.v1.Content.encode({ text: { text } }).finish(),
      contentKind: 'text',
      text,
      internalNote: false,
      createdAt: new Date(),
    };
  }

  /** The truth: the range query straight from `messages`. */
  async function truth(conversationId: string): Promise<StoredMessage[]> {
    return repo.listMessagesAfter(conversationId, 0, 10_000);
  }

  it('gives concurrent messages of many conversations contiguous seqs, grouping the inserts', async () => {
    const store = new DocumentMessageStore(repo, new ReadMarkRepository(db));
    const insert = vi.spyOn(repo, 'insertMessages');
    const conversations = Array.from({ length: 20 }, newConversation);
    const texts = conversations.flatMap((cv) => Array.from({ length: 10 }, (_, i) => [cv, `m${String(i)}`]));
    const results = await Promise.all(texts.map(([cv, t]) => store.append(draft(cv ?? '', t ?? ''))));
    expect(results.every((r) => !r.duplicate && !r.voided)).toBe(true);
    for (const cv of conversations) {
      const stored = await truth(cv);
      expect(stored.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
      // Each conversation's messages in the order they were sent.
      expect(stored.map((m) => m.text)).toEqual(Array.from({ length: 10 }, (_, i) => `m${String(i)}`));
    }
    // 200 messages, at most one per conversation per command: about 10 commands, never 200.
    expect(insert.mock.calls.length).toBeLessThanOrEqual(20);
    insert.mockRestore();
  });

  it('stays contiguous with two instances writing the same conversations', async () => {
    const a = new DocumentMessageStore(repo, new ReadMarkRepository(db));
    const b = new DocumentMessageStore(repo, new ReadMarkRepository(db));
    const conversations = Array.from({ length: 3 }, newConversation);
    const writes = conversations.flatMap((cv) =>
      Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).append(draft(cv, `x${String(i)}`))),
    );
    const results = await Promise.all(writes);
    for (const cv of conversations) {
      const seqs = (await truth(cv)).map((m) => m.seq);
      expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    }
    expect(new Set(results.map((r) => r.message.id)).size).toBe(90);
  });

  it('stores a message once when two instances store the same resend at once', async () => {
    const cv = newConversation();
    const a = new DocumentMessageStore(repo, new ReadMarkRepository(db));
    const b = new DocumentMessageStore(repo, new ReadMarkRepository(db));
    const one = draft(cv, '同一条消息');
    const [x, y] = await Promise.all([a.append(one), b.append({ ...one })]);
    expect(x.message.id).toBe(y.message.id);
    const loser = x.voided ?? y.voided;
    expect(loser).toBeDefined();
    expect([x.duplicate, y.duplicate].sort()).toEqual([false, true]);
    const stored = await truth(cv);
    expect(stored.filter((m) => !m.voided).map((m) => m.text)).toEqual(['同一条消息']);
    // The voided copy keeps its seq (no gap) and shows nothing.
    expect(stored.find((m) => m.id === loser?.id)).toMatchObject({ voided: true, text: '' });
    expect(await a.findSent(one.senderUid, one.clientMsgId, resentNow(cv))).toMatchObject({
      id: x.message.id,
    });
  });

  it('finds a copy stored just before a crash, before its key, by walking back', async () => {
    const cv = newConversation();
    const store = new DocumentMessageStore(repo, new ReadMarkRepository(db));
    await store.append(draft(cv, 'before'));
    const lost = draft(cv, '崩溃前存下的');
    // What a crash between the two writes leaves: the message without its key.
    await repo.insertMessage({ ...lost, seq: 2, id: `${cv}:${'2'.padStart(10, '0')}` });
    await store.append(draft(cv, 'after', 'a_agent'));
    const fresh = new DocumentMessageStore(repo, new ReadMarkRepository(db));
    const found = await fresh.findSent(lost.senderUid, lost.clientMsgId, resentNow(cv));
    expect(found).toMatchObject({ seq: 2, text: '崩溃前存下的' });
    // Keyed now: the next resend is one lookup.
    expect(await repo.findKey(lost.senderUid, lost.clientMsgId)).toBe(found?.id);
    expect(await fresh.findSent('u_other', ulid(), resentNow(cv))).toBeNull();
  });

  it('pages backwards and forwards like the range query, recalls included', async () => {
    const cv = newConversation();
    const store = new DocumentMessageStore(repo, new ReadMarkRepository(db));
    for (let i = 1; i <= 23; i++)
      await store.append(draft(cv, `p${String(i)}`, i % 2 ? 'u_customer' : 'a_agent'));
    const recalled = (await store.before(cv, 6, 1)).messages[0];
    await store.recall(recalled?.id ?? '', new Date());
    const all = await truth(cv);
    const seqs = (p: { messages: StoredMessage[]; hasMore: boolean }) => ({
      seqs: p.messages.map((m) => m.seq),
      hasMore: p.hasMore,
    });
    for (const limit of [1, 5, 10, 23, 30]) {
      for (const before of [1, 2, 6, 12, 23, 24, Number.MAX_SAFE_INTEGER]) {
        const want = all.filter((m) => m.seq < before).slice(-limit);
        expect(seqs(await store.before(cv, before, limit))).toEqual({
          seqs: want.map((m) => m.seq),
          hasMore: (want[0]?.seq ?? 1) > 1,
        });
      }
      for (const after of [0, 1, 5, 13, 22, 23, 40]) {
        const want = all.filter((m) => m.seq > after).slice(0, limit);
        expect(seqs(await store.after(cv, after, limit))).toEqual({
          seqs: want.map((m) => m.seq),
          hasMore: (want.at(-1)?.seq ?? 23) < 23,
        });
      }
    }
    expect((await store.after(cv, 4, 1)).messages[0]?.recalledAt).toBeInstanceOf(Date);
    expect(await store.lastSeq(cv)).toBe(23);
    expect(await new DocumentMessageStore(repo, new ReadMarkRepository(db)).lastSeq(cv)).toBe(23);
    expect(await store.before(newConversation(), Number.MAX_SAFE_INTEGER, 10)).toEqual({
      messages: [],
      hasMore: false,
    });
  });

  it('moves read marks forward only, never past the last stored seq', async () => {
    const store = new DocumentMessageStore(repo, new ReadMarkRepository(db));
    const cv = newConversation();
    for (const t of ['a', 'b', 'c']) await store.append(draft(cv, t));
    expect(await store.markRead(cv, 'u_reader', 10)).toBe(3);
    expect(await store.markRead(cv, 'u_reader', 1)).toBe(3);
    expect(await store.markRead(cv, 'u_other', 2)).toBe(2);
    expect(await new ReadMarkRepository(db).listReadMarks(cv)).toEqual(
      expect.arrayContaining([
        { uid: 'u_reader', readSeq: 3 },
        { uid: 'u_other', readSeq: 2 },
      ]),
    );
  });
});
