import type { kefu } from '@kefu/proto';
import { newId } from '../../ids.js';
import type { ConversationRepository } from '../../repository/conversation-repository.js';
import type { MessageStore } from '../../repository/message-store/message-store.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { Actor, Publisher } from './publisher.js';
import { toWireMessage } from './wire-message.js';

export const SYNC_PAGE_MAX = 200;
const SYNC_PAGE_DEFAULT = 100;

/** Catch-up for devices (DESIGN.md §2): a page of messages after the seq a device has, with the state. */
/** What the read side of a conversation needs: its messages, its state, and the asker's devices. */
export interface ConversationReadDeps {
  messages: MessageStore;
  conversations: ConversationRepository;
  conversationService: ConversationService;
  publisher: Publisher;
}

export class MessageSync {
  constructor(private readonly deps: ConversationReadDeps) {}

  /** Messages after `afterSeq` (ascending, one page) plus the conversation state, to the asker's devices. */
  async sync(actor: Actor, requestId: string, req: kefu.v1.ISyncRequest): Promise<void> {
    const { conversationService, messages, conversations } = this.deps;
    const reply = (body: kefu.v1.ISyncResponse) =>
      this.deps.publisher.toUser(
        actor.role,
        actor.uid,
        { id: newId(), sentAtMs: Date.now(), syncResponse: { ...body, requestId } },
        1,
      );
    if (!req.conversationId) {
      // Every conversation the user takes part in that is not closed: state only, then they page.
      const filter = actor.role === 'c' ? { customerUid: actor.uid } : { agentUid: actor.uid };
      const list = (await conversations.listConversations(filter, 50)).filter((c) => c.status !== 'closed');
      for (const c of list) {
        const state = await conversationService.state(c);
        await reply({
          conversationId: c.id,
          lastSeq: state.lastSeq ?? 0,
          conversation: state,
          hasMore: true,
        });
      }
      if (list.length === 0) await reply({});
      return;
    }
    const conversation = await conversationService.participantConversation(actor, req.conversationId);
    const afterSeq = Math.max(0, req.afterSeq ?? 0);
    const limit = Math.min(SYNC_PAGE_MAX, req.limit && req.limit > 0 ? req.limit : SYNC_PAGE_DEFAULT);
    const page = await messages.after(conversation.id, afterSeq, limit);
    const state = await conversationService.state(conversation);
    await reply({
      conversationId: conversation.id,
      messages: page.messages.map((m) => toWireMessage(m, actor.role)),
      hasMore: page.hasMore,
      lastSeq: state.lastSeq ?? 0,
      conversation: state,
    });
  }
}
