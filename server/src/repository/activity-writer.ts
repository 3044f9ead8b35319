import type { Model } from 'mongoose';
import type { ConversationDoc } from '../model/conversation.js';
import { GroupCommit } from './message-store/group-commit.js';

export interface LastMessage {
  seq: number;
  preview: string;
  senderRole: string;
  at: Date;
}

/** What one stored message changes in its conversation's workbench snapshot. */
export interface MessageActivity {
  last: LastMessage;
  /** A customer's message: counts as unread. */
  fromCustomer: boolean;
  /** A customer's message that waits for an answer: starts (or continues) a waiting period. */
  awaitsAnswer: boolean;
  /** An agent's visible message: ends the waiting period. */
  answers: boolean;
}

const CUSTOMER_SEQS_KEPT = 100;

interface Pending {
  conversationId: string;
  activity: MessageActivity;
}

/**
 * Writes message activity to the conversations: every flush's updates as one bulk command (group
 * commit, one update per conversation per flush), each filtered by `_id` alone — FerretDB decodes the
 * whole collection for any other filter (README.md). The preview only moves forward: an activity older
 * than one this instance already wrote for the conversation leaves `last_message` alone. (Two instances
 * writing the same conversation within milliseconds may still leave the older preview until the next
 * message.)
 */
export class ActivityWriter {
  private readonly written = new Map<string, number>();
  private readonly commits: GroupCommit<Pending, undefined>;

  constructor(private readonly conversations: Model<ConversationDoc>) {
    this.commits = new GroupCommit(
      (batch) => this.write(batch),
      (p) => p.conversationId,
    );
  }

  record(conversationId: string, activity: MessageActivity): Promise<void> {
    return this.commits.submit({ conversationId, activity });
  }

  private async write(batch: Pending[]): Promise<undefined[]> {
    if (this.written.size > 100_000) this.written.clear();
    const ops = batch.map(({ conversationId, activity: a }) => {
      const update: Record<string, unknown> = { $max: { last_activity_at: a.last.at } };
      if (a.fromCustomer) {
        if (a.awaitsAnswer) update['$min'] = { waiting_since: a.last.at };
        update['$push'] = { customer_seqs: { $each: [a.last.seq], $slice: -CUSTOMER_SEQS_KEPT } };
      } else if (a.answers) {
        update['$unset'] = { waiting_since: '' };
        update['$min'] = { first_response_at: a.last.at, answered_at: a.last.at };
      }
      if ((this.written.get(conversationId) ?? 0) < a.last.seq) {
        this.written.set(conversationId, a.last.seq);
        const { seq, preview, senderRole, at } = a.last;
        update['$set'] = { last_message: { seq, preview, sender_role: senderRole, at } };
      }
      return { updateOne: { filter: { _id: conversationId }, update } };
    });
    await this.conversations.bulkWrite(ops, { ordered: false });
    return batch.map(() => undefined);
  }
}
