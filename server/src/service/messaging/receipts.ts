import { kefu } from '@kefu/proto';
import { ValidationError } from '../../errors.js';
import { newId } from '../../ids.js';
import { participants } from './participants.js';
import type { ConversationReadDeps } from './message-sync.js';
import type { Actor } from './publisher.js';

const { Role } = kefu.v1;

/** Typing indicators and read receipts between a conversation's participants. */
export class Receipts {
  constructor(private readonly deps: ConversationReadDeps) {}

  /** QoS 0 to the other participants; never stored. */
  async typing(actor: Actor, req: kefu.v1.ITyping): Promise<void> {
    const conversation = await this.deps.conversationService.participantConversation(
      actor,
      req.conversationId ?? '',
    );
    const from =
      actor.role === 'a'
        ? await this.deps.conversationService.agentParticipant(actor.uid)
        : { role: Role.ROLE_CUSTOMER, uid: actor.uid };
    const envelope: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      typing: { conversationId: conversation.id, typing: req.typing === true, from },
    };
    const others = participants(conversation).filter((p) => p.uid !== actor.uid);
    await Promise.all(others.map((p) => this.deps.publisher.toUser(p.role, p.uid, envelope, 0)));
  }

  /** Stores the reader's read_seq (forward only) and tells every participant. */
  async read(actor: Actor, req: kefu.v1.IReadReceipt): Promise<void> {
    const conversation = await this.deps.conversationService.participantConversation(
      actor,
      req.conversationId ?? '',
    );
    const wanted = req.readSeq ?? 0;
    if (!Number.isSafeInteger(wanted) || wanted < 0)
      throw new ValidationError('read_seq must be a non-negative integer');
    const readSeq = await this.deps.messages.markRead(conversation.id, actor.uid, wanted);
    const envelope: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      read: {
        conversationId: conversation.id,
        readSeq,
        reader: { role: actor.role === 'a' ? Role.ROLE_AGENT : Role.ROLE_CUSTOMER, uid: actor.uid },
      },
    };
    const everyone = participants(conversation);
    await Promise.all(everyone.map((p) => this.deps.publisher.toUser(p.role, p.uid, envelope, 1)));
  }
}
