import { kefu } from '@kefu/proto';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import type { Conversation } from '../../repository/conversation-repository.js';
import { inviteFrom, type RatingTemplate } from '../ratings/rating-templates.js';
import type {
  MessageDraft,
  MessageStore,
  StoredMessage,
} from '../../repository/message-store/message-store.js';
import type { ConversationRepository } from '../../repository/conversation-repository.js';
import type { RatingRepository } from '../../repository/rating-repository.js';
import type { Upload } from '../../repository/upload-repository.js';
import { uploadPath } from '../uploads/url-signer.js';
import { validateContent } from './content-rules.js';
import { RATING_AFTER_CLOSE_MS, ratingFrom } from './rating-result.js';
import { fanOut, participants } from './participants.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { Actor, Publisher } from './publisher.js';

const { Role } = kefu.v1;

export interface MessageDeps {
  messages: MessageStore;
  conversations: ConversationRepository;
  conversationService: ConversationService;
  publisher: Publisher;
  logger: Logger;
  recallWindowS: number;
  ratings?: RatingRepository;
  /** The rating template of a chat's skill group (an agent's invite is filled from it). */
  ratingTemplates?: { forGroup(groupId: string | undefined): Promise<RatingTemplate> };
  /** Voice contents are checked against their upload (and take its measurements) when given. */
  uploads?: { findUpload(id: string): Promise<Upload | null> };
  /** Keeps the conversation's last-message snapshot and unread/waiting facts (workbench lists). */
  activity?: {
    recordMessage(m: StoredMessage): Promise<void>;
    recordRecall(m: StoredMessage): Promise<void>;
  };
}

/**
 * The delivery contract (DESIGN.md §2): store once per (sender, client_msg_id), assign the next seq of
 * the conversation, ack the sender, fan out to every participant. A resend of a stored message is
 * acked again and fanned out again (the first fan-out may have been lost with a crashed instance);
 * clients de-duplicate by id.
 */
export class MessageService {
  constructor(private readonly deps: MessageDeps) {}

  /**
   * `sentAtMs` is the client's clock when it published (the envelope's) and `receivedAtMs` ours when the
   * envelope arrived, before it waited behind its sender's earlier ones: together they map the client's
   * times onto ours. Time queued here must not count: after a restart a resend can wait many seconds, and
   * would then be taken for a message created that much later (its copy stored before the crash missed,
   * and the message stored twice).
   */
  async send(
    actor: Actor,
    clientMsgId: string,
    req: kefu.v1.ISendMessage,
    sentAtMs = Date.now(),
    receivedAtMs = Date.now(),
  ): Promise<StoredMessage> {
    const { messages, conversationService } = this.deps;
    if (!/^[0-9A-Za-z_-]{8,64}$/.test(clientMsgId))
      throw new ValidationError('client_msg_id must be 8-64 letters, digits, "_" or "-"');

    // A first send cannot be stored yet; should it be (a duplicate publish), the key insert below catches
    // it. Resends are looked up first.
    const previous =
      req.retry === true
        ? await messages.findSent(actor.uid, clientMsgId, {
            conversationId: req.conversationId ?? '',
            sentAtMs,
            receivedAtMs,
          })
        : null;
    if (previous) {
      await this.deliver(previous, true);
      return previous;
    }

    const conversation = await conversationService.participantConversation(actor, req.conversationId ?? '');
    if (req.internalNote && actor.role !== 'a') throw new ForbiddenError('Only agents write internal notes');
    const { kind, text } = validateContent(actor.role, req.content);
    if (conversation.status === 'closed') {
      const closedFor = Date.now() - (conversation.closedAt?.getTime() ?? 0);
      if (kind !== 'ratingResult' || closedFor > RATING_AFTER_CLOSE_MS)
        throw new ConflictError('The conversation is closed');
    }
    // Stored before the message, keyed by invite: a resend after a crash writes the same document again.
    if (kind === 'ratingResult' && this.deps.ratings) {
      await this.deps.ratings.saveRating(
        ratingFrom(conversation, req.content?.ratingResult ?? {}, clientMsgId, new Date()),
      );
    }
    const content =
      kind === 'voice'
        ? await this.voiceContent(conversation, req.content ?? {})
        : kind === 'ratingInvite' && this.deps.ratingTemplates
          ? {
              ratingInvite: inviteFrom(
                await this.deps.ratingTemplates.forGroup(conversation.groupId),
                req.content?.ratingInvite?.inviteId ?? '',
              ),
            }
          : req.content;
    const quote = await this.quoted(conversation, req.quoteMessageId);

    const now = new Date();
    const draft: MessageDraft = {
      conversationId: conversation.id,
      clientMsgId,
      senderUid: actor.uid,
      senderRole: actor.role,
      senderName:
        actor.role === 'a'
          ? ((await conversationService.agentParticipant(actor.uid)).name ?? undefined)
          : conversation.customerName,
      content: kefu.v1.Content.encode(content ?? {}).finish(),
      contentKind: kind,
      text: text || undefined,
      quoteMessageId: quote,
      internalNote: req.internalNote === true,
      createdAt: now,
    };
    const appended = await messages.append(draft);
    if (appended.voided) {
      // A concurrent resend (on another instance) stored its copy first: ours is voided, its seq taken.
      await this.deliver(appended.voided, false, conversation, true);
      await this.deliver(appended.message, true);
      return appended.message;
    }
    const stored = appended.message;
    await this.deps.activity?.recordMessage(stored);
    await this.deliver(stored, false, conversation);
    // Rated after the close: every device of the customer stops offering the at-close rating.
    if (kind === 'ratingResult' && conversation.status === 'closed') {
      const state = await conversationService.state(conversation);
      await this.deps.publisher.toUser(
        'c',
        conversation.customerUid,
        { id: newId(), sentAtMs: Date.now(), conversation: state },
        1,
      );
    }
    // A customer writing while queued is still there: the queue timeout starts again.
    if (conversation.status === 'queued' && actor.role === 'c')
      await conversationService.keptWaiting(conversation, now);
    return stored;
  }

  /**
   * A voice clip must be a voice upload of this conversation: the server converted it (so it plays in
   * browsers and WeChat) and measured it, so its URL, duration, type and size are taken from the upload,
   * whatever the client wrote.
   */
  /**
   * The message a reply quotes: a message of the same conversation. A customer cannot quote an agents-only
   * note (they only know its placeholder), so a quote never points the agent's reply at hidden text.
   */
  private async quoted(c: Conversation, id: string | null | undefined): Promise<string | undefined> {
    const quote = (id ?? '').slice(0, 64);
    if (!quote) return undefined;
    const m = await this.deps.messages.find(quote);
    if (!m || m.conversationId !== c.id || m.voided)
      throw new ValidationError('The quoted message is not in this conversation');
    return quote;
  }

  private async voiceContent(
    conversation: Conversation,
    content: kefu.v1.IContent,
  ): Promise<kefu.v1.IContent> {
    const { uploads } = this.deps;
    if (!uploads) return content;
    const voice = content.voice ?? {};
    const upload = voice.uploadId ? await uploads.findUpload(voice.uploadId) : null;
    if (upload?.kind !== 'voice' || upload.conversationId !== conversation.id)
      throw new ValidationError('a voice clip must be uploaded into this conversation first (upload_id)');
    return {
      voice: {
        uploadId: upload.id,
        url: uploadPath(upload.id, 'original'),
        // Clips stored before the server measured them keep the recorder's figure.
        durationMs: upload.durationMs ?? voice.durationMs ?? 0,
        mimeType: upload.mimeType,
        sizeBytes: upload.sizeBytes,
      },
    };
  }

  private async deliver(
    m: StoredMessage,
    duplicate: boolean,
    known?: Conversation,
    fanOutOnly = false,
  ): Promise<void> {
    const { publisher } = this.deps;
    const conversation = known ?? (await this.deps.conversations.findConversation(m.conversationId));
    const ack: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      ack: {
        clientMsgId: m.clientMsgId,
        messageId: m.id,
        conversationId: m.conversationId,
        seq: m.seq,
        createdAtMs: m.createdAt.getTime(),
        duplicate,
      },
    };
    const sender: Actor = { role: m.senderRole === 'a' ? 'a' : 'c', uid: m.senderUid };
    if (!fanOutOnly) await publisher.toUser(sender.role, sender.uid, ack, 1);
    if (conversation) await fanOut(publisher, m, conversation);
  }

  /** The sender takes back their own message within the recall window. */
  async recall(actor: Actor, req: kefu.v1.IRecallRequest): Promise<void> {
    const conversation = await this.deps.conversationService.participantConversation(
      actor,
      req.conversationId ?? '',
    );
    const message = req.messageId ? await this.deps.messages.find(req.messageId) : null;
    if (!message || message.conversationId !== conversation.id) throw new NotFoundError('Unknown message');
    if (message.senderUid !== actor.uid) throw new ForbiddenError('Only the sender can recall a message');
    const now = new Date();
    if (!message.recalledAt) {
      if (now.getTime() - message.createdAt.getTime() > this.deps.recallWindowS * 1000) {
        throw new ConflictError(
          `Messages can only be recalled within ${String(this.deps.recallWindowS)} seconds`,
        );
      }
      await this.deps.messages.recall(message.id, now);
      await this.deps.activity?.recordRecall(message);
    }
    const envelope: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      recalled: {
        conversationId: conversation.id,
        messageId: message.id,
        seq: message.seq,
        by: { role: actor.role === 'a' ? Role.ROLE_AGENT : Role.ROLE_CUSTOMER, uid: actor.uid },
        recalledAtMs: (message.recalledAt ?? now).getTime(),
      },
    };
    const targets = participants(conversation).filter((p) => !message.internalNote || p.role === 'a');
    await Promise.all(targets.map((p) => this.deps.publisher.toUser(p.role, p.uid, envelope, 1)));
  }
}
