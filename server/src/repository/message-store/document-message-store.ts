// The message store on a document database, written so that MongoDB and FerretDB on SQLite behave the
// same (README.md explains each choice): seqs claimed by inserting `<conversation>:<seq>`, inserts
// grouped into one command per flush, pages read as runs of known `_id`s.
import { ulidTime } from '@kefu/proto';
import { UnavailableError } from '../../errors.js';
import { messageId, type MessageRepository, type StoredMessage } from '../message-repository.js';
import type { ReadMarkRepository } from '../read-mark-repository.js';
import { GroupCommit } from './group-commit.js';
import type { AppendResult, HistoryPage, MessageDraft, MessageStore, ResendFacts } from './message-store.js';
import { RecentMessages } from './recent-messages.js';
import { SeqFrontier } from './seq-frontier.js';

const SEQ_ATTEMPTS = 50;
/** How far a resend's crash check walks back at most, and its margin for network delay. */
const WALK_BACK_MAX = 100;
const DELAY_MARGIN_MS = 5_000;

interface Claim {
  draft: MessageDraft;
  attempt: number;
  keyed: boolean;
}
/** `stored` with whether its key was written (false: another copy holds it), or the seq was `taken`. */
type Claimed = { stored: StoredMessage; keyed: boolean } | { taken: true };

export class DocumentMessageStore implements MessageStore {
  private readonly frontier: SeqFrontier;
  private readonly recent = new RecentMessages(WALK_BACK_MAX);
  private readonly commits: GroupCommit<Claim, Claimed>;

  constructor(
    private readonly records: MessageRepository,
    private readonly reads: ReadMarkRepository,
  ) {
    this.frontier = new SeqFrontier(records);
    this.commits = new GroupCommit(
      (claims) => this.write(claims),
      (c) => c.draft.conversationId,
    );
  }

  async append(draft: MessageDraft, options: { unkeyed?: boolean } = {}): Promise<AppendResult> {
    for (let attempt = 0; attempt < SEQ_ATTEMPTS; attempt++) {
      const claimed = await this.commits.submit({ draft, attempt, keyed: options.unkeyed !== true });
      if ('stored' in claimed) return this.settle(claimed.stored, claimed.keyed);
      // Lost the seq to another writer (another instance): a jittered pause, then the next one.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 2 * (attempt + 1)));
    }
    throw new UnavailableError('The conversation is too busy; retry');
  }

  /** One flush: every claim's message with one insert, then their keys with one more. */
  private async write(claims: Claim[]): Promise<Claimed[]> {
    const messages = await Promise.all(
      claims.map(async ({ draft, attempt }) => {
        // Right after the last seq this instance knows of (no lookup), then the next ones (another
        // instance usually wrote just one or two more); the frontier is probed only after that.
        const hint = attempt < 3 ? this.frontier.known(draft.conversationId) : undefined;
        const seq = (hint ?? (await this.frontier.last(draft.conversationId))) + 1;
        return { ...draft, seq, id: messageId(draft.conversationId, seq) };
      }),
    );
    const inserted = await this.records.insertMessages(messages);
    const keyed = messages.filter((m, i) => inserted[i] && claims[i]?.keyed);
    const keys = await this.records.insertKeys(keyed);
    const keyOf = new Map(keyed.map((m, i) => [m.id, keys[i] ?? false]));
    return messages.map((m, i): Claimed => {
      this.frontier.record(m.conversationId, m.seq);
      if (!inserted[i]) return { taken: true };
      this.recent.note(m);
      return { stored: m, keyed: keyOf.get(m.id) ?? true };
    });
  }

  /**
   * A key another copy holds may name this very message: a resend handled by another instance found it
   * (the walk back) and keyed it first. Only a key naming another copy makes ours a duplicate: void ours
   * (its seq stays taken, so no gap) and answer with theirs.
   */
  private async settle(stored: StoredMessage, keyed: boolean): Promise<AppendResult> {
    if (keyed || (await this.records.findKey(stored.senderUid, stored.clientMsgId)) === stored.id)
      return { message: stored, duplicate: false };
    await this.records.voidMessage(stored.id);
    const winner = await this.findSent(stored.senderUid, stored.clientMsgId);
    if (!winner) throw new UnavailableError('Message is being stored; retry');
    return { message: winner, duplicate: true, voided: { ...stored, voided: true } };
  }

  /**
   * The key is one `_id` lookup. A copy stored just before a crash, before its key, is among the
   * conversation's newest messages, all stored after the client created the message: its ULID carries
   * that time on the client's clock, which the envelope's send and arrival times map onto ours. The walk back from the
   * frontier stops at older messages; what it needs of each is remembered (RecentMessages), so after a
   * restart the resends of a whole outbox read each message once.
   */
  async markRead(conversationId: string, uid: string, readSeq: number): Promise<number> {
    const last = await this.lastSeq(conversationId);
    return this.reads.saveReadMark(conversationId, uid, Math.min(readSeq, last));
  }

  async findSent(
    senderUid: string,
    clientMsgId: string,
    resend?: ResendFacts,
  ): Promise<StoredMessage | null> {
    const { records } = this;
    const id = await records.findKey(senderUid, clientMsgId);
    if (id) return records.findMessage(id);
    if (!resend?.conversationId) return null;
    const { conversationId } = resend;
    const clockOffsetMs = resend.receivedAtMs - resend.sentAtMs;
    const createdAt = ulidTime(clientMsgId);
    const since = Number.isNaN(createdAt) ? 0 : createdAt + clockOffsetMs - DELAY_MARGIN_MS;
    let seq = await this.frontier.last(conversationId);
    for (let steps = 0; seq > 0 && steps < WALK_BACK_MAX; steps++, seq--) {
      let read: StoredMessage | null = null;
      let m = this.recent.get(conversationId, seq);
      if (!m) {
        read = await records.findMessage(messageId(conversationId, seq));
        if (!read) continue;
        m = this.recent.note(read);
      }
      if (m.createdAtMs < since) break;
      if (m.senderUid !== senderUid || m.clientMsgId !== clientMsgId) continue;
      // Read (again): the copy may have been voided since it was remembered.
      read ??= await records.findMessage(messageId(conversationId, seq));
      if (read && !read.voided) {
        await records.insertKey(senderUid, clientMsgId, read.id);
        return read;
      }
    }
    return null;
  }

  find(id: string): Promise<StoredMessage | null> {
    return this.records.findMessage(id);
  }

  async before(conversationId: string, beforeSeq: number, limit: number): Promise<HistoryPage> {
    const end = Math.min(beforeSeq - 1, await this.frontier.last(conversationId));
    const start = Math.max(1, end - limit + 1);
    return { messages: await this.range(conversationId, start, end), hasMore: start > 1 && end >= 1 };
  }

  async after(conversationId: string, afterSeq: number, limit: number): Promise<HistoryPage> {
    const last = await this.frontier.last(conversationId);
    const end = Math.min(afterSeq + limit, last);
    return { messages: await this.range(conversationId, afterSeq + 1, end), hasMore: end < last };
  }

  /** Seqs exist only in order from 1, so a page is a run of known `_id`s (no range query). */
  private async range(conversationId: string, from: number, to: number): Promise<StoredMessage[]> {
    if (to < from) return [];
    const found = await this.records.findMessagesBySeq(conversationId, from, to);
    return found.filter((m): m is StoredMessage => m !== null);
  }

  lastSeq(conversationId: string): Promise<number> {
    return this.frontier.last(conversationId);
  }

  recall(id: string, at: Date): Promise<void> {
    return this.records.markRecalled(id, at);
  }
}
