import { NotFoundError, RateLimitedError, ValidationError } from '../../errors.js';
import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import { audit } from '../admin/actor.js';
import { newId } from '../../ids.js';
import type { Conversation } from '../../repository/conversation-repository.js';
import type {
  LeaveMessage,
  LeaveMessageFilter,
  LeaveMessageRepository,
} from '../../repository/leave-message-repository.js';

export interface LeaveMessageInput {
  name?: string | undefined;
  phone?: string | undefined;
  email?: string | undefined;
  content: string;
  conversationId?: string | undefined;
  pageUrl?: string | undefined;
  pageTitle?: string | undefined;
}

export interface LeaveMessageAuthor {
  uid: string;
  kind: 'customer' | 'visitor';
}

export interface LeaveMessageDeps {
  repository: LeaveMessageRepository;
  findConversation(id: string): Promise<Conversation | null>;
  /** Messages one customer may leave per rolling hour. */
  perHour: number;
  auditLog: Pick<AuditLogRepository, 'saveAuditLog'>;
}

/** Contact fields of a left message that are shown only through an audited reveal. */
export const LEAVE_MESSAGE_PII = ['name', 'phone', 'email'] as const;
export type LeaveMessagePii = (typeof LEAVE_MESSAGE_PII)[number];

const WINDOW_MS = 3_600_000;

/**
 * Leave-a-message (留言) when no agent is online. The rate limit is a count over the customer's index
 * (portable subset): two concurrent submissions may both pass the count, so the limit can be exceeded by
 * the number of requests in flight at once — acceptable for an abuse limit, and no update is relied on.
 */
export class LeaveMessageService {
  constructor(private readonly deps: LeaveMessageDeps) {}

  async submit(
    author: LeaveMessageAuthor,
    input: LeaveMessageInput,
    now = new Date(),
  ): Promise<LeaveMessage> {
    // A signed-in customer is known to the mall; an anonymous visitor can only be reached this way.
    if (author.kind === 'visitor' && input.phone === undefined && input.email === undefined) {
      throw new ValidationError('Visitors must leave a phone number or an email address', {
        fields: [{ path: 'phone', message: 'a phone number or an email address is required' }],
      });
    }
    if (input.conversationId !== undefined) {
      const conversation = await this.deps.findConversation(input.conversationId);
      if (conversation?.customerUid !== author.uid) {
        throw new ValidationError('Invalid request body: conversation_id: unknown conversation', {
          fields: [{ path: 'conversation_id', message: 'unknown conversation' }],
        });
      }
    }
    const limit = this.deps.perHour;
    const recent = await this.deps.repository.listRecentTimes(
      author.uid,
      new Date(now.getTime() - WINDOW_MS),
      limit,
    );
    const oldest = recent[0];
    if (recent.length >= limit && oldest) {
      const retryAfterS = Math.max(1, Math.ceil((oldest.getTime() + WINDOW_MS - now.getTime()) / 1000));
      throw new RateLimitedError(
        `At most ${String(limit)} messages may be left per hour; try again in ${String(Math.ceil(retryAfterS / 60))} min`,
        retryAfterS,
      );
    }
    const message: LeaveMessage = {
      id: newId(now.getTime()),
      customerUid: author.uid,
      customerKind: author.kind,
      name: input.name,
      phone: input.phone,
      email: input.email,
      content: input.content,
      conversationId: input.conversationId,
      pageUrl: input.pageUrl,
      pageTitle: input.pageTitle,
      status: 'new',
      createdAt: now,
    };
    await this.deps.repository.saveLeaveMessage(message);
    return message;
  }

  /** Newest first; page with `filter.beforeId` = the last id of the previous page. */
  list(filter: LeaveMessageFilter, limit: number): Promise<LeaveMessage[]> {
    return this.deps.repository.listLeaveMessages(filter, limit);
  }

  /** The unmasked contact fields, after writing who saw what to the audit log (DESIGN.md §3). */
  async reveal(
    actorUid: string,
    id: string,
    fields: readonly LeaveMessagePii[],
    ip: string | undefined,
  ): Promise<Partial<Record<LeaveMessagePii, string | null>>> {
    const message = await this.deps.repository.findLeaveMessage(id);
    if (!message) throw new NotFoundError('Unknown leave message');
    // Written before anything is answered: no reveal without its record.
    await audit(
      this.deps.auditLog,
      { uid: actorUid, ip },
      'pii.reveal',
      { type: 'leave_message', id },
      { fields: fields.join(','), customer_uid: message.customerUid },
    );
    return Object.fromEntries(fields.map((f) => [f, message[f] ?? null]));
  }
}
