import { kefu, type EventNoticeCode } from '@kefu/proto';
import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import type { Conversation } from '../../repository/conversation-repository.js';
import type { MessageStore, StoredMessage } from '../../repository/message-store/message-store.js';
import type { NoticeCode } from '../routing/settings.js';
import { fanOut } from './participants.js';
import type { Publisher } from './publisher.js';

export interface Notice {
  code: NoticeCode | EventNoticeCode;
  text: string;
  params?: Record<string, string> | undefined;
}

export interface NoticeOptions {
  from: 'system' | 'bot';
  /** An internal note: customers get the placeholder. */
  agentsOnly?: boolean | undefined;
}

/** Posts a system or robot notice into a conversation. */
export type NoticeSender = (c: Conversation, notice: Notice, options: NoticeOptions) => Promise<unknown>;

/**
 * System and robot notices (routing greetings, reminders, timeouts, transfers): stored with a seq like any
 * message, so they reach every device and survive reconnects. Not workbench activity: a notice neither
 * answers the customer nor changes who spoke last (the timeouts read that).
 */
export class NoticePoster {
  constructor(private readonly deps: { messages: MessageStore; publisher: Publisher; logger: Logger }) {}

  async post(conversation: Conversation, notice: Notice, options: NoticeOptions): Promise<StoredMessage> {
    const { message } = await this.deps.messages.append(
      {
        conversationId: conversation.id,
        clientMsgId: `n_${newId()}`,
        senderUid: options.from,
        senderRole: options.from,
        content: kefu.v1.Content.encode({
          system: { code: notice.code, text: notice.text, params: notice.params ?? {} },
        }).finish(),
        contentKind: 'system',
        text: notice.text || undefined,
        internalNote: options.agentsOnly === true,
        createdAt: new Date(),
      },
      { unkeyed: true },
    );
    await fanOut(this.deps.publisher, message, conversation);
    return message;
  }

  /** Like `post`, for notices that accompany something already done: a failure is logged, not thrown. */
  readonly say: NoticeSender = async (conversation, notice, options) => {
    try {
      await this.post(conversation, notice, options);
    } catch (err) {
      this.deps.logger.warn({ err, conversation: conversation.id, code: notice.code }, 'notice not posted');
    }
  };
}
