import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import mongoose from 'mongoose';
import { kefu } from '@kefu/proto';
import { testMongoUri } from '@kefu/tools/testing';
import { messageTailModel } from '../../src/model/message-tail.js';
import { MessageRepository, messageId, type StoredMessage } from '../../src/repository/message-repository.js';
import { MessageHistory } from '../../src/service/messaging/message-history.js';
import { SeqFrontier } from '../../src/service/messaging/seq-frontier.js';
import { silentLogger } from '../helpers.js';

// The conversation tail is a cache in front of the range query: whatever happens to it (never built,
// lost or reordered writes, a message stored behind its back, recalls, a crash between a recall's two
// writes), a page must equal what the range query returns. Runs on the real database (FerretDB here).
describe('message history and conversation tails', () => {
  let db: mongoose.Connection;
  let repo: MessageRepository;
  let n = 0;

  beforeAll(async () => {
    db = await mongoose.createConnection(testMongoUri('message_history')).asPromise();
    repo = new MessageRepository(db);
  });
  afterAll(async () => {
    await db.dropDatabase().catch(() => undefined);
    await db.close();
  });

  const newConversation = (): string => `cv_hist_${String(++n)}`;

  function message(conversationId: string, seq: number): StoredMessage {
    const text = `message ${String(seq)}`;
    return {
      id: messageId(conversationId, seq),
      conversationId,
      seq,
      clientMsgId: `client${String(seq).padStart(6, '0')}`,
      senderUid: seq % 2 ? 'u_customer' : 'a_agent',
      senderRole: seq % 2 ? 'c' : 'a',
      content: kefu.v1.Content.encode({ text: { text } }).finish(),
      contentKind: 'text',
      text,
      internalNote: false,
      createdAt: new Date(),
    };
  }

  /** Stores seqs from..to; `history` (if given) keeps its tail, as the message service does. */
  async function store(conversationId: string, from: number, to: number, history?: MessageHistory) {
    for (let seq = from; seq <= to; seq++) {
      const m = message(conversationId, seq);
      await repo.insertMessage(m);
      if (history) await history.appended(m);
    }
  }

  /** The truth: the range query straight from `messages`. */
  async function truthBefore(conversationId: string, beforeSeq: number, limit: number) {
    const desc = await repo.listMessagesBefore(conversationId, beforeSeq, limit + 1);
    return {
      seqs: desc
        .slice(0, limit)
        .reverse()
        .map((m) => m.seq),
      hasMore: desc.length > limit,
    };
  }

  const seqsOf = (page: { messages: StoredMessage[]; hasMore: boolean }) => ({
    seqs: page.messages.map((m) => m.seq),
    hasMore: page.hasMore,
  });

  it('serves the newest page from the tail kept by appends, without a range query', async () => {
    const cv = newConversation();
    const history = new MessageHistory(repo, new SeqFrontier(repo), silentLogger, 8);
    await store(cv, 1, 30, history);
    const tail = await repo.findTail(cv);
    expect(tail?.lastSeq).toBe(30);
    // Trimmed back to its size whenever it grows a quarter past it.
    expect(tail?.messages.length).toBeLessThanOrEqual(10);
    const range = vi.spyOn(repo, 'listMessagesBefore');
    const page = await history.before(cv, Number.MAX_SAFE_INTEGER, 5);
    expect(range).not.toHaveBeenCalled();
    range.mockRestore();
    expect(seqsOf(page)).toEqual({ seqs: [26, 27, 28, 29, 30], hasMore: true });
    expect(page.messages.map((m) => m.text)).toEqual([26, 27, 28, 29, 30].map((s) => `message ${String(s)}`));
    // Older pages the tail does not hold come from the range query.
    expect(seqsOf(await history.before(cv, 3, 5))).toEqual({ seqs: [1, 2], hasMore: false });
    expect(seqsOf(await history.before(cv, 12, 5))).toEqual(await truthBefore(cv, 12, 5));
  });

  it('reads the newest page of history stored without a tail (an import) by _id, and builds the tail', async () => {
    const cv = newConversation();
    const history = new MessageHistory(repo, new SeqFrontier(repo), silentLogger, 10);
    await store(cv, 1, 40);
    expect(await repo.findTail(cv)).toBeNull();
    const range = vi.spyOn(repo, 'listMessagesBefore');
    const first = await history.before(cv, Number.MAX_SAFE_INTEGER, 6);
    expect(seqsOf(first)).toEqual(await truthBefore(cv, Number.MAX_SAFE_INTEGER, 6));
    range.mockClear();
    expect((await repo.findTail(cv))?.messages.map((m) => m.seq)).toEqual([
      31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    ]);
    const byId = vi.spyOn(repo, 'findMessagesBySeq');
    expect(seqsOf(await history.before(cv, Number.MAX_SAFE_INTEGER, 6))).toEqual(seqsOf(first));
    // A page within the newest ten from the tail; one beyond them from the range query.
    expect(seqsOf(await history.before(cv, 35, 4))).toEqual({ seqs: [31, 32, 33, 34], hasMore: true });
    expect(byId).not.toHaveBeenCalled();
    expect(range).not.toHaveBeenCalled();
    const truth = await truthBefore(cv, 33, 4);
    range.mockClear();
    expect(seqsOf(await history.before(cv, 33, 4))).toEqual(truth);
    expect(range).toHaveBeenCalledTimes(1);
    range.mockRestore();
    byId.mockRestore();
    // An empty conversation: nothing, no more.
    expect(seqsOf(await history.before(newConversation(), Number.MAX_SAFE_INTEGER, 6))).toEqual({
      seqs: [],
      hasMore: false,
    });
  });

  it('notices a message stored behind the tail’s back and answers with it', async () => {
    const cv = newConversation();
    const history = new MessageHistory(repo, new SeqFrontier(repo), silentLogger, 10);
    await store(cv, 1, 12, history);
    await store(cv, 13, 14); // e.g. another instance whose tail writes were lost
    const page = await history.before(cv, Number.MAX_SAFE_INTEGER, 4);
    expect(seqsOf(page)).toEqual({ seqs: [11, 12, 13, 14], hasMore: true });
    // …and the read rebuilt the tail to the end.
    expect((await repo.findTail(cv))?.lastSeq).toBe(14);
    expect(seqsOf(await history.after(cv, 12, 10))).toEqual({ seqs: [13, 14], hasMore: false });
  });

  it('ignores a tail that went backwards or has a hole (lost and reordered writes)', async () => {
    const cv = newConversation();
    const history = new MessageHistory(repo, new SeqFrontier(repo), silentLogger, 10);
    await store(cv, 1, 20, history);
    // A late write of an old tail lands over the newer one.
    await repo.saveTail(cv, [message(cv, 14), message(cv, 15)]);
    expect(seqsOf(await history.before(cv, Number.MAX_SAFE_INTEGER, 3))).toEqual({
      seqs: [18, 19, 20],
      hasMore: true,
    });
    // A tail with a hole in it.
    await repo.saveTail(cv, [message(cv, 17), message(cv, 19), message(cv, 20)]);
    expect(seqsOf(await history.before(cv, Number.MAX_SAFE_INTEGER, 3))).toEqual({
      seqs: [18, 19, 20],
      hasMore: true,
    });
    // A tail whose claimed end is not its last message.
    const tails = messageTailModel(db);
    await tails.updateOne({ _id: cv }, { $set: { last_seq: 25 } });
    const page = await history.after(cv, 17, 10);
    expect(seqsOf(page)).toEqual({ seqs: [18, 19, 20], hasMore: false });
  });

  it('shows a recall even though the tail holds the message as sent', async () => {
    const cv = newConversation();
    const history = new MessageHistory(repo, new SeqFrontier(repo), silentLogger, 10);
    await store(cv, 1, 5, history);
    const target = message(cv, 4);
    await history.mutating(target, 'recall');
    await repo.markRecalled(target.id, new Date());
    const page = await history.before(cv, Number.MAX_SAFE_INTEGER, 5);
    expect(page.messages.find((m) => m.seq === 4)?.recalledAt).toBeInstanceOf(Date);
    expect(page.messages.filter((m) => m.recalledAt).map((m) => m.seq)).toEqual([4]);
    // A void (duplicate placeholder) likewise.
    const dup = message(cv, 5);
    await history.mutating(dup, 'void');
    await repo.voidMessage(dup.id);
    const after = await history.after(cv, 3, 10);
    expect(after.messages.find((m) => m.seq === 5)?.voided).toBe(true);
  });

  it('answers with the stored message when a recall crashed between its two writes', async () => {
    const cv = newConversation();
    const history = new MessageHistory(repo, new SeqFrontier(repo), silentLogger, 10);
    await store(cv, 1, 3, history);
    // The record is written, the message never changed: it is not recalled, and the page says so.
    await history.mutating(message(cv, 2), 'recall');
    const page = await history.before(cv, Number.MAX_SAFE_INTEGER, 3);
    expect(page.messages.map((m) => m.recalledAt)).toEqual([undefined, undefined, undefined]);
    // The retried recall changes the message; the existing record covers it.
    await history.mutating(message(cv, 2), 'recall');
    await repo.markRecalled(messageId(cv, 2), new Date());
    const again = await history.before(cv, Number.MAX_SAFE_INTEGER, 3);
    expect(again.messages.map((m) => m.recalledAt !== undefined)).toEqual([false, true, false]);
  });

  it('pages forward (sync) from the tail with has_more right at every boundary', async () => {
    const cv = newConversation();
    const history = new MessageHistory(repo, new SeqFrontier(repo), silentLogger, 10);
    await store(cv, 1, 25, history);
    const range = vi.spyOn(repo, 'listMessagesAfter');
    expect(seqsOf(await history.after(cv, 18, 3))).toEqual({ seqs: [19, 20, 21], hasMore: true });
    expect(seqsOf(await history.after(cv, 21, 4))).toEqual({ seqs: [22, 23, 24, 25], hasMore: false });
    expect(seqsOf(await history.after(cv, 25, 4))).toEqual({ seqs: [], hasMore: false });
    expect(range).not.toHaveBeenCalled();
    // Before the tail, and beyond the end: the range query.
    expect(seqsOf(await history.after(cv, 2, 3))).toEqual({ seqs: [3, 4, 5], hasMore: true });
    expect(seqsOf(await history.after(cv, 40, 3))).toEqual({ seqs: [], hasMore: false });
    expect(range).toHaveBeenCalledTimes(2);
    range.mockRestore();
    expect(seqsOf(await history.before(cv, 1, 5))).toEqual({ seqs: [], hasMore: false });
  });

  it('equals the range query under two instances racing appends, lost writes and recalls', async () => {
    const cv = newConversation();
    const a = new MessageHistory(repo, new SeqFrontier(repo), silentLogger, 6);
    const b = new MessageHistory(repo, new SeqFrontier(repo), silentLogger, 6);
    let seed = 7;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    let seq = 0;
    const appends: Promise<void>[] = [];
    for (let round = 0; round < 60; round++) {
      const m = message(cv, ++seq);
      await repo.insertMessage(m);
      const r = random();
      // Both instances append (racing), one does, or none (its write lost).
      if (r < 0.4) appends.push(a.appended(m), b.appended(m));
      else if (r < 0.9) appends.push((r < 0.65 ? a : b).appended(m));
      if (random() < 0.1 && seq > 2) {
        const target = message(cv, seq - 1 - Math.floor(random() * 2));
        await (random() < 0.5 ? a : b).mutating(target, 'recall');
        await repo.markRecalled(target.id, new Date());
      }
      if (random() < 0.5) {
        const reader = random() < 0.5 ? a : b;
        const limit = 1 + Math.floor(random() * 5);
        const page = await reader.before(cv, Number.MAX_SAFE_INTEGER, limit);
        const truth = await repo.listMessagesBefore(cv, Number.MAX_SAFE_INTEGER, limit + 1);
        expect(seqsOf(page)).toEqual({
          seqs: truth
            .slice(0, limit)
            .reverse()
            .map((x) => x.seq),
          hasMore: truth.length > limit,
        });
        expect(page.messages.map((x) => x.recalledAt !== undefined)).toEqual(
          truth
            .slice(0, limit)
            .reverse()
            .map((x) => x.recalledAt !== undefined),
        );
      }
    }
    await Promise.all(appends);
    const final = await a.after(cv, seq - 4, 10);
    expect(seqsOf(final)).toEqual({ seqs: [seq - 3, seq - 2, seq - 1, seq], hasMore: false });
  });
});
